"""The report counters (docs/architecture.md rule 9, docs/rules/indicators.md "Counters").

The actions, and the deadline job, keep the flows (``DailyCounter`` per day × unit × agency ×
procedure, and its rollups ``AgencyDayCounter`` and ``AgencyMonthCounter``) and the
in-progress stock (``OpenCounter``) up to date in their own transactions, each table with one
statement (``core/counters.py``). ``recount`` rebuilds the same figures set-wise in SQL from
the event log (flows) and from the dossiers' current state (the stock), so ``differences``
proves they agree and ``rebuild`` (``manage.py recount_counters --repair``) puts them right.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from motcua.core import counters
from motcua.core.counters import Comparison, compare, local_day, local_month, replace
from motcua.dossiers.models import (
    AgencyDayCounter,
    AgencyMonthCounter,
    AgencyOpenCounter,
    DailyCounter,
    DeadlineFlag,
    Dossier,
    DossierEvent,
    NationalSyncCounter,
    OpenCounter,
)
from motcua.dossiers.models.counters import DAILY_FIELDS
from motcua.dossiers.status import ACTIVE
from motcua.dossiers.time_counters import time_comparisons

# ---- kept by the actions ------------------------------------------------------------------


def bump_daily(dossier: Dossier, field: str, at: dt.datetime, by: int = 1) -> None:
    """Add to the day's flows (and its agency's day and month) in the action's transaction."""
    day = timezone.localtime(at).date()
    change = {field: by}
    agency = dossier.competent_agency_id
    counters.add(DailyCounter, {(day, dossier.unit_id, agency, dossier.procedure_id): change})
    counters.add(AgencyDayCounter, {(day, agency): change})
    counters.add(AgencyMonthCounter, {(day.replace(day=1), agency): change})


def bump_open(dossier: Dossier, *, overdue: bool, by: int) -> None:
    """Add to the in-progress stock, within or past due."""
    _add_open(dossier, {"past_due" if overdue else "within_due": by})


def move_open(dossier: Dossier, *, overdue: bool) -> None:
    """Move an in-progress dossier between "within" and "past due"."""
    change = {"past_due": 1, "within_due": -1} if overdue else {"past_due": -1, "within_due": 1}
    _add_open(dossier, change)


def _add_open(dossier: Dossier, change: dict[str, int]) -> None:
    key = (dossier.unit_id, dossier.competent_agency_id, dossier.procedure_id)
    counters.add(OpenCounter, {key: change})
    counters.add(AgencyOpenCounter, {(dossier.competent_agency_id,): change})


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
        move_open(dossier, overdue=is_overdue)
    dossier.deadline_flag = flag


# ---- recounted from the source of truth ---------------------------------------------------


def _flow_conditions() -> dict[str, Q]:
    """Which events count in which field (docs/rules/indicators.md "Counters")."""
    conditions: dict[str, Q] = {}
    for field in DAILY_FIELDS:
        if field.startswith("received_"):
            conditions[field] = Q(kind="receive", dossier__channel=field.removeprefix("received_"))
        elif field.startswith("finished_"):
            outcome = field.removeprefix("finished_")
            conditions[field] = Q(kind="mark_result_ready", data__outcome=outcome)
        elif field.startswith("rated_"):
            conditions[field] = Q(kind="rate", data__level=field.removeprefix("rated_"))
    conditions["returned"] = Q(kind="return_result")
    conditions["refused"] = Q(kind="refuse")
    conditions["withdrawn"] = Q(kind="withdraw", from_status__in=ACTIVE)
    conditions["stopped"] = Q(kind="stop", from_status__in=ACTIVE)
    return {field: conditions[field] for field in DAILY_FIELDS}


FLOW_KEYS: dict[str, models.Expression | F] = {
    "day": local_day("at"),
    "month": local_month("at"),
    "unit": F("dossier__unit_id"),
    "agency": F("dossier__competent_agency_id"),
    "procedure": F("dossier__procedure_id"),
}


def recount_flows(*key: str) -> QuerySet[DossierEvent]:
    """The flows grouped by ``key`` (names of ``FLOW_KEYS``), counted from the events."""
    conditions = _flow_conditions()
    return (
        DossierEvent.objects.filter(reduce(or_, conditions.values()))
        .annotate(**{name: FLOW_KEYS[name] for name in key})
        .order_by()
        .values(*key)
        .annotate(**{field: Count("pk", filter=q) for field, q in conditions.items()})
    )


def recount_open(*key: str) -> QuerySet[Dossier]:
    overdue = Q(deadline_flag=DeadlineFlag.OVERDUE)
    return (
        Dossier.objects.filter(status__in=ACTIVE)
        .order_by()
        .values(*key)
        .annotate(within_due=Count("pk", filter=~overdue), past_due=Count("pk", filter=overdue))
    )


def recount_national_sync() -> QuerySet[Any]:
    """Received dossiers per reception day × unit × agency (due to sync), and those the
    national portal accepted as received (synced)."""
    return (
        Dossier.objects.filter(received_at__isnull=False)
        .annotate(day=local_day("received_at"))
        .order_by()
        .values("day", "unit_id", "competent_agency_id")
        .annotate(
            due=Count("pk"),
            synced=Count("pk", filter=Q(national_sync__counted_at__isnull=False)),
        )
    )


def comparisons() -> list[Comparison]:
    """Each kept table beside the query that recounts it, column for column."""
    daily = ("day", "unit", "agency", "procedure")
    return [
        Comparison("daily", DailyCounter, DAILY_FIELDS, recount_flows(*daily), daily),
        _flows("agency_day", AgencyDayCounter, ("day", "agency")),
        _flows("agency_month", AgencyMonthCounter, ("month", "agency")),
        _open("open", OpenCounter, ("unit_id", "competent_agency_id", "procedure_id")),
        _open("agency_open", AgencyOpenCounter, ("competent_agency_id",)),
        Comparison(
            "national_sync",
            NationalSyncCounter,
            ("due", "synced"),
            recount_national_sync(),
            ("day", "unit_id", "competent_agency_id"),
        ),
        *time_comparisons(),  # where the time goes (time_counters.py)
    ]


def _open(name: str, model: type[models.Model], key: tuple[str, ...]) -> Comparison:
    return Comparison(name, model, ("within_due", "past_due"), recount_open(*key), key)


def _flows(name: str, model: type[models.Model], key: tuple[str, ...]) -> Comparison:
    return Comparison(name, model, DAILY_FIELDS, recount_flows(*key), key)


def differences() -> list[str]:
    """Every key where a kept counter and its recount disagree (empty: they agree)."""
    return [line for comparison in comparisons() for line in compare(comparison)]


def rebuild() -> dict[str, int]:
    """Replace every kept counter by its recount, set-wise, each table in a transaction of
    its own (``core/counters.py`` ``replace``); the rows written per table."""
    return {comparison.name: replace(comparison) for comparison in comparisons()}
