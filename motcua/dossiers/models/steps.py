"""Workflow steps of a dossier: who has it, since when, by when (Form 06 rows)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Dossier, Outcome
from motcua.org.models import Agency, Role


class DossierStep(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="dossier_steps"
    )
    allotted_hours = models.DecimalField(
        _("thời gian quy định (giờ làm việc)"), max_digits=7, decimal_places=2, null=True
    )
    started_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn xử lý bước"), null=True, blank=True)
    finished_at = models.DateTimeField(_("chuyển lúc"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Copied from the template's step at reception: the result recorded at this step waits
    # for its holder's personal signature (docs/signatures.md "A leader's personal signature").
    personal_signature = models.BooleanField(
        _("lãnh đạo ký số cá nhân trên kết quả"), default=False, db_default=False
    )
    # Where the time goes (docs/rules/indicators.md): working seconds in the step agency's
    # calendar, measured as they happen and never rewritten by a later calendar change.
    # Paused: the clock stopped while the applicant owed a supplement or fees during the step.
    paused_seconds = models.BigIntegerField(_("thời gian tạm dừng (giây làm việc)"), default=0)
    # Waiting: from the start of the step to the first thing an officer did on it (an
    # opinion, a supplement or fee request, the hand-over), measured then.
    waiting_seconds = models.BigIntegerField(
        _("thời gian chờ xử lý (giây làm việc)"), null=True, blank=True
    )
    # Working: from start to finish, pauses excluded, measured when the step finishes.
    working_seconds = models.BigIntegerField(
        _("thời gian thực hiện (giây làm việc)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="dossier_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"
