"""The outbox: one row per message to send, written in the same transaction as the action
that causes it (the sending state is ``core.outbox.models.OutboxRow``'s)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox.models import OutboxRow


class NotificationKind(models.TextChoices):
    RECEIPT = "receipt", _("Tiếp nhận hồ sơ")  # Form 01 issued
    SUPPLEMENT_REQUEST = "supplement_request", _("Yêu cầu bổ sung")  # Form 02
    RESULT_READY = "result_ready", _("Đã có kết quả")  # the result waits for the applicant
    APOLOGY = "apology", _("Xin lỗi, hẹn lại")  # Form 04, a new appointment
    # To a person, with no dossier (notify_person): a citizen proving a phone or email.
    VERIFICATION_CODE = "verification_code", _("Mã xác minh")
    # A home visit booked or moved (its change/cancel link sealed), and its reminders
    # (docs/appointments.md "Confirmation and reminders").
    APPOINTMENT_CONFIRMED = "appointment_confirmed", _("Xác nhận lịch hẹn tại nhà")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Nhắc lịch hẹn tại nhà")


# The kinds about a dossier (outbox.notify_dossier) and those to a person (outbox.notify_person).
PERSON_KINDS = frozenset(
    {
        NotificationKind.VERIFICATION_CODE.value,
        NotificationKind.APPOINTMENT_CONFIRMED.value,
        NotificationKind.APPOINTMENT_REMINDER.value,
    }
)
DOSSIER_KINDS = frozenset(NotificationKind.values) - PERSON_KINDS


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class Notification(OutboxRow):
    """A message to a dossier's applicant, or to a person with no dossier. A dossier's message
    is unique by ``(dossier, kind, channel, event_seq)``, so the event that caused it can never
    produce a second message on the same channel; a person's by ``(kind, channel,
    idempotency_key)``, the key naming what caused it (e.g. one verification code)."""

    # By name: notifications are a service below dossiers and import nothing of them.
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="notifications",
        null=True,
        blank=True,
    )
    # The dossier's event sequence number after the action that caused the message (0 for a
    # message with no dossier).
    event_seq = models.PositiveIntegerField(_("sự kiện số"))
    # What caused a message with no dossier; "" for a dossier's message.
    idempotency_key = models.CharField(_("khóa chống gửi trùng"), max_length=100, blank=True)
    kind = models.CharField(_("loại thông báo"), max_length=24, choices=NotificationKind.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=NotificationChannel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    # As stored and shown in the admin: a secret (a verification code) appears as
    # ``sealed.PLACEHOLDER``; the secret itself is only in ``sealed_secret``.
    body = models.TextField(_("nội dung"))
    # The secret the body needs at send time, encrypted under a key derived from SECRET_KEY
    # (``sealed.py``); erased once the message is sent. Never shown in the admin.
    sealed_secret = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "channel", "event_seq"],
                name="notification_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["kind", "channel", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="notification_once_per_key",
            ),
            # Every row is keyed one way or the other, so none escapes both uniqueness rules.
            models.CheckConstraint(
                condition=models.Q(dossier__isnull=False) | ~models.Q(idempotency_key=""),
                name="notification_keyed",
            ),
        ]
        indexes = [
            # drain_outbox (and send_notification's claim) read rows still to send, by due
            # time; partial, so the growing history of sent rows costs the sweep nothing.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due",
                condition=models.Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_channel_display()} · {self.recipient}"
