"""The fields every outbox row has; each outbox's model inherits them (abstract: no table)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")  # waiting for its task, or for next_attempt_at (retry)
    SENDING = "sending", _("Đang gửi")  # claimed by one worker until next_attempt_at (lease)
    SENT = "sent", _("Đã gửi")  # accepted by the receiver; never sent again
    FAILED = "failed", _("Gửi lỗi")  # permanent error or attempts used up; "Gửi lại" resets


class OutboxRow(models.Model):
    """What every outbox row records about its sending. A model whose state field has another
    name (a hotline message, which is a thread's message first) removes ``status`` and names
    its own in ``status_field``; the values are ``OutboxStatus``'s."""

    status_field: ClassVar[str] = "status"

    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # When the latest attempt began; committed before the receiver is called, so a worker
    # that dies mid-send leaves the trace (status "sending", this time, the attempt count).
    attempted_at = models.DateTimeField(_("lần gửi gần nhất lúc"), null=True, blank=True)
    # An attempt died between handing the row over and recording the outcome, and it was sent
    # again: the recipient may have it twice (docs/decisions/outbox.md).
    maybe_duplicate = models.BooleanField(_("có thể đã gửi trùng"), default=False)
    # When the row may next be claimed: a retry's due time, or the end of a "sending" lease.
    # Each outbox indexes it, partially on the rows still to send, for its claim and drain.
    next_attempt_at = models.DateTimeField(_("gửi (lại) từ"), default=timezone.now)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    provider_message_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=255, blank=True)

    class Meta:
        abstract = True
