"""The dashboards at scale: the on-time report for a month, a year and two years, the hotline
statistics for a year, and the Decision 766 scores, against a GROUP BY over the dossiers in
the same run.

Run (PostgreSQL only)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/dashboards.py --dossiers 1000000 --tickets 200000

A fresh database ``bench_dashboards_<pid>`` is created beside ``DATABASE_URL`` and dropped at
the end; the demo province is seeded and ``manage.py simulate --bulk`` fills ``--years`` of
history ending on ``--today`` with about ``--dossiers`` dossiers and ``--tickets`` hotline
tickets (their events, steps and counters). ``--existing`` measures the database
``DATABASE_URL`` names as it is instead (a province's copy, or one filled before).

Each figure is the median of ``--repeat`` runs after one warm-up, through the functions the
pages call (``reports/ontime.py``, ``reports/hotline.py``); the year and two-year periods do
not start on the first of a month, so the days at both of their edges are read too:

- ``month_ms``: the last whole month;
- ``year_ms``: the twelve months to ``--today``, from the day after that date a year before;
- ``two_years_ms``: the same over two years;
- ``hotline_year_ms``: the hotline statistics over the year;
- ``indicators_province_year_ms``, ``indicators_agency_year_ms``: the Decision 766 score
  (every indicator of the five groups, ``reports/indicators/engine.py``) of the province and
  of its busiest agency over the calendar year of ``--today`` so far;
- ``indicators_province_month_ms``: the province's score over the last whole month;
- ``indicators_unit_year_ms``, ``indicators_procedure_year_ms``: the busiest commune's and
  the busiest procedure's over the year (read from the finer month × procedure table);
- ``ranking_agencies_year_ms``, ``ranking_units_year_ms``: every agency's, every unit's
  score at once, ranked (the leaders' table, the public page);
- ``scan_ms``: the baseline, received / early / on time / late by agency counted over the
  dossiers themselves (one GROUP BY), which is what the reports would cost without counters.

Target: every figure ≤ 200 ms, and flat from 1 M to 10 M dossiers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _database import fresh_database

DAYS_PER_YEAR = 365.25


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers to simulate")
    parser.add_argument("--tickets", type=int, default=200_000, help="hotline tickets")
    parser.add_argument("--years", type=float, default=3.0, help="years of history")
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 25), help="YYYY-MM-DD"
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure")
    parser.add_argument(
        "--existing", action="store_true", help="measure DATABASE_URL as it is, filling nothing"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/dashboards.py needs DATABASE_URL=postgres://…")
    drop = (lambda: None) if args.existing else fresh_database("dashboards", postgres_only=True)
    try:
        run(args)
    finally:
        drop()


def fill(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from motcua.demo.seed import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo(today=args.today)
    days = round(args.years * DAYS_PER_YEAR)
    start = args.today - dt.timedelta(days=days - 1)
    print(f"simulate --bulk: {days} days from {start:%d/%m/%Y} …", flush=True)
    began = time.perf_counter()
    call_command(
        "simulate",
        "--bulk",
        "--start",
        f"{start:%d/%m/%Y}",
        "--days",
        str(days),
        # Arrivals are drawn per working day, about 5 in 7 calendar days.
        "--arrivals-per-day",
        str(args.dossiers / (days * 5 / 7)),
        "--tickets-per-day",
        str(args.tickets / (days * 5 / 7)),
        "--seed",
        "1",
        verbosity=0,
    )
    print(f"  filled in {time.perf_counter() - began:.0f} s", flush=True)


def timed(repeat: int, call: Callable[[], Any]) -> float:
    """The median milliseconds of ``repeat`` calls after one warm-up."""
    call()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Q

    from motcua.dossiers.models import (
        AgencyDayCounter,
        AgencyMonthCounter,
        DailyCounter,
        Dossier,
        MonthCounter,
        Outcome,
    )
    from motcua.hotline.models import Ticket
    from motcua.reports.hotline import Period, hotline_stats
    from motcua.reports.indicators.engine import ranking, scope_for, score
    from motcua.reports.indicators.periods import IndicatorPeriod, of_kind
    from motcua.reports.ontime import on_time_by_agency

    if not args.existing:
        fill(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    dossiers = Dossier.objects.count()
    tickets = Ticket.objects.count()
    today = args.today
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    year_start = today.replace(year=today.year - 1) + dt.timedelta(days=1)
    two_years_start = today.replace(year=today.year - 2) + dt.timedelta(days=1)

    def report(start: dt.date) -> Callable[[], Any]:
        return lambda: on_time_by_agency(start=start, end=today)

    def scan() -> Any:
        return list(
            Dossier.objects.order_by()
            .values("competent_agency_id")
            .annotate(
                received=Count("pk"),
                early=Count("pk", filter=Q(outcome=Outcome.EARLY)),
                on_time=Count("pk", filter=Q(outcome=Outcome.ON_TIME)),
                late=Count("pk", filter=Q(outcome=Outcome.LATE)),
            )
        )

    calendar_year = IndicatorPeriod("year", today.replace(month=1, day=1), today)
    last_month = of_kind("month", month_end)

    def busiest(column: str) -> int:
        found = (
            Dossier.objects.order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list(column, flat=True)
            .first()
        )
        assert found is not None, "no dossiers"
        return int(found)

    agency = scope_for("agency", busiest("competent_agency_id"))
    unit = scope_for("unit", busiest("unit_id"))
    procedure = scope_for("procedure", busiest("procedure_id"))
    province = scope_for("province", None)

    figures = {
        "month_ms": timed(
            args.repeat,
            lambda: on_time_by_agency(start=month_end.replace(day=1), end=month_end),
        ),
        "year_ms": timed(args.repeat, report(year_start)),
        "two_years_ms": timed(args.repeat, report(two_years_start)),
        "hotline_year_ms": timed(
            args.repeat, lambda: hotline_stats(period=Period(year_start, today))
        ),
        "indicators_province_year_ms": timed(args.repeat, lambda: score(calendar_year, province)),
        "indicators_agency_year_ms": timed(args.repeat, lambda: score(calendar_year, agency)),
        "indicators_province_month_ms": timed(args.repeat, lambda: score(last_month, province)),
        "indicators_unit_year_ms": timed(args.repeat, lambda: score(calendar_year, unit)),
        "indicators_procedure_year_ms": timed(args.repeat, lambda: score(calendar_year, procedure)),
        "ranking_agencies_year_ms": timed(args.repeat, lambda: ranking(calendar_year, "agency")),
        "scan_ms": timed(max(3, args.repeat // 2), scan),
    }
    print(f"{dossiers:,} dossiers, {tickets:,} tickets")
    for name, ms in figures.items():
        ratio = ms / figures["scan_ms"]
        print(f"  {name:<30} {ms:8.1f} ms   {ratio:6.3f} of the scan   (target ≤ 200 ms)")
    rows = {
        model.__name__: model.objects.count()
        for model in (AgencyMonthCounter, AgencyDayCounter, MonthCounter, DailyCounter)
    }
    print("  counter rows:", ", ".join(f"{name} {n:,}" for name, n in rows.items()))
    line = {"bench": "dashboards", "dossiers": dossiers, "counter_rows": rows}
    line.update({name: round(ms, 1) for name, ms in figures.items()})
    print(json.dumps(line))


if __name__ == "__main__":
    main()
