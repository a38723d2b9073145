"""What a simulation wrote, so simulated history is told apart from real work
(docs/simulate.md "Real data").

Every run of ``manage.py simulate`` is a ``SimulationRun``, and every dossier and ticket it
creates is linked to it. A dossier or ticket with no such link is real data: ``simulate``
refuses to run where there is any, unless told (``--allow-real-data``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.hotline.models import Ticket


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Đang chạy")  # or stopped without a word (the process was killed)
    FINISHED = "finished", _("Đã xong")
    INTERRUPTED = "interrupted", _("Bị dừng giữa chừng")  # Ctrl-C: what was done is kept


class SimulationRun(models.Model):
    """One run of ``simulate``: its mode, dates, seed and options, and what it wrote."""

    mode = models.CharField(_("cách ghi"), max_length=20)  # "through_actions" or "bulk"
    start = models.DateField(_("từ ngày"))
    days = models.PositiveIntegerField(_("số ngày"))
    seed = models.BigIntegerField(_("hạt giống"))
    options = models.JSONField(_("tham số"), default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), auto_now_add=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    dossiers = models.PositiveIntegerField(_("số hồ sơ"), default=0)
    tickets = models.PositiveIntegerField(_("số phản ánh"), default=0)
    changes = models.PositiveBigIntegerField(_("số thay đổi"), default=0)

    class Meta:
        verbose_name = _("lần mô phỏng")
        verbose_name_plural = _("lần mô phỏng")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.mode} {self.start:%d/%m/%Y} +{self.days} ({self.get_status_display()})"


class SimulatedDossier(models.Model):
    """A dossier a simulation created (not real work)."""

    dossier = models.OneToOneField(
        Dossier, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(SimulationRun, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.run_id}: {self.dossier_id}"


class SimulatedTicket(models.Model):
    """A hotline ticket a simulation created (not real work)."""

    ticket = models.OneToOneField(
        Ticket, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(SimulationRun, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.run_id}: {self.ticket_id}"


def real_records() -> list[str]:
    """The kinds of records that hold real data: dossiers, tickets that no simulation
    created (the real-data rule). Each is one anti-join that stops at the first row."""
    found = []
    if Dossier.objects.exclude(pk__in=SimulatedDossier.objects.values("dossier_id")).exists():
        found.append("dossiers")
    if Ticket.objects.exclude(pk__in=SimulatedTicket.objects.values("ticket_id")).exists():
        found.append("tickets")
    return found
