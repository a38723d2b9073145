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
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import models, transaction
from django.db.models import BigIntegerField, Count, F, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
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
    MonthCounter,
    NationalSyncCounter,
    OpenCounter,
    StockBaseline,
)
from motcua.dossiers.models.counters import DAILY_FIELDS
from motcua.dossiers.status import ACTIVE
from motcua.dossiers.stock import NOWHERE, STOCK_FIELDS, Standing, moves
from motcua.dossiers.time_counters import time_comparisons

# ---- kept by the actions ------------------------------------------------------------------
#
# An action states what it counts (``bump_daily``, ``open_dossier``, ``close_dossier``,
# ``set_deadline_flag``, ``count_due``) and the event it appends writes it all, with what the
# event itself changes in the Decision 766 counters (``tally.py``): each table once, flows
# first, then the national sync counter, then the stock in progress, so transactions lock
# counter rows in one order and cannot deadlock on them (docs/rules/indicators.md
# "Rollups"). What an action counts after its event is written at once, in the same order.

FlowKey = tuple[dt.date, int, int, int]  # day, unit, agency, procedure


@dataclass
class Pending:
    """What an action counts before its event is written."""

    flows: dict[FlowKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    sync_due: dict[tuple[dt.date, int, int], int] = field(default_factory=Counter)
    open: Counter[str] = field(default_factory=Counter)


def pending(dossier: Dossier) -> Pending | None:
    """The dossier's pending counts; None once its event is written (count at once)."""
    if dossier.__dict__.get("_event_counted"):
        return None
    return dossier.__dict__.setdefault("_pending_counts", Pending())


def flow_key(dossier: Dossier, day: dt.date) -> FlowKey:
    return (day, dossier.unit_id, dossier.competent_agency_id, dossier.procedure_id)


def bump_daily(dossier: Dossier, field: str, at: dt.datetime, by: int = 1) -> None:
    """Add to the day's flows (and its agency's day and month) in the action's transaction."""
    key = flow_key(dossier, timezone.localtime(at).date())
    waiting = pending(dossier)
    if waiting is None:
        write_flows({key: {field: by}})
    else:
        waiting.flows[key][field] += by


def write_flows(changes: dict[FlowKey, Any]) -> None:
    """The flows of a day × unit × agency × procedure, with their rollups: one statement per
    table."""
    rows = {key: deltas for key, deltas in changes.items() if any(deltas.values())}
    if not rows:
        return
    by_agency_day: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    by_agency_month: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    by_month: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for (day, unit, agency, procedure), deltas in rows.items():
        month = day.replace(day=1)
        by_agency_day[(day, agency)].update(deltas)
        by_agency_month[(month, agency)].update(deltas)
        by_month[(month, unit, agency, procedure)].update(deltas)
    counters.add(DailyCounter, rows)
    counters.add(AgencyDayCounter, by_agency_day)
    counters.add(AgencyMonthCounter, by_agency_month)
    counters.add(MonthCounter, by_month)


def count_due(dossier: Dossier, at: dt.datetime) -> None:
    """A received dossier is due to be synced, on its reception day (Decision 766's sync
    rate counts it whether or not the sync is switched on)."""
    key = (timezone.localtime(at).date(), dossier.unit_id, dossier.competent_agency_id)
    waiting = pending(dossier)
    if waiting is None:
        counters.add(NationalSyncCounter, {key: {"due": 1}})
    else:
        waiting.sync_due[key] += 1


def bump_open(dossier: Dossier, *, overdue: bool, by: int) -> None:
    """Add to the in-progress stock, within or past due."""
    _add_open(dossier, {"past_due" if overdue else "within_due": by})


def move_open(dossier: Dossier, *, overdue: bool, now: bool = False) -> None:
    """Move an in-progress dossier between "within" and "past due"; ``now`` writes it at
    once (the deadline job, which appends no event)."""
    change = {"past_due": 1, "within_due": -1} if overdue else {"past_due": -1, "within_due": 1}
    if now:
        _write_open(dossier, change)
    else:
        _add_open(dossier, change)


def _add_open(dossier: Dossier, change: dict[str, int]) -> None:
    waiting = pending(dossier)
    if waiting is None:
        _write_open(dossier, change)
    else:
        waiting.open.update(change)


def _write_open(dossier: Dossier, change: Mapping[str, int]) -> None:
    change = {name: n for name, n in change.items() if n}
    if not change:
        return
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


def flush(dossier: Dossier) -> None:
    """Write what the action counted, when its event is written: flows, sync, stock."""
    waiting = dossier.__dict__.pop("_pending_counts", None)
    dossier.__dict__["_event_counted"] = True
    if waiting is None:
        return
    write_flows(waiting.flows)
    if waiting.sync_due:
        counters.add(NationalSyncCounter, {k: {"due": n} for k, n in waiting.sync_due.items()})
    _write_open(dossier, waiting.open)


# ---- recounted from the source of truth ---------------------------------------------------


def _flow_conditions() -> dict[str, Q]:
    """Which events count in which field (docs/rules/indicators.md "Counters")."""
    conditions: dict[str, Q] = {}
    for field_ in COUNTED_FIELDS:
        if field_.startswith("received_") and field_ not in TALLIED:
            conditions[field_] = Q(
                kind="receive", dossier__channel=field_.removeprefix("received_")
            )
        elif field_.startswith("finished_") and field_ not in TALLIED:
            outcome = field_.removeprefix("finished_")
            conditions[field_] = Q(kind="mark_result_ready", data__outcome=outcome)
        elif field_.startswith("rated_"):
            conditions[field_] = Q(kind="rate", data__level=field_.removeprefix("rated_"))
    conditions["returned"] = Q(kind="return_result")
    conditions["refused"] = Q(kind="refuse")
    conditions["withdrawn"] = Q(kind="withdraw", from_status__in=ACTIVE)
    conditions["stopped"] = Q(kind="stop", from_status__in=ACTIVE)
    # What ``tally.py`` noted in the events.
    conditions["judged_in_time"] = Q(data__judged="in_time")
    conditions["judged_late"] = Q(data__judged="late")
    conditions["judged_resupplemented"] = Q(data__judged__isnull=False, data__supplements__gt=1)
    conditions["received_digitised"] = Q(kind="receive", data__digitised=True)
    conditions["received_reusing"] = Q(kind="receive", data__reusing=True)
    conditions["received_vneid"] = Q(kind="receive", data__vneid=True, dossier__channel="online")
    conditions["fee_bearing"] = Q(data__fee_bearing=True)
    conditions["paid_online"] = Q(data__paid_online=True)
    conditions["finished_electronic"] = Q(kind="mark_result_ready", data__electronic=True)
    conditions["finished_digitised_electronic"] = Q(
        kind="mark_result_ready", data__electronic=True, data__digitised=True
    )
    # Counted by the national sync on the reception day of the dossiers it got accepted.
    conditions["synced"] = Q(kind="receive", dossier__national_sync__counted_at__isnull=False)
    return {f: conditions[f] for f in COUNTED_FIELDS if f != "judged_seconds"}


# The flows counted from the events set-wise; the stock's moves are replayed (``stock.py``).
COUNTED_FIELDS = tuple(f for f in DAILY_FIELDS if f not in STOCK_FIELDS)
# Fields whose names look like the channel and outcome ones, noted by ``tally.py``.
TALLIED = frozenset(
    {
        "received_digitised",
        "received_reusing",
        "received_vneid",
        "finished_electronic",
        "finished_digitised_electronic",
    }
)

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
    sums: dict[str, Any] = {f: Count("pk", filter=q) for f, q in conditions.items()}
    sums["judged_seconds"] = Coalesce(
        Sum(
            Cast(KT("data__judged_seconds"), BigIntegerField()),
            filter=conditions["judged_late"] | conditions["judged_in_time"],
        ),
        0,
    )
    return (
        DossierEvent.objects.filter(reduce(or_, conditions.values()))
        .annotate(**{name: FLOW_KEYS[name] for name in key})
        .order_by()
        .values(*key)
        .annotate(**{field_: sums[field_] for field_ in COUNTED_FIELDS})
    )


def replay_stock(*key: str) -> dict[tuple[Any, ...], dict[str, int]]:
    """The stock's moves grouped by ``key`` ("day" or "month", then any of "unit", "agency",
    "procedure"), replayed from the standings the events noted, dossier by dossier in order
    (``stock.py``), each starting from its baseline if it was in progress when the counting
    began (``StockBaseline``): one pass over the events that changed a standing."""
    zone = timezone.get_default_timezone()
    out: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(STOCK_FIELDS, 0))

    def move(ids: dict[str, int], before: Standing, after: Standing, day: dt.date) -> None:
        for when, name, sign in moves(before, after, day):
            period = when if key[0] == "day" else when.replace(day=1)
            out[(period, *(ids[k] for k in key[1:]))][name] += sign

    columns = ("dossier__unit_id", "dossier__competent_agency_id", "dossier__procedure_id")
    baselines: dict[int, Standing] = {}
    for dossier_id, text, day, unit, agency, procedure in StockBaseline.objects.values_list(
        "dossier_id", "standing", "day", *columns
    ).iterator(chunk_size=5000):
        baselines[dossier_id] = Standing.decode(text)
        ids = {"unit": unit, "agency": agency, "procedure": procedure}
        move(ids, NOWHERE, baselines[dossier_id], day)
    events = (
        DossierEvent.objects.filter(data__stock__isnull=False)
        .order_by("dossier_id", "seq")
        .values_list("dossier_id", "at", "data__stock", *columns)
    )
    current, standing_ = None, NOWHERE
    for dossier_id, at, text, unit, agency, procedure in events.iterator(chunk_size=5000):
        if dossier_id != current:
            current, standing_ = dossier_id, baselines.get(dossier_id, NOWHERE)
        after = Standing.decode(text)
        move(
            {"unit": unit, "agency": agency, "procedure": procedure},
            standing_,
            after,
            at.astimezone(zone).date(),
        )
        standing_ = after
    return dict(out)


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


