"""The Decision 766 score of a scope over a period (docs/rules/indicators.md "Decision 766
indicators"): the figures read from counters (``figures.py``), divided and scored by the
rule set in force at the period's end (``models.RuleSet``; the built-in defaults of
``definitions.py`` when none is), grouped into the five groups.

A scope is the province, an administrative unit (the dossiers handled there), an agency (the
dossiers it is competent for), a sector or a procedure; some indicators have no meaning for
some scopes (the hotline's, for a procedure) and are left out of its maximum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, Sector
from motcua.dossiers.models import DailyCounter, MonthCounter
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, UnitLevel
from motcua.reports.indicators.definitions import BY_KEY, GROUPS, INDICATORS, points
from motcua.reports.indicators.figures import EARLIEST, TABLES, Figures, figures
from motcua.reports.indicators.periods import IndicatorPeriod, last_months
from motcua.reports.models import RuleSet
from motcua.reports.periods import cover, totals

KINDS = ("province", "unit", "agency", "sector", "procedure")
GRADES = ((90, "excellent"), (80, "good"), (70, "fair"), (50, "average"), (0, "weak"))


def grade_labels() -> dict[str, str]:
    return {
        "excellent": _("Xuất sắc"),
        "good": _("Tốt"),
        "fair": _("Khá"),
        "average": _("Trung bình"),
        "weak": _("Yếu"),
    }


@dataclass(frozen=True)
class ScopeRef:
    kind: str
    id: int | None
    name: str


@dataclass(frozen=True)
class Rule:
    max_points: float
    full_at: float
    unconfirmed: bool


@dataclass
class IndicatorValue:
    key: str
    name: str
    value: float | None
    numerator: float
    denominator: float
    points: float
    max_points: float
    unconfirmed: bool
    applicable: bool
    measure: str


@dataclass
class GroupScore:
    key: str
    name: str
    score: float
    max_score: float
    indicators: list[IndicatorValue]


@dataclass
class Score:
    period: IndicatorPeriod
    scope: ScopeRef
    score: float
    max_score: float
    groups: list[GroupScore]
    rules_version: int
    as_of: dt.datetime
    rank: int | None = None
    figures: Figures = field(default_factory=dict, repr=False)

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0

    @property
    def grade(self) -> str:
        return next(name for floor, name in GRADES if self.percent >= floor)

    @property
    def grade_label(self) -> str:
        return grade_labels()[self.grade]

    def indicator(self, key: str) -> IndicatorValue:
        return next(i for g in self.groups for i in g.indicators if i.key == key)

    def group(self, key: str) -> GroupScore:
        return next(g for g in self.groups if g.key == key)


# ---- rules --------------------------------------------------------------------------------


def rules(day: dt.date, version: int | None = None) -> tuple[int, dict[str, Rule]]:
    """The rule set in force on ``day`` (or the one named), over the defaults; version 0 is
    the defaults themselves."""
    found = RuleSet.objects.prefetch_related("values")
    chosen = (
        found.filter(version=version).first()
        if version is not None
        else found.filter(effective_from__lte=day).order_by("-effective_from", "-version").first()
    )
    if version is not None and chosen is None and version != 0:
        raise LookupError(version)
    table = {i.key: Rule(float(i.max_points), i.full_at, i.unconfirmed) for i in INDICATORS}
    if chosen is None:
        return 0, table
    for value in chosen.values.all():
        if value.key in table:
            table[value.key] = Rule(
                float(value.max_points), float(value.full_at), value.unconfirmed
            )
    return chosen.version, table


# ---- scopes -------------------------------------------------------------------------------


def province_name() -> str:
    """The province's name as the site gives it (``MOTCUA_PROVINCE_NAME``)."""
    return str(settings.MOTCUA_PROVINCE_NAME)


