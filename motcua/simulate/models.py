"""What a simulation wrote, so simulated history is told apart from real work
(docs/simulate.md "Real data").

Every run of ``manage.py simulate`` is a ``SimulationRun``, and every dossier and ticket it
creates is linked to it. A dossier or ticket with no such link is real data: ``simulate``
refuses to run where there is any, unless told (``--allow-real-data``).
"""

from __future__ import annotations

from django.conf import settings
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


class WhatIfStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ chạy")  # created; its task is queued on commit
    RUNNING = "running", _("Đang chạy")  # a worker claimed it
    DONE = "done", _("Đã xong")  # ``result`` holds the figures and assumptions
    FAILED = "failed", _("Lỗi")  # ``error`` says why


class WhatIfRun(models.Model):
    """One what-if of a reform asked for (docs/simulate.md "What-if of a reform"): the
    proposal's values, for whom, and once done the figures and their assumptions
    (``whatif.WhatIf.to_json``). Computed by the ``run_what_if`` task, in memory: a what-if
    writes no dossier."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("nội dung"), max_length=500, blank=True)
    # The reform proposal it is for (``reform``'s id; no key: simulate only reads plain values).
    proposal_id = models.PositiveBigIntegerField(_("mã đề xuất"), null=True, blank=True)
    reform = models.JSONField(_("phương án"), default=dict)  # ``whatif.Reform.to_json``
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=WhatIfStatus.choices, default=WhatIfStatus.QUEUED
    )
    result = models.JSONField(_("kết quả"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đánh giá tác động giả định")
        verbose_name_plural = _("đánh giá tác động giả định")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.pk}: {self.subject} ({self.get_status_display()})"
