"""Checking a citizen's password: by phone or email, for citizens only.

One answer for every failure (no such phone or email, wrong password, an officer's account,
a disabled account), and the same work on each path (a password is hashed even when nobody
has the identifier), so neither the message nor the timing tells who has an account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from motcua.accounts.access import is_citizen
from motcua.accounts.identifiers import Identifier, profile_by_identifier


def authenticate_citizen(identifier: Identifier, password: str) -> Any | None:
    """The citizen whose profile holds ``identifier`` and whose password this is, or None.
    The identifier need not be verified yet: the caller sends an unverified one to the code
    page before signing in."""
    profile = profile_by_identifier(identifier)
    if profile is None:
        get_user_model()().set_password(password)  # the same hashing time as a real check
        return None
    user = profile.user
    if not user.check_password(password) or not is_citizen(user):
        return None
    return user
