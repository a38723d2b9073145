"""The ticket's history: append-only, hash-chained events (rules in ``core/chain.py``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.chain import ChainedEvent
from motcua.hotline.models.ticket import Ticket


class TicketEvent(ChainedEvent):
    record_field = "ticket"
    # The actions that set or move ``due_at`` (intake, a new kind).
    due_kinds = frozenset({"open", "classify"})

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")

    class Meta:
        verbose_name = _("nhật ký phản ánh")
        verbose_name_plural = _("nhật ký phản ánh")
        ordering = ["ticket", "seq"]
        constraints = [models.UniqueConstraint(fields=["ticket", "seq"], name="ticket_event_seq")]

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.seq} {self.kind}"
