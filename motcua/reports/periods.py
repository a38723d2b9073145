"""Which counter rows cover a period (docs/architecture.md rule 9): the whole months inside it
from the monthly rollup, the days before the first whole month and after the last from the
daily one. A report's cost is then a few rows per agency and month, whatever the number of
dossiers or tickets."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import DateField, Q
from django.db.models.functions import Cast, TruncMonth

ONE_DAY = dt.timedelta(days=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class Cover:
    start: dt.date
    end: dt.date  # inclusive
    months: tuple[dt.date, dt.date] | None  # first days of the first and last whole month
    days: tuple[tuple[dt.date, dt.date], ...]  # inclusive ranges at the edges

    def month_rows(self, field: str = "month") -> Q | None:
        """The monthly rows to read, or None when the period has no whole month."""
        if self.months is None:
            return None
        first, last = self.months
        return Q(**{f"{field}__gte": first, f"{field}__lte": last})

    def day_rows(self, field: str = "day") -> Q | None:
        """The daily rows to read, or None when the period is whole months."""
        if not self.days:
            return None
        ranges = [Q(**{f"{field}__gte": a, f"{field}__lte": b}) for a, b in self.days]
        combined = ranges[0]
        for other in ranges[1:]:
            combined |= other
        return combined


def cover(start: dt.date, end: dt.date) -> Cover:
    """Split [start, end] into whole months and the days at its edges."""
    first = start if start.day == 1 else next_month(start)
    after = next_month(end) if next_month(end) - ONE_DAY == end else end.replace(day=1)
    # [first, after) is the run of whole months; empty when first >= after.
    if first >= after:
        return Cover(start, end, None, ((start, end),))
    days = []
    if start < first:
        days.append((start, first - ONE_DAY))
    if after <= end:
        days.append((after, end))
    last_month = (after - ONE_DAY).replace(day=1)
    return Cover(start, end, (first, last_month), tuple(days))


def totals(
    cover: Cover,
    *,
    by_day: type[models.Model],
    by_month: type[models.Model],
    group: Sequence[str],
    sums: Mapping[str, Any],
    where: Q | None = None,
) -> dict[tuple[Any, ...], dict[str, int]]:
    """``sums`` (aggregates over counter fields) over the period, by ``group`` (columns both
    tables share, or "month"), from at most one query per table."""
    out: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(sums, 0))
    for model, rows in ((by_month, cover.month_rows()), (by_day, cover.day_rows())):
        if rows is None:
            continue
        found = model.objects.filter(rows & (where or Q())).order_by()  # type: ignore[attr-defined]
        if "month" in group and model is by_day:
            found = found.annotate(month=Cast(TruncMonth("day"), DateField()))
        if not group:
            one = found.aggregate(**sums)
            for name in sums:
                out[()][name] += one[name] or 0
            continue
        found = found.values(*group).annotate(**sums)
        # Sums are integers: read the rows straight from the cursor, without the ORM's
        # per-value conversions, which cost more than the query on thousands of rows.
        sql, params = found.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                key = tuple(_value(name, v) for name, v in zip(group, row, strict=False))
                into = out[key]
                for name, n in zip(sums, row[len(group) :], strict=True):
                    into[name] += n or 0
    return dict(out)


def _value(name: str, value: Any) -> Any:
    """A month read back from SQLite is text."""
    if name == "month" and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value
