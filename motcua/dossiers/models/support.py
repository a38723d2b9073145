"""Bookkeeping rows: daily code sequences, idempotency keys, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Dossier
from motcua.org.models import Agency


class DailySequence(models.Model):
    """The last dossier number issued by an agency on a day (codes never repeat)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="sequence_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class IdempotencyKey(models.Model):
    """A create request already served: the same key and body return the same dossier."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)
    # Empty only inside the transaction that claimed the key and is creating the dossier.
    dossier = models.ForeignKey(Dossier, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return self.key


def token_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for a staff user or a system acting as one; only its digest is kept.
    It expires (``API_TOKEN_DAYS``) and an administrator revokes it in the admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), default=token_expiry)
    last_used_at = models.DateTimeField(_("dùng gần nhất"), null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
