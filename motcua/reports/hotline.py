"""Hotline 1022 statistics: volume by channel, kind, agency and month; who answers on time and
who late; time to the first answer in working hours; satisfaction; escalations.

Read from the counters the ticket actions keep (docs/architecture.md rule 9; the tables and what
moves them: ``hotline/counters.py``): the whole months of the period from the monthly rows, the
days at its edges from the daily ones (``periods.py``), so the cost depends on the number of
agencies, channels, kinds and months, never on the number of tickets. The number of queries is
fixed: one per table (the monthly rows and the edge days' rows) for each of the channels, the
kinds, the months, the agencies' figures and the answer-time histogram, and the agencies' names.

Counting rules (docs/rules/indicators.md "What the reports show"):
- A ticket belongs to the period it was received in (Asia/Ho_Chi_Minh days). Merged
  duplicates do not count: they live on in the ticket they were merged into.
- Each ticket is in exactly one timeliness class: answered on time / late (by its first
  answer, ``Ticket.outcome``, which stands even if it was reopened); otherwise still open and
  past due (flagged by the deadline job), still open within time, or closed without an answer
  (spam, a test call).
- Late share = (answered late + open past due) / (answered + open past due): an agency that
  leaves tickets unanswered must not look punctual.
- Feedback and petitions (docs/rules/indicators.md "Feedback indicators"): handled within 15
  working days of receipt, declined within 2, asked for details within 5 (the first
  request), published within 2 working days of the first answer; each share is of those
  that took the step.
- Time to first answer: working hours, in the calendar of the agency that answered (the
  province's while it is at 1022), from receipt to the first reply, measured when the reply
  was given. Median: the middle value (the mean of the two middle ones for an even count);
  90th percentile: nearest rank (the smallest value with at least 90 % of answers at or below
  it). Both are read from the histogram, each value the mean of its bucket: exact when the
  answers in a bucket took the same time, and within one per cent of it otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.histogram import Histogram
from motcua.hotline.models import (
    AnswerHoursDayCounter,
    AnswerHoursMonthCounter,
    TicketDayCounter,
    TicketMonthCounter,
)
from motcua.hotline.models.counters import FEEDBACK_FIELDS
from motcua.hotline.status import TicketChannel, TicketKind
from motcua.org.models import Agency
from motcua.reports.periods import cover, next_month, totals

TZ = ZoneInfo(settings.TIME_ZONE)
DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
MAX_DAYS = 5 * 366


class PeriodError(ValueError):
    """A period or agency the report cannot be drawn for; the message is for the user."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, the day after end 00:00) in Việt Nam time."""
        first = dt.datetime.combine(self.start, dt.time.min, TZ)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, TZ)
        return first, after


def parse_day(raw: str, label: str) -> dt.date:
    match = DATE.match(raw)
    try:
        if match is None:
            raise ValueError(raw)
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    except ValueError:
        raise PeriodError(
            _("%(label)s «%(value)s» không hợp lệ; nhập theo dạng dd/mm/yyyy.")
            % {"label": label, "value": raw}
        ) from None


def parse_period(params: Mapping[str, str], *, today: dt.date) -> Period:
    """``from`` and ``to`` as dd/mm/yyyy; by default this year up to today."""
    raw_from = (params.get("from") or "").strip()
    raw_to = (params.get("to") or "").strip()
    start = parse_day(raw_from, _("Từ ngày")) if raw_from else today.replace(month=1, day=1)
    end = parse_day(raw_to, _("Đến ngày")) if raw_to else today
    if start > end:
        raise PeriodError(_("«Từ ngày» phải trước hoặc bằng «Đến ngày»."))
    if (end - start).days >= MAX_DAYS:
        raise PeriodError(_("Mỗi lần xem tối đa 5 năm."))
    return Period(start, end)


@dataclass(frozen=True)
class Line:
    """One row of a one-dimension table: a channel, a kind, a month."""

    key: str
    label: str
    count: int
    month: dt.date | None = None


