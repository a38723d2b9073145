"""The desk queue's actions: taking a number online or at the desk, calling, serving and
missing it (docs/appointments.md "Desk queue"; docs/architecture.md rules 1–2).

**One sequence per desk and day, online and walk-in alike**: a number is the desk's
``QueueDay`` counter after one atomic ``last_number = last_number + 1`` update, and the
database keeps ``(desk, day, number)`` unique. Issuing locks the desk's row (as
``book_appointment`` does) for the per-person count, so one person's two requests cannot
both pass it.

**At most ``APPOINTMENTS_DESK_PER_PERSON_PER_DAY`` numbers per person per desk and day**
(two, as the desk booking rule Hanoi applies says), online and walk-in together: a person is
known by the keyed digest of their phone or of their ID number (``queue_days.person_key``);
a walk-in's phone and ID number are kept only as those digests.

**First come, first served**: ``call_next_number`` calls the lowest waiting number of the
day whose window has begun, whoever took it and how; two clerks calling at once get two
different numbers (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, and a conditional
update on every database). A called number not at the counter within the desk's grace is a
no-show (``record_no_show``, or the ``expire_queue_calls`` sweep), which the appointment
records as ``no_show``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from motcua.appointments import events
from motcua.appointments.actions import LIVE
from motcua.appointments.models import (
    COUNTER_MAX,
    NAME_MAX,
    Appointment,
    AppointmentStatus,
    BookingChannel,
    Purpose,
    QueueDay,
    QueueTicket,
    Slot,
    SlotKind,
    TicketState,
    token_digest,
)
from motcua.appointments.queue_days import (
    at_local,
    day_windows,
    ensure_windows,
    held_by,
    hours_of,
    is_working_day,
    linked_keys,
    local_day,
    person_keys,
)
from motcua.appointments.queue_sweeps import expire_called_numbers, open_desk_days
from motcua.catalog.models import Procedure, Sector
from motcua.core.actions import ActionError, User, invalid, now, person
from motcua.dossiers.permissions import Scope
from motcua.org.models import Desk

# action → (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "cancel_number": (frozenset({TicketState.WAITING}), TicketState.CANCELLED),
    "recall_number": (frozenset({TicketState.CALLED}), TicketState.CALLED),
    "start_serving": (frozenset({TicketState.CALLED}), TicketState.SERVING),
    "finish_number": (
        frozenset({TicketState.CALLED, TicketState.SERVING}),
        TicketState.DONE,
    ),
    "record_no_show": (frozenset({TicketState.CALLED}), TicketState.NO_SHOW),
}
# What the appointment records when its number ends.
APPOINTMENT_STATUS: dict[str, str] = {
    TicketState.DONE: AppointmentStatus.DONE,
    TicketState.NO_SHOW: AppointmentStatus.NO_SHOW,
    TicketState.CANCELLED: AppointmentStatus.CANCELLED,
}
# How many times call_next looks again when another clerk took the number it found.
CALL_ATTEMPTS = 5


def is_clerk(actor: User | None, desk: Desk) -> bool:
    """The actor receives dossiers at the desk (its receptionists and post office staff)."""
    return person(actor) is not None and Scope.of(actor).receives_at(desk)


def _require_clerk(actor: User | None, desk: Desk) -> None:
    if not is_clerk(actor, desk):
        raise ActionError(
            "not_desk_staff",
            _("Chỉ cán bộ tiếp nhận của bộ phận một cửa này được thực hiện."),
            status=403,
        )


def _check_sector(desk: Desk, sector: Sector | None) -> None:
    if (
        sector is not None
        and not Procedure.objects.filter(desks=desk, sector=sector, active=True).exists()
    ):
        raise invalid(
            "sector_not_served",
            _("Bộ phận một cửa này không tiếp nhận lĩnh vực %(sector)s.") % {"sector": sector},
            field="sector",
        )


def _within_limit(
    desk: Desk, day: dt.date, phone: str, phone_digest: str, id_digest: str
) -> tuple[str, str]:
    """Refuse a person's number beyond the day's limit; the person's keys, both when an
    earlier number of the day links them (``queue_days.linked_keys``). Desk slots booked
    through the API (``book_appointment``, no number) count too, by phone."""
    keys = linked_keys(desk, day, phone_digest, id_digest)
    limit = settings.APPOINTMENTS_DESK_PER_PERSON_PER_DAY
    booked = (
        Appointment.objects.filter(
            day_windows(desk, day, prefix="slot__"),
            contact_phone=phone,
            status__in=LIVE,
            ticket__isnull=True,
        ).count()
        if phone
        else 0
    )
    if held_by(desk, day, *keys) + booked >= limit:
        raise ActionError(
            "daily_limit",
            _("Mỗi người được lấy tối đa %(limit)s số thứ tự một ngày tại một bộ phận một cửa.")
            % {"limit": limit},
            details={"limit": limit},
        )
    return keys


def _next_number(desk: Desk, day: dt.date) -> int:
    """The day's next number: one atomic increment of the desk's counter row."""
    counter, _created = QueueDay.objects.get_or_create(desk=desk, day=day)
    QueueDay.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return QueueDay.objects.values_list("last_number", flat=True).get(pk=counter.pk)


def _take_place(slot: Slot, at: dt.datetime) -> dt.datetime | None:
    """Take a place in the window (a conditional update, as ``book_appointment``); the
    expected time of the place taken, or None when the window is full or over."""
    if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity"), end__gt=at).update(
        booked=F("booked") + 1
    ):
        return None
    slot.refresh_from_db(fields=["booked", "capacity"])
    each = (slot.end - slot.start) / slot.capacity
    return max(slot.start + each * (slot.booked - 1), at)


def _create(
    *,
    desk: Desk,
    slot: Slot,
    expected: dt.datetime,
    sector: Sector | None,
    name: str,
    phone: str,
    keys: tuple[str, str],
    walk_in: bool,
    channel: str,
    actor: User | None,
    at: dt.datetime,
) -> QueueTicket:
    day = local_day(slot.start)
    appointment = Appointment.objects.create(
        slot=slot,
        procedure=None,
        purpose=Purpose.COUNTER,
        contact_name=name,
        contact_phone=phone,
        booked_by=person(actor) if not walk_in else None,
        channel=channel,
        created_at=at,
        # Numbers are cancelled by the signed-in citizen or at the desk: the token is never
        # given, its digest only fills the unique column.
        cancel_digest=token_digest(secrets.token_urlsafe(32)),
    )
    ticket = QueueTicket.objects.create(
        appointment=appointment,
        desk=desk,
        day=day,
        number=_next_number(desk, day),
        sector=sector,
        walk_in=walk_in,
        window_start=slot.start,
        expected_at=expected,
        phone_digest=keys[0],
        id_digest=keys[1],
    )
    kind = "issue_walk_in" if walk_in else "take_number"
    events.append(
        appointment, kind, at=at, actor=actor, desk=desk.pk, slot=slot.pk, number=ticket.number
    )
    return ticket


def _name(name: str) -> str:
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise invalid(
            "name_too_long", _("Họ tên dài tối đa %(max)s ký tự.") % {"max": NAME_MAX}, field="name"
        )
    return name


def _check_window(desk: Desk, slot: Slot, at: dt.datetime) -> None:
    """The window is one of the desk's, on an offered day and within the desk's hours."""
    hours = hours_of(desk)
    if slot.kind != SlotKind.DESK or slot.desk_id != desk.pk:
        raise invalid("slot_not_found", _("Không tìm thấy khung giờ của quầy này."), field="slot")
    day, today = local_day(slot.start), local_day(at)
    if not hours.active:
        raise invalid("queue_closed", _("Bộ phận một cửa này hiện không cấp số thứ tự."))
    if day < today or day > today + dt.timedelta(days=hours.horizon_days):
        raise invalid(
            "outside_horizon",
            _("Chỉ lấy số cho hôm nay hoặc %(days)s ngày tới.") % {"days": hours.horizon_days},
            field="day",
        )
    if not is_working_day(desk, day):
        raise invalid(
            "day_off",
            _("Ngày %(day)s không phải ngày làm việc.") % {"day": f"{day:%d/%m/%Y}"},
            field="day",
        )
    if slot.start < at_local(day, hours.opens) or slot.end > at_local(day, hours.closes):
        raise invalid("outside_hours", _hours_message(hours.opens, hours.closes), field="slot")
    if slot.end <= at:
        raise invalid(
            "window_over", _("Khung giờ này đã qua; vui lòng chọn giờ khác."), field="slot"
        )


def _hours_message(opens: dt.time, closes: dt.time) -> str:
    return _("Quầy chỉ cấp số từ %(opens)s đến %(closes)s trong ngày làm việc.") % {
        "opens": f"{opens:%H:%M}",
        "closes": f"{closes:%H:%M}",
    }


@transaction.atomic
def take_number(
    *,
    desk: Desk,
    slot: Slot,
    sector: Sector | None,
    name: str,
    phone: str,
    id_number: str = "",
    actor: User | None,
    channel: str = BookingChannel.PORTAL,
) -> QueueTicket:
    """An online queue number at ``desk`` in the window ``slot``, for a signed-in citizen:
    today or a working day up to the desk's horizon, within its hours, within the
    per-person daily limit (counted with walk-in numbers). Refused: another desk's or a past
    window, a day off, outside the hours or the horizon (422); a full window, the limit
    (409)."""
    at = now()
    _check_window(desk, slot, at)
    _check_sector(desk, sector)
    if slot.sector_id is not None and (sector is None or sector.pk != slot.sector_id):
        raise invalid(
            "sector_not_served", _("Khung giờ này dành cho lĩnh vực khác."), field="sector"
        )
    clean_phone, phone_digest, id_digest = person_keys(phone, id_number)
    Desk.objects.select_for_update().filter(pk=desk.pk).first()
    keys = _within_limit(desk, local_day(slot.start), clean_phone, phone_digest, id_digest)
    expected = _take_place(slot, at)
    if expected is None:
        raise ActionError(
            "slot_full",
            _("Khung giờ này đã hết số; vui lòng chọn giờ khác."),
            details={"slot": slot.pk},
        )
    return _create(
        desk=desk,
        slot=slot,
        expected=expected,
        sector=sector,
        name=_name(name),
        phone=clean_phone,
        keys=keys,
        walk_in=False,
        channel=channel,
        actor=actor,
        at=at,
    )


@transaction.atomic
def issue_walk_in(
    *,
    desk: Desk,
    sector: Sector | None,
    phone: str = "",
    id_number: str = "",
    name: str = "",
    actor: User | None,
) -> QueueTicket:
    """A number for someone at the desk, from the same sequence as online numbers, in the
    earliest window of today with room: the desk's clerk (or its kiosk's account) gives it
    during the desk's hours. The phone or ID number counts the daily limit and is kept only
    as a digest; the name is optional."""
    _require_clerk(actor, desk)
    at = now()
    hours = hours_of(desk)
    today = local_day(at)
    if not hours.active:
        raise invalid("queue_closed", _("Bộ phận một cửa này hiện không cấp số thứ tự."))
    if (
        not is_working_day(desk, today)
        or at < at_local(today, hours.opens)
        or at >= at_local(today, hours.closes)
    ):
        raise invalid("outside_hours", _hours_message(hours.opens, hours.closes))
    _check_sector(desk, sector)
    clean_phone, phone_digest, id_digest = person_keys(phone, id_number)
    who = _name(name)
    Desk.objects.select_for_update().filter(pk=desk.pk).first()
    ensure_windows(desk, today)
    keys = _within_limit(desk, today, clean_phone, phone_digest, id_digest)
    windows = Slot.objects.filter(day_windows(desk, today), end__gt=at, booked__lt=F("capacity"))
    if sector is not None:
        windows = windows.filter(Q(sector__isnull=True) | Q(sector=sector))
    for slot in windows.order_by("start", "id"):
        expected = _take_place(slot, at)
        if expected is not None:
            return _create(
                desk=desk,
                slot=slot,
                expected=expected,
                sector=sector,
                name=who,
                phone="",
                keys=keys,
                walk_in=True,
                channel=BookingChannel.DESK,
                actor=actor,
                at=at,
            )
    raise ActionError("desk_full", _("Hôm nay quầy đã hết số thứ tự."))


def _move(
    ticket: QueueTicket, action: str, at: dt.datetime, actor: User | None, **changes: Any
) -> QueueTicket:
    """Move the number with one conditional update from the states ``action`` allows; the
    appointment follows when the number ends. A number in another state is refused (409)."""
    allowed, target = TRANSITIONS[action]
    moved = QueueTicket.objects.filter(pk=ticket.pk, state__in=allowed).update(
        state=target, **changes
    )
    ticket.refresh_from_db()
    if not moved:
        raise ActionError(
            "invalid_transition",
            _("Số %(number)s đang ở tình trạng «%(state)s».")
            % {"number": ticket.number, "state": ticket.get_state_display().lower()},
            details={"state": ticket.state, "action": action},
        )
    events.append(ticket.appointment_id, action, at=at, actor=actor, number=ticket.number)
    status = APPOINTMENT_STATUS.get(target)
    if status:
        Appointment.objects.filter(
            pk=ticket.appointment_id, status=AppointmentStatus.BOOKED
        ).update(status=status, cancelled_at=at if target == TicketState.CANCELLED else None)
    return ticket


@transaction.atomic
def cancel_number(*, ticket: QueueTicket, actor: User | None) -> QueueTicket:
    """Give back a number not yet called: by the citizen who took it, or at its desk. Its
    window's place is freed; the number itself is not given again."""
    who = person(actor)
    owner = who is not None and ticket.appointment.booked_by_id == who.pk
    if not owner and not is_clerk(actor, ticket.desk):
        raise ActionError("not_found", _("Không tìm thấy số thứ tự."), status=404)
    moved = _move(ticket, "cancel_number", now(), actor, finished_at=now())
    Slot.objects.filter(pk=ticket.appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return moved


@transaction.atomic
def call_next_number(
    *, desk: Desk, counter: str, actor: User | None, sector: Sector | None = None
) -> QueueTicket | None:
    """Call the lowest waiting number of the day at ``desk`` whose window has begun (of the
    clerk's ``sector`` and numbers taken for any sector, when one is given) to ``counter``;
    None when nobody waits. Two clerks calling at once never get the same number: the row is
    claimed with ``FOR UPDATE SKIP LOCKED`` and a conditional update."""
    _require_clerk(actor, desk)
    counter = (counter or "").strip()
    if not counter or len(counter) > COUNTER_MAX:
        raise invalid(
            "bad_counter",
            _("Cần số quầy (tối đa %(max)s ký tự).") % {"max": COUNTER_MAX},
            field="counter",
        )
    at = now()
    expire_called_numbers(desk=desk)
    waiting = QueueTicket.objects.filter(
        desk=desk, day=local_day(at), state=TicketState.WAITING, window_start__lte=at
    )
    if sector is not None:
        waiting = waiting.filter(Q(sector=sector) | Q(sector__isnull=True))
    for _attempt in range(CALL_ATTEMPTS):
        found = waiting.order_by("number").select_for_update(skip_locked=True).first()
        if found is None:
            return None
        taken = QueueTicket.objects.filter(pk=found.pk, state=TicketState.WAITING).update(
            state=TicketState.CALLED,
            counter=counter,
            called_by=person(actor),
            called_at=at,
            last_called_at=at,
        )
        if taken:
            found.refresh_from_db()
            events.append(
                found.appointment_id,
                "call_next_number",
                at=at,
                actor=actor,
                number=found.number,
                counter=counter,
            )
            return found
    return None


def _clerk_move(
    ticket: QueueTicket, action: str, actor: User | None, **changes: Any
) -> QueueTicket:
    _require_clerk(actor, ticket.desk)
    return _move(ticket, action, now(), actor, **changes)


@transaction.atomic
def recall_number(*, ticket: QueueTicket, actor: User | None) -> QueueTicket:
    """Call a called number again (the display shows it anew; its grace starts again)."""
    return _clerk_move(
        ticket, "recall_number", actor, last_called_at=now(), recalls=F("recalls") + 1
    )


@transaction.atomic
def start_serving(*, ticket: QueueTicket, actor: User | None) -> QueueTicket:
    """The called person is at the counter: no longer a no-show candidate."""
    return _clerk_move(ticket, "start_serving", actor)


@transaction.atomic
def finish_number(*, ticket: QueueTicket, actor: User | None) -> QueueTicket:
    """The person was served; the appointment is ``done``."""
    return _clerk_move(ticket, "finish_number", actor, finished_at=now())


@transaction.atomic
def record_no_show(*, ticket: QueueTicket, actor: User | None) -> QueueTicket:
    """A called number nobody came for within the desk's grace: ``no_show``, counted in the
    day's figures and towards the person's daily limit. Before the grace is over: 409."""
    _require_clerk(actor, ticket.desk)
    at = now()
    grace = hours_of(ticket.desk).grace
    ticket.refresh_from_db(fields=["last_called_at"])  # a recall restarts the grace
    if ticket.last_called_at and at < ticket.last_called_at + grace:
        raise ActionError(
            "grace_not_over",
            _("Chưa hết %(minutes)s phút chờ công dân đến quầy.")
            % {"minutes": int(grace.total_seconds() // 60)},
        )
    return _move(ticket, "record_no_show", at, actor, finished_at=at)


__all__ = [
    "call_next_number",
    "cancel_number",
    "expire_called_numbers",
    "finish_number",
    "is_clerk",
    "issue_walk_in",
    "open_desk_days",
    "recall_number",
    "record_no_show",
    "start_serving",
    "take_number",
]
