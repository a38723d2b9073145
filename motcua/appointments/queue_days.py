"""The desk queue's days: each desk's hours, the days numbers are offered on, the windows
(desk slots) of a day, the person keys of the daily limit and the day's figures
(docs/appointments.md "Desk queue").

**Hours are configuration**: a desk's ``DeskQueue`` row, or the ``APPOINTMENTS_QUEUE_*``
settings (08:00–16:00, windows of 60 minutes with 12 numbers each, today and the next six
days, five minutes' grace for a called number). **Days** are the working days of the desk's
agency (``workcalendar.calendar_for``) from today to today + the horizon.

**Windows are desk slots** (``Slot`` of kind ``desk``, any sector), made for a day by
``ensure_windows``: the ``open_desk_queue`` periodic job makes the horizon's windows ahead,
and the queue's pages make the day they show on demand, so a new desk works at once. A day
that already has desk slots of that desk (published by hand in the admin) is left as it is.
The public ``GET /api/v1/appointments/slots?kind=desk`` lists them like any slot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import mean

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from motcua.appointments.models import DeskQueue, QueueTicket, Slot, SlotKind, TicketState
from motcua.core.actions import invalid
from motcua.core.id_numbers import normalize_id_number
from motcua.core.phones import normalize_phone
from motcua.org.models import Desk
from motcua.workcalendar.store import calendar_for

# The numbers that count towards the per-person limit and the desk's figures: all but the
# cancelled ones.
HELD = (
    TicketState.WAITING,
    TicketState.CALLED,
    TicketState.SERVING,
    TicketState.DONE,
    TicketState.NO_SHOW,
)


@dataclass(frozen=True)
class Hours:
    """When and how a desk gives numbers."""

    opens: dt.time
    closes: dt.time
    window: dt.timedelta
    per_window: int
    horizon_days: int
    grace: dt.timedelta
    active: bool = True


def _clock(name: str) -> dt.time:
    value = str(getattr(settings, name))
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: use HH:MM") from exc


def hours_of(desk: Desk) -> Hours:
    """The desk's ``DeskQueue`` settings, or the province's defaults."""
    row = DeskQueue.objects.filter(desk_id=desk.pk).first()
    if row is not None:
        return Hours(
            opens=row.opens,
            closes=row.closes,
            window=dt.timedelta(minutes=row.window_minutes),
            per_window=row.numbers_per_window,
            horizon_days=row.horizon_days,
            grace=dt.timedelta(minutes=row.no_show_minutes),
            active=row.active and desk.active,
        )
    return Hours(
        opens=_clock("APPOINTMENTS_QUEUE_OPENS"),
        closes=_clock("APPOINTMENTS_QUEUE_CLOSES"),
        window=dt.timedelta(minutes=max(settings.APPOINTMENTS_QUEUE_WINDOW_MINUTES, 5)),
        per_window=max(settings.APPOINTMENTS_QUEUE_NUMBERS_PER_WINDOW, 1),
        horizon_days=max(settings.APPOINTMENTS_QUEUE_HORIZON_DAYS, 0),
        grace=dt.timedelta(minutes=settings.APPOINTMENTS_QUEUE_NO_SHOW_MINUTES),
        active=desk.active,
    )


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def at_local(day: dt.date, clock: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, clock))


def is_working_day(desk: Desk, day: dt.date) -> bool:
    return calendar_for(desk.agency_id).is_working_day(day)


def open_days(desk: Desk, moment: dt.datetime) -> list[dt.date]:
    """The days a number may be taken for: today (until the desk closes) and the working
    days up to the horizon."""
    hours = hours_of(desk)
    if not hours.active:
        return []
    today = local_day(moment)
    days = [today + dt.timedelta(days=n) for n in range(hours.horizon_days + 1)]
    return [
        day
        for day in days
        if is_working_day(desk, day) and (day > today or moment < at_local(day, hours.closes))
    ]


def day_windows(desk: Desk, day: dt.date, prefix: str = "") -> Q:
    """The desk's slots of ``day`` (``prefix`` "slot__" for their appointments)."""
    start = at_local(day, dt.time.min)
    return Q(
        **{
            f"{prefix}kind": SlotKind.DESK,
            f"{prefix}desk_id": desk.pk,
            f"{prefix}start__gte": start,
            f"{prefix}start__lt": start + dt.timedelta(days=1),
        }
    )


