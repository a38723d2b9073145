"""Officers (or teams) publish their home-visit availability (docs/appointments.md
"Publishing availability").

``publish_availability`` turns a plan (days, hours, slot length, travel minutes between two
visits, capacity, the administrative units served) into Slot rows, on the working days of
the agency's calendar (``workcalendar``, holidays and make-up days included). All or
nothing: a plan with a slot overlapping one the officer (or team) already has is refused
whole, nothing written. The officer's user row is locked while checking and writing, so two
plans published at once for the same officer cannot both pass the overlap check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.appointments.models import Slot, SlotKind
from motcua.core.actions import ActionError, Person, User, invalid, now
from motcua.dossiers.clock import calendar_of
from motcua.org.models import AdministrativeUnit, Agency, Membership, Role

# Limits of one plan: what a form states and the action enforces.
MAX_DAYS = 62
MAX_SLOTS = 600
SLOT_MINUTES = (15, 240)
TRAVEL_MINUTES = (0, 180)
CAPACITY = (1, 20)
TEAM_MAX = 200
# Who may visit homes for their agency (their own slots).
VISITING_ROLES = frozenset({Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER})


@dataclass(frozen=True)
class Plan:
    """What to publish: ``first_day``–``last_day`` (inclusive), on the ``weekdays`` (0 =
    Monday) that are working days, from ``day_start`` to ``day_end`` in Vietnam's time."""

    agency: Agency
    first_day: dt.date
    last_day: dt.date
    day_start: dt.time
    day_end: dt.time
    slot_minutes: int
    travel_minutes: int
    capacity: int
    units: list[AdministrativeUnit]
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    officer: Person | None = None
    team: str = ""


def _memberships(user: User | None, agency: Agency) -> set[str]:
    if user is None or not user.is_authenticated or user.pk is None:
        return set()
    return set(
        Membership.objects.active()
        .filter(user_id=user.pk, agency=agency)
        .values_list("role", flat=True)
    )


def _authorise(plan: Plan, actor: User | None) -> None:
    """An officer publishes their own slots at an agency where they visit homes; a leader
    of the agency publishes for a team or for one of its officers."""
    roles = _memberships(actor, plan.agency)
    own = plan.officer is not None and actor is not None and plan.officer.pk == actor.pk
    if own and roles & VISITING_ROLES:
        return
    if Role.LEADER in roles and (
        plan.officer is None or _memberships(plan.officer, plan.agency) & VISITING_ROLES
    ):
        return
    raise ActionError(
        "forbidden",
        _("Bạn không được công bố lịch hẹn tại nhà cho cán bộ hoặc tổ này tại %(agency)s.")
        % {"agency": plan.agency.name},
        status=403,
    )


def _check(plan: Plan, at: dt.datetime) -> str:
    team = plan.team.strip()
    if (plan.officer is None) == (not team):
        raise invalid("officer_or_team", _("Chọn một cán bộ hoặc ghi tên một tổ công tác."))
    if len(team) > TEAM_MAX:
        raise invalid("team_too_long", _("Tên tổ dài tối đa %(max)s ký tự.") % {"max": TEAM_MAX})
    bounds = (
        ("slot_minutes", plan.slot_minutes, SLOT_MINUTES, _("Độ dài mỗi lượt")),
        ("travel_minutes", plan.travel_minutes, TRAVEL_MINUTES, _("Thời gian di chuyển")),
        ("capacity", plan.capacity, CAPACITY, _("Số chỗ mỗi lượt")),
    )
    for name, value, (low, high), label in bounds:
        if not low <= value <= high:
            raise invalid(
                f"bad_{name}",
                _("%(label)s phải từ %(low)s đến %(high)s.")
                % {"label": label, "low": low, "high": high},
                field=name,
            )
    if plan.day_end <= plan.day_start:
        raise invalid("bad_hours", _("Giờ kết thúc phải sau giờ bắt đầu."), field="day_end")
    if plan.last_day < plan.first_day:
        raise invalid("bad_days", _("Ngày cuối phải từ ngày đầu trở đi."), field="last_day")
    if (plan.last_day - plan.first_day).days + 1 > MAX_DAYS:
        raise invalid(
            "too_many_days",
            _("Mỗi lần công bố tối đa %(max)s ngày.") % {"max": MAX_DAYS},
            field="last_day",
        )
    if plan.first_day < timezone.localtime(at).date():
        raise invalid("past_days", _("Không công bố lịch cho ngày đã qua."), field="first_day")
    if not plan.units:
        raise invalid("units_required", _("Chọn ít nhất một địa bàn phục vụ."), field="units")
    if not plan.weekdays:
        raise invalid("weekdays_required", _("Chọn ít nhất một ngày trong tuần."))
    return team