@dataclass
class AgencyFigures:
    agency_id: int | None
    name: str
    received: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    open_within: int = 0
    escalated: int = 0
    rated: int = 0
    rating_sum: int = 0
    rated_high: int = 0  # rated 4 or 5
    # Feedback and petitions (docs/rules/indicators.md "Feedback indicators").
    handled: int = 0
    handled_in_time: int = 0  # within 15 working days of receipt
    declined: int = 0
    declined_in_time: int = 0  # within 2 working days of receipt
    asked: int = 0
    asked_in_time: int = 0  # first request within 5 working days of receipt
    published: int = 0
    published_in_time: int = 0  # within 2 working days of the first answer
    hours: Histogram = field(default_factory=Histogram)  # working hours to the first answer

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def closed_unanswered(self) -> int:
        return self.received - self.answered - self.open_overdue - self.open_within

    @property
    def late_share(self) -> float | None:
        counted = self.answered + self.open_overdue
        return (self.late + self.open_overdue) / counted if counted else None

    @property
    def median_hours(self) -> float | None:
        return self.hours.median

    @property
    def p90_hours(self) -> float | None:
        return self.hours.p90

    @property
    def late_percent(self) -> float | None:
        return None if self.late_share is None else self.late_share * 100

    @property
    def high_percent(self) -> float | None:
        return None if self.high_share is None else self.high_share * 100

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None

    @property
    def high_share(self) -> float | None:
        return self.rated_high / self.rated if self.rated else None

    @property
    def feedback(self) -> list[FeedbackLine]:
        """The four feedback indicators: count, on time, on-time share."""
        return [
            FeedbackLine(label, getattr(self, name), getattr(self, f"{name}_in_time"))
            for name, label in feedback_steps()
        ]

    @property
    def has_feedback(self) -> bool:
        return any(line.count for line in self.feedback)

    def add(self, other: AgencyFigures) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.hours.merge(other.hours)


@dataclass(frozen=True)
class FeedbackLine:
    label: str
    count: int
    in_time: int

    @property
    def share(self) -> float | None:
        return self.in_time / self.count if self.count else None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100


def feedback_steps() -> tuple[tuple[str, str], ...]:
    """The four feedback indicators: the counters' figure and its label (translated when
    called, in the request's language)."""
    return (
        ("handled", _("Đã giải quyết (trong 15 ngày làm việc)")),
        ("declined", _("Từ chối tiếp nhận xử lý (trong 2 ngày làm việc)")),
        ("asked", _("Đề nghị bổ sung, làm rõ (trong 5 ngày làm việc)")),
        ("published", _("Công khai kết quả (trong 2 ngày làm việc sau trả lời)")),
    )


# The figures' names → the counters' fields they sum.
COUNTED = {
    "received": "received",
    "on_time": "answered_on_time",
    "late": "answered_late",
    "open_overdue": "open_overdue",
    "open_within": "open_within",
    "escalated": "escalated",
    "rated": "rated",
    "rating_sum": "rating_sum",
    "rated_high": "rated_high",
    **{name: name for name in FEEDBACK_FIELDS},
}


@dataclass
class HotlineStats:
    period: Period
    at: dt.datetime  # when the figures were read; "past due" as the deadline job flagged it
    agency: Agency | None  # the one agency asked for, if any
    by_channel: list[Line]
    by_kind: list[Line]
    by_month: list[Line]
    agencies: list[AgencyFigures]  # by received, most first
    total: AgencyFigures

    @property
    def by_late_share(self) -> list[AgencyFigures]:
        """Who answers late: the largest late share first; agencies with nothing to judge last."""
        return sorted(
            self.agencies,
            key=lambda a: (a.late_share is None, -(a.late_share or 0), -a.received, a.name),
        )

    @property
    def by_satisfaction(self) -> list[AgencyFigures]:
        """The least satisfied first; agencies without ratings last."""
        return sorted(
            self.agencies,
            key=lambda a: (
                a.average_rating is None,
                a.average_rating or 0,
                -a.rated,
                a.name,
            ),
        )


