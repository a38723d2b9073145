"""Hotline 1022 statistics: volume by channel, kind, agency and month; who answers on time and
who late; time to the first answer in working hours; satisfaction; escalations.

Why these read ``Ticket`` directly, against docs/architecture.md rule 9 ("reports read rollups"): a
province receives 5,000–50,000 tickets a year, two to three orders of magnitude fewer than dossiers.
A year of tickets is a range scan of the ``received_at`` index (``ticket_received``) feeding a
handful of ``GROUP BY`` aggregates, which PostgreSQL answers in milliseconds at that size; a rollup
table would need every ticket action to keep counters in step (and a rebuild whenever a rule
changes, such as what counts as late) for no measurable gain. Revisit if one deployment serves many
provinces: then the rollup belongs in the actions, as it does for dossiers.

The number of queries is fixed whatever the number of tickets or agencies: one aggregate per
dimension, one for the timeliness/satisfaction figures by agency, one listing first-answer
moments (the only per-ticket rows read: working hours cannot be measured in SQL), one for the
agencies' names and one to find which agencies keep their own working calendar (all others
share the province's, so one ``calendar_for`` serves them).

Counting rules (docs/rules/indicators.md "What the reports show"):
- A ticket belongs to the period it was received in (Asia/Ho_Chi_Minh days). Merged
  duplicates do not count: they live on in the ticket they were merged into.
- Each ticket is in exactly one timeliness class: answered on time / late (by its first
  answer, ``Ticket.outcome``, which stands even if it was reopened); otherwise still open and
  past due, still open within time, or closed without an answer (spam, a test call).
- Late share = (answered late + open past due) / (answered + open past due): an agency that
  leaves tickets unanswered must not look punctual.
- Time to first answer: working hours, in the calendar of the ticket's agency (the province's
  while it is at 1022), from receipt to the first reply. Median: the middle value (the mean of
  the two middle ones for an even count); 90th percentile: nearest rank (the smallest value
  with at least 90 % of answers at or below it).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.hotline.models import Direction, Ticket, TicketOutcome
from motcua.hotline.status import OPEN, TicketChannel, TicketKind, TicketStatus
from motcua.org.models import Agency
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.hours import working_hours_between
from motcua.workcalendar.models import CalendarOverride, WorkingPeriod
from motcua.workcalendar.store import calendar_for

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
    hours: list[float] = field(default_factory=list)  # working hours to the first answer

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
        return statistics.median(self.hours) if self.hours else None

    @property
    def p90_hours(self) -> float | None:
        if not self.hours:
            return None
        ordered = sorted(self.hours)
        return ordered[math.ceil(0.9 * len(ordered)) - 1]

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

    def add(self, other: AgencyFigures) -> None:
        for name in (
            "received",
            "on_time",
            "late",
            "open_overdue",
            "open_within",
            "escalated",
            "rated",
            "rating_sum",
            "rated_high",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.hours.extend(other.hours)


@dataclass
class HotlineStats:
    period: Period
    at: dt.datetime  # "open past due" is judged at this moment
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
    at = at or timezone.now()
    first, after = period.bounds
    tickets = Ticket.objects.filter(received_at__gte=first, received_at__lt=after).exclude(
        status=TicketStatus.MERGED
    )
    if agencies is not None:
        tickets = tickets.filter(agency_id__in=list(agencies))
    if agency is not None:
        tickets = tickets.filter(agency=agency)

    by_channel = _counted(tickets, "channel", TicketChannel.choices)
    by_kind = _counted(tickets, "kind", TicketKind.choices)
    by_month = _by_month(tickets, period)
    figures = _by_agency(tickets, at)
    _first_answer_hours(tickets, figures)

    total = AgencyFigures(agency_id=None, name=_("Tổng cộng"))
    for row in figures.values():
        total.add(row)
    rows = sorted(figures.values(), key=lambda a: (-a.received, a.name))
    return HotlineStats(
        period=period,
        at=at,
        agency=agency,
        by_channel=by_channel,
        by_kind=by_kind,
        by_month=by_month,
        agencies=rows,
        total=total,
    )


def _counted(
    tickets: QuerySet[Ticket], field_name: str, choices: Sequence[tuple[str, object]]
) -> list[Line]:
    counts = {
        row[field_name]: row["n"]
        for row in tickets.order_by().values(field_name).annotate(n=Count("id"))
    }
    lines = [Line(value, str(label), counts.pop(value, 0)) for value, label in choices]
    # A value no longer among the choices (a retired channel) still counts.
    lines += [Line(value, value, n) for value, n in sorted(counts.items())]
    return lines


def _by_month(tickets: QuerySet[Ticket], period: Period) -> list[Line]:
    counts: dict[dt.date, int] = {}
    rows = (
        tickets.order_by()
        .annotate(month=TruncMonth("received_at", tzinfo=TZ))
        .values("month")
        .annotate(n=Count("id"))
    )
    for row in rows:
        month = row["month"]
        day = month.astimezone(TZ).date() if isinstance(month, dt.datetime) else month
        counts[day.replace(day=1)] = counts.get(day.replace(day=1), 0) + row["n"]
    lines = []
    month = period.start.replace(day=1)
    while month <= period.end:
        lines.append(Line(f"{month:%Y-%m}", f"{month:%m/%Y}", counts.get(month, 0), month))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return lines


def _by_agency(tickets: QuerySet[Ticket], at: dt.datetime) -> dict[int | None, AgencyFigures]:
    unanswered_open = Q(outcome="", status__in=OPEN)
    grouped = (
        tickets.order_by()
        .values("agency_id")
        .annotate(
            received=Count("id"),
            on_time=Count("id", filter=Q(outcome=TicketOutcome.ON_TIME)),
            late=Count("id", filter=Q(outcome=TicketOutcome.LATE)),
            open_overdue=Count("id", filter=unanswered_open & Q(due_at__lt=at)),
            open_within=Count(
                "id", filter=unanswered_open & (Q(due_at__gte=at) | Q(due_at__isnull=True))
            ),
            escalated=Count("id", filter=Q(escalation_level__gt=0)),
            rated=Count("rating"),
            rating_sum=Sum("rating"),
            rated_high=Count("id", filter=Q(rating__gte=4)),
        )
    )
    rows = list(grouped)
    names = Agency.objects.in_bulk([r["agency_id"] for r in rows if r["agency_id"] is not None])
    figures: dict[int | None, AgencyFigures] = {}
    for row in rows:
        agency_id = row.pop("agency_id")
        found = names.get(agency_id) if agency_id is not None else None
        name = found.name if found else _("Tổng đài 1022 (chưa chuyển cơ quan)")
        row["rating_sum"] = row["rating_sum"] or 0
        figures[agency_id] = AgencyFigures(agency_id=agency_id, name=name, **row)
    return figures


def _first_answer_hours(
    tickets: QuerySet[Ticket], figures: dict[int | None, AgencyFigures]
) -> None:
    answered = (
        tickets.filter(answered_at__isnull=False)
        .order_by()
        .annotate(first=Min("messages__at", filter=Q(messages__direction=Direction.OUTBOUND)))
        .values_list("agency_id", "received_at", "first")
    )
    rows = [row for row in answered if row[2] is not None]
    calendars = _calendars({agency_id for agency_id, _r, _f in rows})
    for agency_id, received_at, first in rows:
        row = figures.get(agency_id)
        if row is None:  # routed elsewhere between the two queries; counted next time
            continue
        hours = working_hours_between(calendars(agency_id), received_at, first)
        row.hours.append(hours.total_seconds() / 3600)


class _CalendarPicker:
    """Each agency's working calendar, loaded once per report."""

    def __init__(self, own: set[int]) -> None:
        self.own = own
        self.loaded: dict[int | None, WorkCalendar] = {}

    def __call__(self, agency_id: int | None) -> WorkCalendar:
        key = agency_id if agency_id in self.own else None
        if key not in self.loaded:
            self.loaded[key] = calendar_for(key)
        return self.loaded[key]


def _calendars(agency_ids: set[int | None]) -> _CalendarPicker:
    """A picker of each agency's working calendar that costs one query plus one
    ``calendar_for`` per agency with its own periods or days off (the rest share the
    province's)."""
    ids = [a for a in agency_ids if a is not None]
    own: set[int] = set()
    if ids:
        own = set(
            CalendarOverride.objects.filter(agency_id__in=ids)
            .order_by()
            .values_list("agency_id", flat=True)
            .union(
                WorkingPeriod.objects.filter(agency_id__in=ids)
                .order_by()
                .values_list("agency_id", flat=True)
            )
        )
    return _CalendarPicker(own)
