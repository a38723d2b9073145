"""Bearer tokens for staff and system clients (docs/rules/api.md "Authentication").

A token acts with exactly its user's roles and scope. Only a digest is stored; the token is
shown once, when created. Tokens are for officers only (an account with an active role at an
agency): citizens use the portal's session. A token expires (``API_TOKEN_DAYS``), can be
revoked in the admin, and stops working the day its user leaves every role.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from motcua.dossiers.models import ApiToken
from motcua.org.models import Membership

# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
TOUCH_EVERY_SECONDS = 60


class NotAnOfficerError(ValueError):
    """Tokens are issued to officers only."""


def create_token(user: User, *, name: str = "", days: int | None = None) -> str:
    if not Membership.objects.active().filter(user=user).exists():
        raise NotAnOfficerError(user.get_username())
    token = "mc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name=name,
        digest=ApiToken.digest_of(token),
        prefix=token[:8],
        expires_at=timezone.now() + dt.timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    return token


def user_for_token(token: str) -> User | None:
    row = (
        ApiToken.objects.select_related("user")
        .filter(
            digest=ApiToken.digest_of(token),
            revoked=False,
            expires_at__gt=timezone.now(),
            user__is_active=True,
            user__memberships__active=True,
        )
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > TOUCH_EVERY_SECONDS:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
