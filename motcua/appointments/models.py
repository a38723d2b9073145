"""Appointments: officers' home visits and desk queue numbers (docs/appointments.md).

A ``Slot`` is a period someone offers: an officer (or a team) visiting homes in the units it
serves, or a desk (and sector) taking numbers. ``booked`` counts its live appointments and
the database keeps it within ``capacity`` (a check constraint), so no race can double-book:
the booking action takes a place with one conditional update (``appointments/actions.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, Sector
from motcua.org.models import AdministrativeUnit, Desk

NAME_MAX = 200
PHONE_MAX = 15
ADDRESS_MAX = 255
COUNTER_MAX = 20
EMAIL_MAX = 254
NOTE_MAX = 1000


class SlotKind(models.TextChoices):
    HOME = "home", _("Hẹn tại nhà")
    DESK = "desk", _("Lấy số tại quầy")


class Purpose(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE_RESULT = "receive_result", _("Nhận kết quả")
    COUNTER = "counter", _("Giao dịch tại quầy")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Đã đặt")
    CANCELLED = "cancelled", _("Đã hủy")
    DONE = "done", _("Đã thực hiện")
    NO_SHOW = "no_show", _("Vắng mặt")
    FAILED = "failed", _("Không thực hiện được")


class BookingChannel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    HOTLINE = "hotline", _("Tổng đài 1022")
    DESK = "desk", _("Tại quầy")
    API = "api", _("API")


class Slot(models.Model):
    """A bookable period: ``capacity`` places, ``booked`` of them taken (never more: the
    ``slot_booked_within_capacity`` constraint)."""

    kind = models.CharField(_("loại"), max_length=10, choices=SlotKind.choices)
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    capacity = models.PositiveIntegerField(_("số chỗ"), default=1)
    booked = models.PositiveIntegerField(_("đã đặt"), default=0, editable=False)
    # Home visits: who comes, and where.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ đến nhà"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="home_slots",
    )
    team = models.CharField(_("tổ công tác"), max_length=200, blank=True)
    units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("địa bàn phục vụ"),
        blank=True,
        related_name="appointment_slots",
    )
    travel_minutes = models.PositiveSmallIntegerField(
        _("thời gian di chuyển giữa hai lượt (phút)"), default=0
    )
    # Desk numbers: where, and for which sector (any when empty).
    desk = models.ForeignKey(
        Desk,
        verbose_name=_("bộ phận một cửa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment_slots",
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment_slots",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("khung giờ hẹn")
        verbose_name_plural = _("khung giờ hẹn")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["kind", "start"], name="slot_kind_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_booked_within_capacity"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_end_after_start"),
            models.CheckConstraint(
                condition=Q(kind="desk", desk__isnull=False, officer__isnull=True)
                | (Q(kind="home", desk__isnull=True) & (Q(officer__isnull=False) | ~Q(team=""))),
                name="slot_kind_fields",
            ),
        ]

    def __str__(self) -> str:
        where = self.desk.name if self.desk_id and self.desk else (self.team or str(self.officer))
        return f"{self.get_kind_display()} · {where} · {self.start:%d/%m/%Y %H:%M}"

    def clean(self) -> None:
        """The constraints' rules in words, for the admin's form, before the database
        refuses the row."""
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Giờ kết thúc phải sau giờ bắt đầu.")})
        if self.capacity is not None and self.capacity < self.booked:
            raise ValidationError(
                {
                    "capacity": _("Đã có %(n)s lịch hẹn; số chỗ không thể ít hơn.")
                    % {"n": self.booked}
                }
            )
        if self.kind == SlotKind.DESK and (self.desk_id is None or self.officer_id is not None):
            raise ValidationError(_("Lấy số tại quầy cần bộ phận một cửa và không gắn cán bộ."))
        if self.kind == SlotKind.HOME and (
            self.desk_id is not None or (self.officer_id is None and not self.team.strip())
        ):
            raise ValidationError(
                _("Hẹn tại nhà cần cán bộ hoặc tổ công tác và không gắn bộ phận một cửa.")
            )

    @property
    def remaining(self) -> int:
        return self.capacity - self.booked


def token_digest(token: str) -> str:
    """What is stored of a cancel token: its SHA-256 (the token is 32 random bytes, so a
    plain digest cannot be reversed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Appointment(models.Model):
    """A booked place in a slot, for one procedure. Only the digest of its cancel token is
    kept; the token itself is given once, to whoever booked."""

    slot = models.ForeignKey(
        Slot, verbose_name=_("khung giờ"), on_delete=models.PROTECT, related_name="appointments"
    )
    # Empty for a desk queue number, which is taken for a sector, not a procedure.
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("mục đích"), max_length=20, choices=Purpose.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    contact_name = models.CharField(_("người liên hệ"), max_length=NAME_MAX)
    contact_phone = models.CharField(_("số điện thoại"), max_length=PHONE_MAX)
    address_line = models.CharField(_("địa chỉ"), max_length=ADDRESS_MAX, blank=True)
    address_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đặt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("kênh đặt"), max_length=10, choices=BookingChannel.choices)
    created_at = models.DateTimeField(_("đặt lúc"))
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancel_digest = models.CharField(max_length=64, unique=True, editable=False)
    # Where the confirmation and reminders go besides the phone (docs/appointments.md).
    contact_email = models.EmailField(_("thư điện tử"), max_length=EMAIL_MAX, blank=True)

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ["slot__start", "id"]
        indexes = [
            models.Index(fields=["contact_phone", "status"], name="appointment_phone_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.slot}"


# ---- Home visits: reminders, the officer's calendar feed, the visit's outcome --------------
# (docs/appointments.md "Confirmation and reminders", "The officer's day", "The outcome")


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day_before", _("Trước một ngày")
    TWO_HOURS = "two_hours", _("Trước hai giờ")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    DROPPED = "dropped", _("Bỏ")


class AppointmentReminder(models.Model):
    """A reminder of a home visit, due at ``due_at``: written at booking, moved by a
    reschedule, dropped by a cancel or an outcome, and sent once (pending → sent by a
    conditional update) by ``send_appointment_reminders``. One per kind per appointment."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("lịch hẹn"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("loại nhắc"), max_length=12, choices=ReminderKind.choices)
    due_at = models.DateTimeField(_("nhắc lúc"))
    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=ReminderStatus.choices,
        default=ReminderStatus.PENDING,
    )
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhắc lịch hẹn")
        verbose_name_plural = _("nhắc lịch hẹn")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind"], name="reminder_once_per_kind")
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="reminder_pending_due",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.appointment_id} · {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """An officer's secret iCalendar feed: the address carries a random token of which only
    the digest is kept. Revoking sets ``revoked_at``; a new feed revokes the old one."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch iCalendar của cán bộ")
        verbose_name_plural = _("lịch iCalendar của cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.created_at:%d/%m/%Y}"


class VisitOutcome(models.Model):
    """What happened at a home visit, recorded once by the visiting officer: done, the
    citizen absent, or could not be done, with notes; the dossier received there or whose
    result was returned there."""

    appointment = models.OneToOneField(
        Appointment, verbose_name=_("lịch hẹn"), on_delete=models.PROTECT, related_name="outcome"
    )
    outcome = models.CharField(_("kết quả"), max_length=10, choices=AppointmentStatus.choices)
    note = models.TextField(_("ghi chú"), max_length=NOTE_MAX, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ ghi nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"))

    class Meta:
        verbose_name = _("kết quả lượt đến nhà")
        verbose_name_plural = _("kết quả lượt đến nhà")

    def __str__(self) -> str:
        return f"#{self.appointment_id} · {self.get_outcome_display()}"


# ---- The desk queue (docs/appointments.md "Desk queue"; appointments/queue.py) ---------------


class DeskQueue(models.Model):
    """A desk's queue settings: its hours for numbers, the windows they are offered in, how far
    ahead, and how long a called number may take to come to the counter. A desk without a row
    uses the ``APPOINTMENTS_QUEUE_*`` settings; ``active`` off stops its numbers."""

    desk = models.OneToOneField(
        Desk, verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="queue"
    )
    opens = models.TimeField(_("bắt đầu cấp số"), default=dt.time(8, 0))
    closes = models.TimeField(_("kết thúc cấp số"), default=dt.time(16, 0))
    window_minutes = models.PositiveSmallIntegerField(_("độ dài khung giờ (phút)"), default=60)
    numbers_per_window = models.PositiveSmallIntegerField(_("số lượt mỗi khung giờ"), default=12)
    horizon_days = models.PositiveSmallIntegerField(_("đặt trước tối đa (ngày)"), default=6)
    no_show_minutes = models.PositiveSmallIntegerField(_("chờ công dân đến quầy (phút)"), default=5)
    active = models.BooleanField(_("đang cấp số"), default=True)

    class Meta:
        verbose_name = _("cấu hình xếp hàng")
        verbose_name_plural = _("cấu hình xếp hàng")
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="queue_closes_after"),
            models.CheckConstraint(condition=Q(window_minutes__gte=5), name="queue_window_min"),
            models.CheckConstraint(
                condition=Q(numbers_per_window__gte=1), name="queue_numbers_positive"
            ),
            models.CheckConstraint(condition=Q(horizon_days__lte=60), name="queue_horizon_max"),
        ]

    def __str__(self) -> str:
        return f"{self.desk} · {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("Giờ kết thúc phải sau giờ bắt đầu.")})


class QueueDay(models.Model):
    """The last number a desk gave on a day: numbers are taken from it with one atomic
    update, so two people never get the same number."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "day"], name="queue_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.desk_id} · {self.day:%d/%m/%Y} · {self.last_number}"


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đã gọi")
    SERVING = "serving", _("Đang phục vụ")
    DONE = "done", _("Đã phục vụ")
    NO_SHOW = "no_show", _("Vắng mặt")
    CANCELLED = "cancelled", _("Đã hủy")


class QueueTicket(models.Model):
    """A queue number: the ``number``-th of its desk and day, online or walk-in alike. Its
    appointment holds the place in a window; only keyed digests of the person's phone and ID
    number are kept here, which is all the per-person daily limit needs."""

    appointment = models.OneToOneField(
        Appointment, verbose_name=_("lịch hẹn"), on_delete=models.PROTECT, related_name="ticket"
    )
    desk = models.ForeignKey(
        Desk, verbose_name=_("bộ phận một cửa"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    walk_in = models.BooleanField(_("lấy số tại quầy"), default=False)
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=TicketState.choices, default=TicketState.WAITING
    )
    window_start = models.DateTimeField(_("khung giờ từ"))
    expected_at = models.DateTimeField(_("dự kiến"))
    phone_digest = models.CharField(max_length=64, blank=True, editable=False)
    id_digest = models.CharField(max_length=64, blank=True, editable=False)
    counter = models.CharField(_("quầy"), max_length=COUNTER_MAX, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ gọi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    called_at = models.DateTimeField(_("gọi lúc"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("gọi lại lúc"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("số lần gọi lại"), default=0)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["day", "number"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "day", "number"], name="queue_number_unique"),
        ]
        indexes = [
            models.Index(fields=["desk", "day", "state", "number"], name="queue_next"),
            models.Index(fields=["desk", "day", "phone_digest"], name="queue_phone"),
            models.Index(fields=["desk", "day", "id_digest"], name="queue_id"),
        ]

    def __str__(self) -> str:
        return f"{self.number:03d} · {self.desk} · {self.day:%d/%m/%Y}"


# The history's model lives beside the actions that append to it; imported here so Django
# registers it with the app.
from motcua.appointments.events import AppointmentEvent  # noqa: E402

__all__ = ["AppointmentEvent"]