def scope_for(kind: str, pk: int | None) -> ScopeRef:
    """The scope ``kind`` with id ``pk``; LookupError when there is none."""
    if kind == "province":
        return ScopeRef("province", None, province_name())
    model: Any = {
        "unit": AdministrativeUnit,
        "agency": Agency,
        "sector": Sector,
        "procedure": Procedure,
    }.get(kind)
    if model is None or pk is None:
        raise LookupError(kind)
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise LookupError(pk)
    return ScopeRef(kind, found.pk, str(found.name))


def ranked_scopes(kind: str) -> list[ScopeRef]:
    """The units (communes and districts that have agencies) or the agencies (post offices
    aside) a ranking compares."""
    if kind == "unit":
        units = AdministrativeUnit.objects.exclude(level=UnitLevel.PROVINCE).filter(
            pk__in=Agency.objects.filter(active=True).values("unit_id")
        )
        return [ScopeRef("unit", u.pk, u.name) for u in units.order_by("name")]
    if kind == "agency":
        agencies = Agency.objects.filter(active=True).exclude(kind=AgencyKind.POST_OFFICE)
        return [ScopeRef("agency", a.pk, a.name) for a in agencies.order_by("name")]
    raise LookupError(kind)


# ---- scores -------------------------------------------------------------------------------


def score(period: IndicatorPeriod, scope: ScopeRef, *, rules_version: int | None = None) -> Score:
    ids = None if scope.id is None else [scope.id]
    found = figures(period, scope.kind, ids)
    return _score(period, scope, found[scope.id], rules(period.end, rules_version))


def ranking(period: IndicatorPeriod, kind: str) -> list[Score]:
    """Every unit's or agency's score, best first, with its rank (equal scores share one)."""
    scopes = ranked_scopes(kind)
    found = figures(period, kind, [s.id for s in scopes if s.id is not None])
    table = rules(period.end)
    scores = [_score(period, s, found[s.id], table) for s in scopes]
    scores.sort(key=lambda s: (-round(s.percent, 2), s.scope.name))
    previous: float | None = None
    for place, one in enumerate(scores, start=1):
        if previous is None or round(one.percent, 2) != previous:
            rank = place
        one.rank, previous = rank, round(one.percent, 2)
    return scores


def trend(scope: ScopeRef, end: dt.date, months: int = 12) -> list[Score]:
    """The scope's score month by month, oldest first, the last month so far."""
    return [score(period, scope) for period in last_months(end, months)]


def _score(
    period: IndicatorPeriod, scope: ScopeRef, values: Figures, table: tuple[int, dict[str, Rule]]
) -> Score:
    version, by_key = table
    groups = []
    for group in GROUPS:
        indicators = [
            _indicator(i.key, values, by_key[i.key], scope.kind)
            for i in INDICATORS
            if i.group == group.key
        ]
        groups.append(
            GroupScore(
                key=group.key,
                name=str(group.name),
                score=sum(i.points for i in indicators),
                max_score=sum(i.max_points for i in indicators),
                indicators=indicators,
            )
        )
    return Score(
        period=period,
        scope=scope,
        score=sum(g.score for g in groups),
        max_score=sum(g.max_score for g in groups),
        groups=groups,
        rules_version=version,
        as_of=timezone.now(),
        figures=values,
    )


def _indicator(key: str, values: Figures, rule: Rule, kind: str) -> IndicatorValue:
    definition = BY_KEY[key]
    applicable = kind in definition.scopes
    numerator = definition.numerator(values) if applicable else 0.0
    denominator = definition.denominator(values) if applicable else 0.0
    value = numerator / denominator if denominator else None
    max_points = rule.max_points if applicable else 0.0
    return IndicatorValue(
        key=key,
        name=str(definition.name),
        value=value,
        numerator=numerator,
        denominator=denominator,
        points=points(value, max_points=max_points, full_at=rule.full_at) if max_points else 0.0,
        max_points=max_points,
        unconfirmed=rule.unconfirmed,
        applicable=applicable,
        measure=definition.measure,
    )


# ---- where the points go ------------------------------------------------------------------


@dataclass
class Cost:
    """What an agency or a procedure costs its scope in on-time points."""

    ref: ScopeRef
    judged: int
    late: int
    open_late: int
    lost_points: float


