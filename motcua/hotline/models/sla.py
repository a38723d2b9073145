"""How long the province gives itself to answer each kind of ticket, in working hours."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.hotline.status import TicketKind

# Defaults until the province sets its own (admin, "Thời hạn trả lời"): a question in two
# working days, feedback and petitions in ten (Decree 20/2008/NĐ-CP, art. 12), complaints in
# thirty (Law on Complaints, art. 28, first-instance), a service request within the day.
DEFAULT_WORKING_HOURS: dict[str, Decimal] = {
    TicketKind.QUESTION: Decimal(16),
    TicketKind.FEEDBACK: Decimal(80),
    TicketKind.PETITION: Decimal(80),
    TicketKind.COMPLAINT: Decimal(240),
    TicketKind.SERVICE_REQUEST: Decimal(8),
}


class ResponseTime(models.Model):
    kind = models.CharField(_("loại"), max_length=20, choices=TicketKind.choices, unique=True)
    working_hours = models.DecimalField(_("số giờ làm việc"), max_digits=6, decimal_places=1)
    near_due_hours = models.DecimalField(
        _("cảnh báo trước (giờ làm việc)"), max_digits=6, decimal_places=1, default=Decimal(4)
    )

    class Meta:
        verbose_name = _("thời hạn trả lời")
        verbose_name_plural = _("thời hạn trả lời")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.working_hours} giờ"