# The flow tables' keys, as ``recount_flows`` and ``replay_stock`` name them.
FLOW_TABLES: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "daily": (DailyCounter, ("day", "unit", "agency", "procedure")),
    "agency_day": (AgencyDayCounter, ("day", "agency")),
    "agency_month": (AgencyMonthCounter, ("month", "agency")),
    "month": (MonthCounter, ("month", "unit", "agency", "procedure")),
}


def comparisons() -> list[Comparison]:
    """Each kept table beside the query that recounts it, column for column (the stock's
    moves apart: ``stock_differences``)."""
    flows = [
        Comparison(name, model, COUNTED_FIELDS, recount_flows(*key), key)
        for name, (model, key) in FLOW_TABLES.items()
    ]
    return [
        *flows,
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


def stock_differences() -> list[str]:
    """Every flow row whose kept stock moves differ from their replay."""
    lines = []
    for name, (model, key) in FLOW_TABLES.items():
        columns = model.KEY  # type: ignore[attr-defined]
        kept = {
            tuple(row[: len(columns)]): dict(zip(STOCK_FIELDS, row[len(columns) :], strict=True))
            for row in model._default_manager.exclude(**dict.fromkeys(STOCK_FIELDS, 0))
            .order_by()
            .values_list(*columns, *STOCK_FIELDS)
            .iterator(chunk_size=5000)
        }
        kept = {k: {f: n for f, n in v.items() if n} for k, v in kept.items()}
        replayed = {k: {f: n for f, n in v.items() if n} for k, v in replay_stock(*key).items()}
        replayed = {k: v for k, v in replayed.items() if v}
        for k in sorted(set(kept) | set(replayed), key=str):
            if kept.get(k, {}) != replayed.get(k, {}):
                lines.append(f"{name} {k}: kept {kept.get(k, {})}, replayed {replayed.get(k, {})}")
    return lines


def differences() -> list[str]:
    """Every key where a kept counter and its recount disagree (empty: they agree)."""
    found = [line for comparison in comparisons() for line in compare(comparison)]
    return found + stock_differences()


def rebuild() -> dict[str, int]:
    """Replace every kept counter by its recount, set-wise, each table in a transaction of
    its own (``core/counters.py`` ``replace``), the flow tables with their stock's moves
    replayed; the rows written per table."""
    written = {}
    for comparison in comparisons():
        with transaction.atomic():
            written[comparison.name] = replace(comparison)
            if comparison.name in FLOW_TABLES:
                model, key = FLOW_TABLES[comparison.name]
                counters.add(model, replay_stock(*key))
    return written