def ensure_windows(desk: Desk, day: dt.date) -> int:
    """Make the desk's windows of ``day`` if it has no desk slot that day yet; the number of
    windows made. Call inside a transaction that holds the desk's row lock (two callers
    would otherwise both find the day empty)."""
    hours = hours_of(desk)
    if not hours.active or not is_working_day(desk, day):
        return 0
    if Slot.objects.filter(day_windows(desk, day)).exists():
        return 0
    start, closes = at_local(day, hours.opens), at_local(day, hours.closes)
    windows = []
    while start < closes:
        end = min(start + hours.window, closes)
        windows.append(
            Slot(kind=SlotKind.DESK, start=start, end=end, capacity=hours.per_window, desk=desk)
        )
        start = end
    Slot.objects.bulk_create(windows)
    return len(windows)


def person_key(kind: str, value: str) -> str:
    """A keyed digest of a normalised phone or ID number: enough to count a person's numbers
    of a day, not enough to read the number back (the key is the site's secret)."""
    if not value:
        return ""
    return salted_hmac(f"motcua.appointments.queue.{kind}", value, algorithm="sha256").hexdigest()


def linked_keys(desk: Desk, day: dt.date, phone_digest: str, id_digest: str) -> tuple[str, str]:
    """Both keys of a person who gave only one: borrowed from the day's earlier number at the
    desk that carries the given key and the other (an online number knows both), so a
    person who gives the phone once and the ID number next time is still one person."""
    if phone_digest and id_digest:
        return phone_digest, id_digest
    day_numbers = QueueTicket.objects.filter(desk_id=desk.pk, day=day)
    if phone_digest:
        found = day_numbers.filter(phone_digest=phone_digest).exclude(id_digest="").first()
        return phone_digest, found.id_digest if found else ""
    found = day_numbers.filter(id_digest=id_digest).exclude(phone_digest="").first()
    return (found.phone_digest if found else ""), id_digest


def held_by(desk: Desk, day: dt.date, phone_digest: str, id_digest: str) -> int:
    """The numbers a person holds at the desk on ``day``, found by phone or by ID number."""
    who = Q()
    if phone_digest:
        who |= Q(phone_digest=phone_digest)
    if id_digest:
        who |= Q(id_digest=id_digest)
    if not who:
        return 0
    return QueueTicket.objects.filter(who, desk_id=desk.pk, day=day, state__in=HELD).count()


@dataclass(frozen=True)
class Figures:
    """A desk's day: numbers given online and at the desk, served, missed, still waiting,
    and the average wait from the later of taking the number and its window's start to the
    first call, in minutes."""

    online: int
    walk_in: int
    served: int
    no_show: int
    waiting: int
    cancelled: int
    average_wait_minutes: int | None


def figures(desk: Desk, day: dt.date) -> Figures:
    """Computed from the day's numbers of one desk (a few hundred rows at most)."""
    rows = QueueTicket.objects.filter(desk_id=desk.pk, day=day)
    counts = rows.aggregate(
        online=Count("id", filter=Q(walk_in=False, state__in=HELD)),
        walk_in=Count("id", filter=Q(walk_in=True, state__in=HELD)),
        served=Count("id", filter=Q(state=TicketState.DONE)),
        no_show=Count("id", filter=Q(state=TicketState.NO_SHOW)),
        waiting=Count("id", filter=Q(state=TicketState.WAITING)),
        cancelled=Count("id", filter=Q(state=TicketState.CANCELLED)),
    )
    waits = [
        (called - max(taken, window)).total_seconds() / 60
        for called, taken, window in rows.filter(called_at__isnull=False).values_list(
            "called_at", "appointment__created_at", "window_start"
        )
        if called is not None
    ]
    average = round(mean(max(w, 0) for w in waits)) if waits else None
    return Figures(average_wait_minutes=average, **counts)


def person_keys(phone: str, id_number: str) -> tuple[str, str, str]:
    """The normalised phone and the digests of phone and ID number; bad input is 422."""
    clean_phone = clean_id = ""
    if phone.strip():
        try:
            clean_phone = normalize_phone(phone)
        except ValidationError as exc:
            raise invalid("bad_phone", exc.messages[0], field="phone") from exc
    if id_number.strip():
        try:
            clean_id = normalize_id_number(id_number, old_card=True)
        except ValidationError as exc:
            raise invalid("bad_id_number", exc.messages[0], field="id_number") from exc
    if not clean_phone and not clean_id:
        raise invalid(
            "person_required",
            _("Cần số điện thoại hoặc số định danh để tính giới hạn số thứ tự mỗi ngày."),
            field="phone",
        )
    return clean_phone, person_key("phone", clean_phone), person_key("id", clean_id)
