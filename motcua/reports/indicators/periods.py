"""The periods the indicators are computed for (docs/rules/indicators.md "Decision 766
indicators"): an ISO week, a month, a quarter, a half year, a year, or any run of days.

A period is written the way the API takes it: ``2026-W47``, ``2026-11``, ``2026-Q4``,
``2026-H2``, ``2026``, or ``2026-01-05..2026-02-10``; its label is Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.reports.periods import next_month

ONE_DAY = dt.timedelta(days=1)
# The oldest and latest days a period may name: the indicators have no data before the
# first, and a custom period is at most ten years.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
MAX_CUSTOM_DAYS = 3660
KINDS = ("week", "month", "quarter", "half", "year", "custom")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A period that cannot be read, with a message for the person who wrote it."""


@dataclass(frozen=True)
class IndicatorPeriod:
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def code(self) -> str:
        start = self.start
        if self.kind == "week":
            year, week, _day = start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{start:%Y-%m}"
        if self.kind == "quarter":
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{start.year}-H{1 if start.month == 1 else 2}"
        if self.kind == "year":
            return str(start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        start = self.start
        if self.kind == "week":
            year, week, _day = start.isocalendar()
            return _("Tuần %(week)s/%(year)s (%(start)s–%(end)s)") % {
                "week": week,
                "year": year,
                "start": f"{self.start:%d/%m}",
                "end": f"{self.end:%d/%m/%Y}",
            }
        if self.kind == "month":
            return _("Tháng %(month)s") % {"month": f"{start:%m/%Y}"}
        if self.kind == "quarter":
            quarter = ROMAN[(start.month - 1) // 3 + 1]
            return _("Quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": start.year}
        if self.kind == "half":
            if start.month == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": start.year}
            return _("6 tháng cuối năm %(year)s") % {"year": start.year}
        if self.kind == "year":
            return _("Năm %(year)s") % {"year": start.year}
        return _("Từ %(start)s đến %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}",
            "end": f"{self.end:%d/%m/%Y}",
        }

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> IndicatorPeriod:
        """The period of the same kind just before (a custom one: as many days before)."""
        if self.kind == "week":
            return week(self.start - dt.timedelta(days=7))
        if self.kind in ("month", "quarter", "half", "year"):
            return of_kind(self.kind, self.start - ONE_DAY)
        end = self.start - ONE_DAY
        return IndicatorPeriod("custom", end - dt.timedelta(days=self.days - 1), end)

    def next(self) -> IndicatorPeriod:
        if self.kind == "custom":
            start = self.end + ONE_DAY
            return IndicatorPeriod("custom", start, start + dt.timedelta(days=self.days - 1))
        return of_kind(self.kind, self.end + ONE_DAY)

    def so_far(self, today: dt.date) -> IndicatorPeriod:
        """The period cut at ``today`` when it is not over (judged as of today's end)."""
        if self.start <= today < self.end:
            return IndicatorPeriod(self.kind, self.start, today)
        return self


def week(day: dt.date) -> IndicatorPeriod:
    start = day - dt.timedelta(days=day.weekday())
    return IndicatorPeriod("week", start, start + dt.timedelta(days=6))


def of_kind(kind: str, day: dt.date) -> IndicatorPeriod:
    """The period of ``kind`` that holds ``day``."""
    if kind == "week":
        return week(day)
    if kind == "month":
        start = day.replace(day=1)
        return IndicatorPeriod("month", start, next_month(start) - ONE_DAY)
    if kind == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        end = next_month(next_month(next_month(start))) - ONE_DAY
        return IndicatorPeriod("quarter", start, end)
    if kind == "half":
        first = day.month <= 6
        start = day.replace(month=1 if first else 7, day=1)
        end = day.replace(month=6, day=30) if first else day.replace(month=12, day=31)
        return IndicatorPeriod("half", start, end)
    if kind == "year":
        return IndicatorPeriod("year", day.replace(month=1, day=1), day.replace(month=12, day=31))
    raise PeriodError(_("Loại kỳ không hợp lệ: %(kind)s.") % {"kind": kind})


def current_period(kind: str, today: dt.date) -> IndicatorPeriod:
    """The period of ``kind`` that holds ``today``, so far."""
    return of_kind(kind, today).so_far(today)


def last_months(end: dt.date, n: int = 12) -> list[IndicatorPeriod]:
    """The ``n`` months up to ``end``'s, oldest first; the last cut at ``end``."""
    months = [of_kind("month", end).so_far(end)]
    while len(months) < n:
        months.append(months[-1].previous())
    return months[::-1]


PATTERNS = (
    (re.compile(r"(\d{4})-W(\d{2})"), "week"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-H([12])"), "half"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})"), "custom"),
)


def parse_period(text: str) -> IndicatorPeriod:
    """Read a period as the API writes it; PeriodError says what is wrong."""
    text = (text or "").strip()
    for pattern, kind in PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                period = _build(kind, *match.groups())
            except PeriodError:
                raise
            except ValueError:  # a month 13, a week 54
                break
            if period.start < EARLIEST or period.end > LATEST:
                raise PeriodError(_("Kỳ phải nằm trong các năm 2000–2099."))
            return period
    raise PeriodError(
        _(
            "Kỳ «%(text)s» không hợp lệ: dùng 2026-W47 (tuần), 2026-11 (tháng), 2026-Q4 (quý), "
            "2026-H2 (6 tháng), 2026 (năm) hoặc 2026-01-01..2026-03-31."
        )
        % {"text": text[:40]}
    )


def _build(kind: str, first: str, second: str | None = None) -> IndicatorPeriod:
    if kind == "week":
        return week(dt.date.fromisocalendar(int(first), int(second or 0), 1))
    if kind == "month":
        return of_kind("month", dt.date(int(first), int(second or 0), 1))
    if kind == "quarter":
        return of_kind("quarter", dt.date(int(first), (int(second or 1) - 1) * 3 + 1, 1))
    if kind == "half":
        return of_kind("half", dt.date(int(first), 1 if second == "1" else 7, 1))
    if kind == "year":
        return of_kind("year", dt.date(int(first), 1, 1))
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(second or "")
    if end < start:
        raise PeriodError(_("Ngày cuối kỳ phải sau ngày đầu kỳ."))
    if (end - start).days >= MAX_CUSTOM_DAYS:
        raise PeriodError(_("Một kỳ tự chọn dài nhất mười năm."))
    return IndicatorPeriod("custom", start, end)
