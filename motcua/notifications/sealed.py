"""The one secret a message may carry (a verification code), kept out of the outbox's body.

The auditor's rule (docs/decisions/outbox.md "Secrets"): a code that lets someone take over
an account must not sit in clear in the database, the admin or the logs. So a message is
written with ``PLACEHOLDER`` where the code goes; the code itself is kept on the row
encrypted (Fernet: AES-128-CBC with HMAC-SHA256) under a key derived from ``SECRET_KEY``, and
``reveal`` puts it into the body in memory at send time only. The row's copy is erased once
the message is sent. ``SECRET_KEY_FALLBACKS`` still open codes sealed before a key rotation.

Why on the outbox row and not read back from the verification row: the outbox is a
service that accounts call, not the other way round (docs/architecture.md "Layout"),
and the row is what a worker holds when it sends.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

# Where the secret goes in a stored body; what the admin shows. Not a digit, so nothing
# that looks for codes or numbers mistakes it for one.
PLACEHOLDER = "••••••"
# Part of the key: changing it would leave every code already sealed unopenable. (It names
# where this module first lived, not where it is.)
_KEY_SALT = "motcua.integrations.notifications.sealed"


class SealError(Exception):
    """A sealed secret that no current key opens (SECRET_KEY changed with no fallback)."""


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(_KEY_SALT, "fernet-key", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


def seal(secret: str) -> str:
    """``secret`` encrypted for storage ("" stays "")."""
    if not secret:
        return ""
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SealError("sealed secret cannot be opened with the current keys") from exc


def reveal(body: str, token: str) -> str:
    """The body as the recipient must read it: ``PLACEHOLDER`` replaced by the secret. Keep
    the result in memory; never save it back."""
    if not token:
        return body
    return body.replace(PLACEHOLDER, unseal(token))


def scrub(text: str, token: str) -> str:
    """``text`` (a provider's error message, which may quote what we sent) with the secret
    put back to ``PLACEHOLDER``, so it can be stored and logged."""
    if not token or not text:
        return text
    try:
        secret = unseal(token)
    except SealError:
        return text
    return text.replace(secret, PLACEHOLDER) if secret else text
