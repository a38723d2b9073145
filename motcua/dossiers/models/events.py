"""The dossier's history: append-only events linked by a hash chain (tamper-evident).

Each event carries the hash of the previous event of the same dossier; ``verify_audit``
recomputes every chain. The application never updates or deletes an event: ``save`` refuses
an update and ``delete`` refuses outright.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Dossier

GENESIS = "0" * 64


class AppendOnlyError(RuntimeError):
    pass


class DossierEvent(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("hành động"), max_length=40)
    at = models.DateTimeField(_("lúc"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=255, blank=True)
    from_status = models.CharField(_("từ trạng thái"), max_length=24, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=24, blank=True)
    data = models.JSONField(_("nội dung"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("nhật ký hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq_per_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Dossier events are never changed.")
        super().save(*args, **kwargs)

    def payload(self) -> dict[str, Any]:
        """Everything the hash covers."""
        return {
            "dossier": self.dossier_id,
            "seq": self.seq,
            "kind": self.kind,
            # In UTC: the same instant reads back from the database in UTC.
            "at": self.at.astimezone(dt.UTC).isoformat(),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "from": self.from_status,
            "to": self.to_status,
            "data": self.data,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )
        return hashlib.sha256(f"{self.prev_hash}{canonical}".encode()).hexdigest()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Dossier events are never deleted.")
