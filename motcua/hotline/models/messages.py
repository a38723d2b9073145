"""A ticket's thread: what the citizen wrote, what was answered, internal notes.

An outbound message is also its own outbox row (docs/architecture.md rule 7, ``core/outbox/``):
written in the action's transaction, delivered after commit on the ticket's channel by a task
that claims it with a conditional update, retried with backoff (``replies.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox.models import OutboxRow
from motcua.hotline.models.ticket import Ticket


class Direction(models.TextChoices):
    INBOUND = "in", _("Người dân gửi")
    OUTBOUND = "out", _("Trả lời")
    NOTE = "note", _("Ghi chú nội bộ")


class Delivery(models.TextChoices):
    NONE = "", _("Không gửi")  # inbound messages and notes
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    IN_PERSON = "in_person", _("Đã trả lời trực tiếp")  # by phone, at the desk, at a dialogue


class TicketMessage(OutboxRow):
    # A thread's message first: only replies are sent, so the sending state is ``delivery``,
    # which also says "not sent" (inbound, notes) and "answered in person".
    status_field = "delivery"
    status = None  # type: ignore[assignment]

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("phản ánh"), on_delete=models.PROTECT, related_name="messages"
    )
    direction = models.CharField(_("chiều"), max_length=4, choices=Direction.choices)
    channel = models.CharField(_("kênh"), max_length=20)
    body = models.TextField(_("nội dung"))
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_name = models.CharField(_("người viết"), max_length=255, blank=True)
    # The platform's id of an inbound message (Zalo msg_id, Messenger mid, email Message-ID):
    # unique per channel, so a webhook delivered twice stores one message.
    external_id = models.CharField(_("mã tin trên kênh"), max_length=255, blank=True)
    # Outbound: who it goes to on the channel (a Zalo user id, a PSID, an email address…).
    recipient = models.CharField(_("người nhận"), max_length=255, blank=True)
    delivery = models.CharField(
        _("gửi đi"), max_length=10, choices=Delivery.choices, blank=True, default=""
    )
    # Empty on the messages that are never sent (inbound, notes, answered in person).
    next_attempt_at = models.DateTimeField(  # type: ignore[assignment]
        _("gửi (lại) từ"), null=True, blank=True
    )
    provider_message_id = models.CharField(_("mã tin của kênh"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tin nhắn")
        verbose_name_plural = _("tin nhắn")
        ordering = ["ticket", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="ticket_message_once",
            )
        ]
        indexes = [
            # The reply outbox's claim and drain (replies.py) read replies still to deliver,
            # by due time.
            models.Index(
                fields=["next_attempt_at"],
                name="ticket_reply_due",
                condition=Q(delivery__in=["pending", "sending"]),
            ),
            # Email threading: a reply's In-Reply-To names the Message-ID we sent.
            models.Index(fields=["provider_message_id"], name="ticket_message_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.direction} {self.at:%Y-%m-%d %H:%M}"


class TicketAttachment(models.Model):
    message = models.ForeignKey(
        TicketMessage,
        verbose_name=_("tin nhắn"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("tệp"), upload_to="hotline/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.name
