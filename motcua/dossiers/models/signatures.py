"""The signing outbox: one row per signature a result is waiting for (``dossiers/signatures.py``,
docs/signatures.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox.models import OutboxRow, OutboxStatus
from motcua.dossiers.models.results import DossierResult
from motcua.dossiers.models.steps import DossierStep
from motcua.signing.models import SigningKey


class ResultSigning(OutboxRow):
    """Sign ``result`` with ``key``: written by ``mark_result_ready`` in its transaction, done
    by the signing task. ``provider_message_id`` keeps the signed file's SHA-256."""

    result = models.ForeignKey(
        DossierResult,
        verbose_name=_("kết quả"),
        on_delete=models.CASCADE,
        related_name="signings",
    )
    key = models.ForeignKey(
        SigningKey, verbose_name=_("khóa ký"), on_delete=models.PROTECT, related_name="signings"
    )
    # A person's signature for one step of the workflow (a leader's approval), for later;
    # the agency's signature on its result has none.
    step = models.ForeignKey(
        DossierStep,
        verbose_name=_("bước xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("mức chữ ký PAdES"), max_length=8, blank=True)  # B-LTA, B-B
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lệnh ký số kết quả")
        verbose_name_plural = _("lệnh ký số kết quả")
        ordering = ["pk"]
        indexes = [
            # The signing drain's claim (``signatures.drain``).
            models.Index(
                fields=["next_attempt_at"],
                name="result_signing_due",
                condition=Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.result} · {self.key}"