def slots_of(plan: Plan, at: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) of every slot of the plan still ahead of ``at``, on working days."""
    calendar = calendar_of(plan.agency.pk)
    length = dt.timedelta(minutes=plan.slot_minutes)
    step = length + dt.timedelta(minutes=plan.travel_minutes)
    found = []
    day = plan.first_day
    while day <= plan.last_day:
        if day.weekday() in plan.weekdays and calendar.is_working_day(day):
            start = timezone.make_aware(dt.datetime.combine(day, plan.day_start))
            closing = timezone.make_aware(dt.datetime.combine(day, plan.day_end))
            while start + length <= closing:
                if start > at:
                    found.append((start, start + length))
                start += step
        day += dt.timedelta(days=1)
    return found


@transaction.atomic
def publish_availability(*, plan: Plan, actor: Person) -> list[Slot]:
    """Publish the plan's home-visit slots (docs/appointments.md "Publishing availability").
    Refused whole, nothing written: a role that may not publish for that officer or team
    (403), bad limits (422), no slot on a working day (422 ``no_slots``), or a slot
    overlapping one the officer or team already has, travel time included (409 ``overlap``)."""
    _authorise(plan, actor)
    at = now()
    team = _check(plan, at)
    periods = slots_of(plan, at)
    if not periods:
        raise invalid(
            "no_slots", _("Không có lượt nào rơi vào ngày làm việc trong khoảng đã chọn.")
        )
    if len(periods) > MAX_SLOTS:
        raise invalid(
            "too_many_slots",
            _("Mỗi lần công bố tối đa %(max)s lượt.") % {"max": MAX_SLOTS},
        )
    if plan.officer is not None and plan.officer.pk is not None:
        # Serialise publishing for this officer until commit.
        get_user_model().objects.select_for_update().filter(pk=plan.officer.pk).first()
        mine = Q(officer=plan.officer)
    else:
        Agency.objects.select_for_update().filter(pk=plan.agency.pk).first()
        mine = Q(team=team, officer__isnull=True)
    travel = dt.timedelta(minutes=plan.travel_minutes)
    first, last = periods[0][0] - travel, periods[-1][1] + travel
    existing = list(
        Slot.objects.filter(mine, kind=SlotKind.HOME, start__lt=last, end__gt=first).order_by(
            "start"
        )
    )
    for start, end in periods:
        for slot in existing:
            if slot.start < end + travel and slot.end + travel > start:
                raise ActionError(
                    "overlap",
                    _("Lượt %(new)s trùng với lượt đã công bố %(old)s; không lượt nào được tạo.")
                    % {
                        "new": timezone.localtime(start).strftime("%H:%M %d/%m/%Y"),
                        "old": timezone.localtime(slot.start).strftime("%H:%M %d/%m/%Y"),
                    },
                    details={"slot": slot.pk},
                )
    slots = Slot.objects.bulk_create(
        [
            Slot(
                kind=SlotKind.HOME,
                start=start,
                end=end,
                capacity=plan.capacity,
                officer=plan.officer,
                team=team,
                travel_minutes=plan.travel_minutes,
                created_by=actor,
            )
            for start, end in periods
        ]
    )
    through = Slot.units.through
    through.objects.bulk_create(
        [
            through(slot_id=slot.pk, administrativeunit_id=unit.pk)
            for slot in slots
            for unit in plan.units
        ]
    )
    return slots
