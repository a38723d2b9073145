"""The figures the indicators divide, for a period and a kind of scope, read from counters
(docs/architecture.md rule 9; docs/rules/indicators.md "Decision 766 indicators").

- Flows over the period (received, judged, digitised…): the whole months from a monthly
  table and the days at the edges from a daily one (``reports/periods.py``); the agencies'
  rollups for the province and agencies, the month × unit × agency × procedure table for
  units, sectors and procedures.
- The stock at the period's end (open, open past due, paused, paused past due): the sum of
  the stock's moves over every day up to the end, read the same way from the first month
  the counters hold; their rows grow with months, not with dossiers.
- The catalogue (procedures offered online, with fees, published on time): from the
  procedures in scope, a few thousand rows at most.
- The hotline's feedback figures (``reports/feedback.py``), for the scopes tickets have.

The counter readers answer for many scopes at once (grouped by the scope's id), so a ranking
of every agency costs what one agency costs, give or take the rows; the hotline's figures
are read per agency (two queries each), a cost that follows the number of agencies.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncDate

from motcua.catalog.models import Fee, OnlineMode, Procedure
from motcua.core.reference import ProcessCache
from motcua.dossiers.models import AgencyDayCounter, AgencyMonthCounter, DailyCounter, MonthCounter
from motcua.dossiers.models.counters import DAILY_FIELDS
from motcua.dossiers.stock import STOCK_FIELDS
from motcua.org.models import Agency
from motcua.reports.feedback import feedback_figures
from motcua.reports.indicators.periods import EARLIEST, IndicatorPeriod
from motcua.reports.periods import cover, totals

FLOW_FIELDS = tuple(f for f in DAILY_FIELDS if f not in STOCK_FIELDS)
STOCK_AT_END = {
    "open_at_end": "open_change",
    "open_late_at_end": "open_late_change",
    "paused_at_end": "paused_change",
    "paused_late_at_end": "paused_late_change",
}
CATALOGUE_FIELDS = (
    "procedures",
    "procedures_online",
    "procedures_fee",
    "procedures_fee_online",
    "procedures_published",
    "procedures_published_on_time",
)
FEEDBACK_FIELDS = {
    "feedback_handled": "handled",
    "feedback_handled_in_time": "handled_in_time",
    "feedback_declined": "declined",
    "feedback_declined_in_time": "declined_in_time",
    "feedback_asked": "asked",
    "feedback_asked_in_time": "asked_in_time",
    "feedback_published": "published",
    "feedback_published_in_time": "published_in_time",
    "hotline_rated": "rated",
    "hotline_rated_high": "rated_high",
}
ALL_FIELDS = (*FLOW_FIELDS, *STOCK_AT_END, *CATALOGUE_FIELDS, *FEEDBACK_FIELDS)

# Per kind of scope: the counter tables read, and the column that names the scope.
TABLES: dict[str, tuple[type[Any], type[Any], str | None]] = {
    "province": (AgencyDayCounter, AgencyMonthCounter, None),
    "agency": (AgencyDayCounter, AgencyMonthCounter, "agency_id"),
    "unit": (DailyCounter, MonthCounter, "unit_id"),
    "sector": (DailyCounter, MonthCounter, "procedure__sector_id"),
    "procedure": (DailyCounter, MonthCounter, "procedure_id"),
}

Key = int | None
Figures = dict[str, float]


def figures(
    period: IndicatorPeriod, kind: str, ids: Collection[int] | None = None
) -> dict[Key, Figures]:
    """Every figure of every scope of ``kind`` with anything counted (``ids`` limits them;
    the province's key is None)."""
    out: dict[Key, Figures] = defaultdict(lambda: dict.fromkeys(ALL_FIELDS, 0.0))
    for key, values in _flows(period, kind, ids).items():
        out[key].update(values)
    for key, values in _stock(period.end, kind, ids).items():
        out[key].update(values)
    for key, values in _catalogue(period, kind, ids).items():
        out[key].update(values)
    for key, values in _feedback(period, kind, ids).items():
        out[key].update(values)
    if kind == "province":
        out[None]
    for key in ids or ():
        out[key]
    return dict(out)


def _where(kind: str, ids: Collection[int] | None) -> Q | None:
    column = TABLES[kind][2]
    if column is None or ids is None:
        return None
    return Q(**{f"{column}__in": list(ids)})


def _read(
    start: dt.date, end: dt.date, kind: str, ids: Collection[int] | None, names: dict[str, str]
) -> dict[Key, Figures]:
    by_day, by_month, column = TABLES[kind]
    found = totals(
        cover(start, end),
        by_day=by_day,
        by_month=by_month,
        group=(column,) if column else (),
        sums={name: Sum(field) for name, field in names.items()},
        where=_where(kind, ids),
    )
    return {
        (key[0] if key else None): {n: float(v) for n, v in row.items()}
        for key, row in found.items()
    }


def _flows(period: IndicatorPeriod, kind: str, ids: Collection[int] | None) -> dict[Key, Figures]:
    return _read(period.start, period.end, kind, ids, {f: f for f in FLOW_FIELDS})


def _stock(end: dt.date, kind: str, ids: Collection[int] | None) -> dict[Key, Figures]:
    """The stock at ``end``'s end: every move up to that day."""
    return _read(EARLIEST, end, kind, ids, STOCK_AT_END)


@dataclass(frozen=True)
class ProcedureFacts:
    """What the catalogue indicators read of a procedure in force."""

    pk: int
    agency: int | None
    unit: int | None
    sector: int | None
    online: bool
    fee: bool
    valid_from: dt.date | None
    imported_on: dt.date | None


# The procedures in force, read once per process while the catalogue is unchanged (the
# reference stamp, ``core/reference.py``): a few thousand rows, aggregated per scope here.
_procedures: ProcessCache[str, tuple[ProcedureFacts, ...]] = ProcessCache("indicator catalogue")


def procedure_facts() -> tuple[ProcedureFacts, ...]:
    def load() -> tuple[ProcedureFacts, ...]:
        with_fee = Exists(Fee.objects.filter(method__procedure=OuterRef("pk"), amount_vnd__gt=0))
        rows = (
            Procedure.objects.filter(active=True)
            .annotate(fee=with_fee, imported_on=TruncDate("imported_at"))
            .values_list(
                "pk",
                "competent_agency_id",
                "competent_agency__unit_id",
                "sector_id",
                "online_mode",
                "fee",
                "valid_from",
                "imported_on",
            )
        )
        online = {OnlineMode.FULL, OnlineMode.PARTIAL}
        return tuple(
            ProcedureFacts(pk, agency, unit, sector, mode in online, fee, valid, imported)
            for pk, agency, unit, sector, mode, fee, valid, imported in rows
        )

    return _procedures.get("all", load)


SCOPE_OF_PROCEDURE = {
    "agency": lambda p: p.agency,
    "unit": lambda p: p.unit,
    "sector": lambda p: p.sector,
    "procedure": lambda p: p.pk,
}


def _catalogue(
    period: IndicatorPeriod, kind: str, ids: Collection[int] | None
) -> dict[Key, Figures]:
    """Procedures in force in scope: offered online (fully or partly), with a fee, with a fee
    and online, and those that took effect in the period, published in the catalogue by
    the day they took effect (the province's publication on time)."""
    key_of = SCOPE_OF_PROCEDURE.get(kind, lambda p: None)
    wanted = None if ids is None or kind == "province" else set(ids)
    out: dict[Key, Figures] = defaultdict(lambda: dict.fromkeys(CATALOGUE_FIELDS, 0.0))
    for facts in procedure_facts():
        key = key_of(facts)
        if wanted is not None and key not in wanted:
            continue
        row = out[key]
        row["procedures"] += 1
        row["procedures_online"] += facts.online
        row["procedures_fee"] += facts.fee
        row["procedures_fee_online"] += facts.fee and facts.online
        took_effect = facts.valid_from
        if took_effect is not None and period.start <= took_effect <= period.end:
            row["procedures_published"] += 1
            imported = facts.imported_on
            row["procedures_published_on_time"] += bool(imported and imported <= took_effect)
    return dict(out)


def _feedback(
    period: IndicatorPeriod, kind: str, ids: Collection[int] | None
) -> dict[Key, Figures]:
    """The hotline's figures: the province (tickets still at 1022 included), each agency,
    each unit through its agencies. Sectors and procedures have none."""
    if kind == "province":
        groups: dict[Key, list[int] | None] = {None: None}
    elif kind == "agency":
        chosen = ids if ids is not None else Agency.objects.values_list("pk", flat=True)
        groups = {pk: [pk] for pk in chosen}
    elif kind == "unit":
        agencies = Agency.objects.all()
        if ids is not None:
            agencies = agencies.filter(unit_id__in=list(ids))
        by_unit: dict[Key, list[int]] = defaultdict(list)
        for pk, unit in agencies.values_list("pk", "unit_id"):
            by_unit[unit].append(pk)
        groups = dict(by_unit)
    else:
        return {}
    out: dict[Key, Figures] = {}
    for key, agency_ids in groups.items():
        found = feedback_figures(period.start, period.end, agency_ids=agency_ids)
        out[key] = {name: float(found[source]) for name, source in FEEDBACK_FIELDS.items()}
    return out
