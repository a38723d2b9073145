"""What every dossier action does the same way: lock, guard, event, counters, time.

An action is one transaction: lock the row, check the transition against the table in
``status.py``, append the event (hash-chained to the previous one), save with
``update_fields``, and queue side effects with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Person
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.deadlines import method_due_at
from motcua.catalog.models import Channel, Procedure
from motcua.core.chain import append
from motcua.dossiers.errors import ActionError, invalid
from motcua.dossiers.models import (
    DailyCounter,
    DeadlineFlag,
    Dossier,
    DossierEvent,
    OpenCounter,
    Outcome,
)
from motcua.dossiers.status import TRANSITIONS, DossierStatus
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.hours import add_working_hours
from motcua.workcalendar.store import calendar_for

User = Person | AnonymousUser

FAST_TRACK_HOURS = Decimal(8)


def lock(dossier: Dossier) -> Dossier:
    """The dossier's row, locked until the transaction ends, with its current state."""
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def ensure(dossier: Dossier, action: str) -> str | None:
    """Refuse an action the current status does not allow; return the status it leads to."""
    allowed, target = TRANSITIONS[action]
    if dossier.status not in allowed:
        raise ActionError(
            "invalid_transition",
            _("Hồ sơ %(code)s đang ở trạng thái «%(status)s», không thể thực hiện thao tác này.")
            % {"code": dossier.code, "status": dossier.get_status_display()},
            details={"status": dossier.status, "action": action},
        )
    return target


def person(user: User | None) -> Person | None:
    """The signed-in person behind an action, or None (the public, a system callback)."""
    return user if isinstance(user, Person) else None


def append_event(
    dossier: Dossier,
    *,
    kind: str,
    actor: User | None,
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    **data: Any,
) -> DossierEvent:
    """Append an event to the dossier's chain (``core.chain.append``)."""
    return append(
        DossierEvent,
        dossier,
        kind=kind,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )


# ---- time -------------------------------------------------------------------------------


def now() -> dt.datetime:
    return timezone.now()


def calendar_of(agency_id: int | None) -> WorkCalendar:
    return calendar_for(agency_id)


def statutory_due(
    procedure: Procedure, *, channel: str, received_at: dt.datetime, calendar: WorkCalendar
) -> dt.datetime | None:
    """The due moment for a dossier received through ``channel`` (docs/rules/deadlines.md)."""
    if procedure.fast_track:
        # "4 tại chỗ": received, appraised, approved and returned within one working day.
        return add_working_hours(calendar, received_at, dt.timedelta(hours=int(FAST_TRACK_HOURS)))
    methods = {m.channel: m for m in procedure.methods.all() if m.time_value is not None}
    method = (
        methods.get(channel) or methods.get(Channel.DIRECT) or next(iter(methods.values()), None)
    )
    if method is None:
        return None
    return method_due_at(procedure, method, received_at=received_at, calendar=calendar)


def add_hours(
    calendar: WorkCalendar, start: dt.datetime, hours: Decimal | None
) -> dt.datetime | None:
    if hours is None:
        return None
    return add_working_hours(calendar, start, dt.timedelta(hours=float(hours)))


def outcome_of(finished_at: dt.datetime, due_at: dt.datetime | None, *, apologised: bool) -> str:
    """Early: finished on a day before the due day; on time: by the due moment; else late.
    A dossier that was apologised for stays late whatever its new date (Form 04)."""
    if apologised:
        return Outcome.LATE
    if due_at is None:
        return Outcome.ON_TIME
    if finished_at > due_at:
        return Outcome.LATE
    if timezone.localtime(finished_at).date() < timezone.localtime(due_at).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


# ---- counters -----------------------------------------------------------------------------


def _bump(
    model: type[DailyCounter] | type[OpenCounter], key: dict[str, object], field: str, by: int
) -> None:
    """Add ``by`` to one counter row, creating it on first use, in the caller's transaction."""
    if not model.objects.filter(**key).update(**{field: F(field) + by}):
        counter, _created = model.objects.get_or_create(**key)  # type: ignore[arg-type]
        model.objects.filter(pk=counter.pk).update(**{field: F(field) + by})


def bump_daily(dossier: Dossier, field: str, at: dt.datetime, by: int = 1) -> None:
    """Add to a day's counter in the same transaction as the action."""
    key: dict[str, object] = {
        "day": timezone.localtime(at).date(),
        "unit_id": dossier.unit_id,
        "agency_id": dossier.competent_agency_id,
        "procedure_id": dossier.procedure_id,
    }
    _bump(DailyCounter, key, field, by)


def bump_open(dossier: Dossier, *, overdue: bool, by: int) -> None:
    key: dict[str, object] = {
        "unit_id": dossier.unit_id,
        "agency_id": dossier.competent_agency_id,
        "procedure_id": dossier.procedure_id,
    }
    _bump(OpenCounter, key, "past_due" if overdue else "within_due", by)


def open_dossier(dossier: Dossier) -> None:
    """The dossier starts counting as in progress."""
    bump_open(dossier, overdue=dossier.deadline_flag == DeadlineFlag.OVERDUE, by=1)


def close_dossier(dossier: Dossier) -> None:
    """The dossier stops counting as in progress (finished, stopped, withdrawn)."""
    bump_open(dossier, overdue=dossier.deadline_flag == DeadlineFlag.OVERDUE, by=-1)


def set_deadline_flag(dossier: Dossier, flag: str) -> None:
    """Change the deadline flag, moving the dossier between "within" and "past due"."""
    was_overdue = dossier.deadline_flag == DeadlineFlag.OVERDUE
    is_overdue = flag == DeadlineFlag.OVERDUE
    if dossier.is_active and was_overdue != is_overdue:
        bump_open(dossier, overdue=was_overdue, by=-1)
        bump_open(dossier, overdue=is_overdue, by=1)
    dossier.deadline_flag = flag


def flag_for(due_at: dt.datetime | None, at: dt.datetime) -> str:
    if due_at is not None and due_at < at:
        return DeadlineFlag.OVERDUE
    return DeadlineFlag.NONE


__all__ = [
    "ActionError",
    "DossierStatus",
    "append_event",
    "ensure",
    "invalid",
    "lock",
]
