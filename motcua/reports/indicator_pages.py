"""What the Decision 766 dashboards show, read from the indicator engine
(``motcua/reports/indicators/``) and shared by the leaders' page, the public page and their
downloads (docs/indicators.md).

The engine scores a period and a scope; this module picks the period a request asks for
(``?ky=2026-11``, or ``?loai=quarter`` for the current quarter so far), sets the score
beside the previous period's, finds the scope's rank, its trend over twelve months and, for
leaders, where the points are lost, and turns them into charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.reports import charts
from motcua.reports.indicators.engine import (
    Cost,
    ScopeRef,
    Score,
    costliest,
    ranking,
    score,
    trend,
)
from motcua.reports.indicators.periods import (
    IndicatorPeriod,
    PeriodError,
    current_period,
    parse_period,
)
from motcua.reports.numbers import number, percent

StrOrPromise = str | Promise

# The kinds a reader chooses among (a custom run of days is reached with ``?ky=`` only).
KINDS: Mapping[str, StrOrPromise] = {
    "week": gettext_lazy("Tuần"),
    "month": gettext_lazy("Tháng"),
    "quarter": gettext_lazy("Quý"),
    "half": gettext_lazy("6 tháng"),
    "year": gettext_lazy("Năm"),
}
# The shares the public page draws, each an indicator of the engine.
SHARES: Sequence[tuple[str, StrOrPromise]] = (
    ("on_time_rate", gettext_lazy("Giải quyết đúng hạn")),
    ("online_dossier_rate", gettext_lazy("Hồ sơ trực tuyến")),
    ("satisfaction_rate", gettext_lazy("Mức độ hài lòng")),
)
TREND_MONTHS = 12


def chosen_period(params: Mapping[str, str], today: dt.date) -> IndicatorPeriod:
    """The period ``?ky=`` names, else the current one of ``?loai=`` (a month by default);
    PeriodError, with a message for the reader, when either cannot be read."""
    raw = (params.get("ky") or "").strip()
    if raw:
        return parse_period(raw)
    kind = (params.get("loai") or "month").strip()
    if kind not in KINDS:
        raise PeriodError(_("Loại kỳ không hợp lệ: chọn tuần, tháng, quý, 6 tháng hoặc năm."))
    return current_period(kind, today)


@dataclass(frozen=True)
class GroupRow:
    """A group's score beside the previous period's."""

    key: str
    name: str
    score: float
    max_score: float
    previous: float | None

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.score - self.previous

    @property
    def direction(self) -> str:
        change = self.change
        if change is None or round(change, 1) == 0:
            return "same"
        return "up" if change > 0 else "down"


@dataclass
class Dashboard:
    period: IndicatorPeriod
    scope: ScopeRef
    score: Score
    previous: Score
    groups: list[GroupRow]
    trend: list[Score]
    ranking: list[Score] = field(default_factory=list)
    rank: int | None = None
    agencies: list[Cost] = field(default_factory=list)
    procedures: list[Cost] = field(default_factory=list)

    @property
    def as_of(self) -> dt.datetime:
        return self.score.as_of

    @property
    def change(self) -> float:
        return self.score.score - self.previous.score

    @property
    def indicators(self) -> list[tuple[str, object]]:
        """(group name, indicator) for every indicator, in the engine's order."""
        return [(group.name, value) for group in self.score.groups for value in group.indicators]


def ranking_kind(scope: ScopeRef) -> str | None:
    """What a scope is ranked among: agencies among agencies, units among units."""
    return scope.kind if scope.kind in ("agency", "unit") else None


def build(
    period: IndicatorPeriod,
    scope: ScopeRef,
    *,
    ranked: str | None,
    costs: bool,
) -> Dashboard:
    """Everything a dashboard shows for ``scope`` over ``period``; ``ranked`` ("unit" or
    "agency") adds that ranking, ``costs`` the agencies and procedures that lose points."""
    current = score(period, scope)
    previous = score(period.previous(), scope)
    before = {group.key: group.score for group in previous.groups}
    groups = [
        GroupRow(group.key, group.name, group.score, group.max_score, before.get(group.key))
        for group in current.groups
    ]
    dashboard = Dashboard(
        period=period,
        scope=scope,
        score=current,
        previous=previous,
        groups=groups,
        trend=trend(scope, period.end, TREND_MONTHS),
    )
    if ranked:
        dashboard.ranking = ranking(period, ranked)
        own = ranking_kind(scope)
        if own == ranked:
            dashboard.rank = next(
                (s.rank for s in dashboard.ranking if s.scope.id == scope.id), None
            )
    if costs:
        if scope.kind != "agency":
            dashboard.agencies = costliest(period, scope, by="agency")
        dashboard.procedures = costliest(period, scope, by="procedure")
    return dashboard


def share(result: Score, key: str) -> float | None:
    """An indicator's rate, or None when the rule set has no such indicator, it does not
    apply to the scope, or there was nothing to divide."""
    found = [i for g in result.groups for i in g.indicators if i.key == key and i.applicable]
    return found[0].value if found else None


# -- charts -----------------------------------------------------------------------------------


def score_text(value: float, top: float) -> str:
    return _("%(score)s/%(top)s điểm") % {"score": number(value), "top": number(top, 0)}


def trend_chart(results: Sequence[Score], scope: ScopeRef) -> SafeString:
    top = max((r.max_score for r in results), default=100.0) or 100.0
    points = [
        charts.Point(f"{r.period.start:%m/%y}", r.score, score_text(r.score, r.max_score))
        for r in results
    ]
    return charts.line_chart(
        title=_("Điểm 12 tháng gần nhất: %(scope)s") % {"scope": scope.name},
        points=points,
        top=top,
        headings=(_("Tháng"), _("Điểm")),
    )


def groups_chart(dashboard: Dashboard) -> SafeString:
    bars = [
        charts.Bar(row.name, row.score, row.max_score, score_text(row.score, row.max_score))
        for row in dashboard.groups
    ]
    return charts.bar_chart(
        title=_("Điểm theo nhóm chỉ số"), bars=bars, headings=(_("Nhóm chỉ số"), _("Điểm"))
    )


def ranking_chart(results: Sequence[Score], title: str) -> SafeString:
    bars = [
        charts.Bar(
            f"{r.rank}. {r.scope.name}" if r.rank else r.scope.name,
            r.score,
            r.max_score,
            score_text(r.score, r.max_score),
        )
        for r in results
    ]
    return charts.bar_chart(title=title, bars=bars, headings=(_("Xếp hạng"), _("Điểm")))


def shares_chart(result: Score) -> SafeString:
    points = [
        charts.Point(str(label), share(result, key), percent(share(result, key)))
        for key, label in SHARES
    ]
    return charts.share_chart(
        title=_("Tỷ lệ đúng hạn, trực tuyến và hài lòng"),
        shares=points,
        headings=(_("Chỉ số"), _("Tỷ lệ")),
    )