def hotline_stats(
    *,
    period: Period,
    agencies: Collection[int] | None = None,
    agency: Agency | None = None,
    at: dt.datetime | None = None,
) -> HotlineStats:
    """The figures for tickets received in ``period``; only those of ``agencies`` when given
    (an agency leader's own), only ``agency``'s when given."""
    where = Q()
    if agencies is not None:
        where &= Q(agency_id__in=list(agencies))
    if agency is not None:
        where &= Q(agency=agency)
    span = cover(period.start, period.end)
    tickets = partial(
        totals, span, by_day=TicketDayCounter, by_month=TicketMonthCounter, where=where
    )
    received = {"received": Sum("received")}
    by_channel = _lines(_summed(tickets(group=("channel",), sums=received)), TicketChannel.choices)
    by_kind = _lines(_summed(tickets(group=("kind",), sums=received)), TicketKind.choices)
    by_month = _months(_summed(tickets(group=("month",), sums=received)), period)
    figures = _by_agency(
        tickets(group=("agency_id",), sums={n: Sum(f) for n, f in COUNTED.items()})
    )
    hours = totals(
        span,
        by_day=AnswerHoursDayCounter,
        by_month=AnswerHoursMonthCounter,
        where=where,
        group=("agency_id", "bucket"),
        sums={"answers": Sum("answers"), "seconds": Sum("seconds")},
    )
    for (agency_id, bucket), row in hours.items():
        if agency_id in figures:
            figures[agency_id].hours.add(bucket, row["answers"], row["seconds"])

    total = AgencyFigures(agency_id=None, name=_("Tổng cộng"))
    for one in figures.values():
        total.add(one)
    rows = sorted(figures.values(), key=lambda a: (-a.received, a.name))
    return HotlineStats(
        period=period,
        at=at or timezone.now(),
        agency=agency,
        by_channel=by_channel,
        by_kind=by_kind,
        by_month=by_month,
        agencies=rows,
        total=total,
    )


def _summed(rows: Mapping[tuple[Any, ...], Mapping[str, int]]) -> dict[Any, int]:
    """Tickets received by the one column the rows are grouped by."""
    return {key[0]: row["received"] for key, row in rows.items()}


def _lines(counted: Mapping[Any, int], choices: Sequence[tuple[str, object]]) -> list[Line]:
    counts = {str(key): n for key, n in counted.items() if n}
    lines = [Line(value, str(label), counts.pop(value, 0)) for value, label in choices]
    # A value no longer among the choices (a retired channel) still counts.
    lines += [Line(value, value, n) for value, n in sorted(counts.items())]
    return lines


def _months(counts: Mapping[Any, int], period: Period) -> list[Line]:
    lines = []
    month = period.start.replace(day=1)
    while month <= period.end:
        lines.append(Line(f"{month:%Y-%m}", f"{month:%m/%Y}", counts.get(month, 0), month))
        month = next_month(month)
    return lines


def _by_agency(
    counted: Mapping[tuple[Any, ...], Mapping[str, int]],
) -> dict[int | None, AgencyFigures]:
    rows = {key[0]: row for key, row in counted.items() if row["received"]}
    names = Agency.objects.in_bulk([a for a in rows if a is not None])
    figures: dict[int | None, AgencyFigures] = {}
    for agency_id, row in rows.items():
        found = names.get(agency_id) if isinstance(agency_id, int) else None
        name = found.name if found else _("Tổng đài 1022 (chưa chuyển cơ quan)")
        key = agency_id if isinstance(agency_id, int) else None
        figures[key] = AgencyFigures(agency_id=key, name=name, **row)  # type: ignore[arg-type]
    return figures