def costliest(period: IndicatorPeriod, scope: ScopeRef, by: str, limit: int = 10) -> list[Cost]:
    """The agencies or procedures whose late dossiers (judged late in the period, open past
    due at its end) cost ``scope`` the most on-time points, most first."""
    column = {"agency": "agency_id", "procedure": "procedure_id"}[by]
    where = None
    if scope.kind != "province":
        where = {
            "unit": "unit_id",
            "agency": "agency_id",
            "sector": "procedure__sector_id",
            "procedure": "procedure_id",
        }[scope.kind]
    filter_ = Q(**{where: scope.id}) if where else None
    flows = totals(
        cover(period.start, period.end),
        by_day=DailyCounter,
        by_month=MonthCounter,
        group=(column,),
        sums={"in_time": Sum("judged_in_time"), "late": Sum("judged_late")},
        where=filter_,
    )
    stock = totals(
        cover(EARLIEST, period.end),
        by_day=DailyCounter,
        by_month=MonthCounter,
        group=(column,),
        sums={
            "open": Sum("open_change"),
            "open_late": Sum("open_late_change"),
            "paused": Sum("paused_change"),
            "paused_late": Sum("paused_late_change"),
        },
        where=filter_,
    )
    keys = set(flows) | set(stock)
    zero = {"in_time": 0, "late": 0, "open": 0, "open_late": 0, "paused": 0, "paused_late": 0}
    rows = {k: {**zero, **flows.get(k, {}), **stock.get(k, {})} for k in keys}
    denominator = sum(r["in_time"] + r["late"] + r["open"] + r["paused"] for r in rows.values())
    if not denominator:
        return []
    rule = rules(period.end)[1]["on_time_rate"]
    names = _names(by, [k[0] for k in keys])
    costs = []
    for (pk,), r in rows.items():
        missed = r["late"] + r["open_late"] + r["paused_late"]
        if not missed:
            continue
        costs.append(
            Cost(
                ref=ScopeRef(by, pk, names.get(pk, str(pk))),
                judged=int(r["in_time"] + r["late"]),
                late=int(r["late"]),
                open_late=int(r["open_late"] + r["paused_late"]),
                lost_points=rule.max_points * missed / denominator / (rule.full_at or 1.0),
            )
        )
    costs.sort(key=lambda c: (-c.lost_points, c.ref.name))
    return costs[:limit]


def _names(kind: str, ids: Collection[int]) -> dict[int, str]:
    model: Any = Agency if kind == "agency" else Procedure
    return {
        pk: str(name) for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name")
    }


# ---- the API's shape ----------------------------------------------------------------------


def to_json(one: Score) -> dict[str, Any]:
    """``GET /api/v1/indicators`` (docs/rules/api.md "Indicators")."""
    return {
        "period": {"start": one.period.start.isoformat(), "end": one.period.end.isoformat()},
        "scope": {"kind": one.scope.kind, "id": one.scope.id, "name": one.scope.name},
        "score": round(one.score, 2),
        "max_score": round(one.max_score, 2),
        "rules_version": one.rules_version,
        "as_of": one.as_of.isoformat(),
        "groups": [
            {
                "key": g.key,
                "name": g.name,
                "score": round(g.score, 2),
                "max_score": round(g.max_score, 2),
                "indicators": [
                    {
                        "key": i.key,
                        "name": i.name,
                        "value": None if i.value is None else round(i.value, 4),
                        "numerator": round(i.numerator, 2),
                        "denominator": round(i.denominator, 2),
                        "points": round(i.points, 2),
                        "max_points": round(i.max_points, 2),
                        "unconfirmed": i.unconfirmed,
                    }
                    for i in g.indicators
                    if i.applicable
                ],
            }
            for g in one.groups
        ],
    }


__all__ = [
    "KINDS",
    "TABLES",
    "Cost",
    "GroupScore",
    "IndicatorValue",
    "ScopeRef",
    "Score",
    "costliest",
    "ranking",
    "rules",
    "scope_for",
    "score",
    "to_json",
    "trend",
]
