"""The dossier's history: append-only events linked by a hash chain (tamper-evident); the
chain rules live in ``core/chain.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.chain import GENESIS, AppendOnlyError, ChainedEvent
from motcua.dossiers.models.dossier import Dossier

__all__ = ["GENESIS", "AppendOnlyError", "DossierEvent"]


class DossierEvent(ChainedEvent):
    record_field = "dossier"
    # The actions that set or move ``due_at`` (reception, resumption, apology).
    due_kinds = frozenset({"receive", "complete_supplement", "record_payment", "apologise"})

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")

    class Meta:
        verbose_name = _("nhật ký hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq_per_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.kind}"
