"""The what-if of a reform on a simulated year: the busiest procedure's time cut by a third,
timed against planning the year's stories in the same run.

Run::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \\
        .venv/bin/python bench/whatif.py

The database ``DATABASE_URL`` names is migrated and, when it holds no dossier yet, seeded
with the demo province and filled by ``manage.py simulate --bulk`` with ``--days`` days of
history ending on ``--today`` at ``--arrivals`` dossiers a working day (no hotline
tickets); a database filled before (by this script or by hand) is used as it is.
``--fresh`` works on a throwaway database beside it instead (``bench_whatif_<pid>``,
dropped at the end; a SQLite file without PostgreSQL).

Then ``what_if`` (``motcua/simulate/whatif``) runs on the busiest procedure that states a
processing time, with that time cut by a third, over the ``--days`` to ``--today``:
calibration from the history (a handful of queries) and the two scenarios on the same
draws, in memory. The figures of both scenarios and the assumptions are printed.

The baseline in the same run is the simulator's own plan of the same days
(``plan.Plan``: every procedure's stories, drawn without writing), what the what-if would
cost if it replayed the whole province; ``count_seconds`` is a COUNT over the year's
dossiers for scale. Ends with one JSON line: ``whatif_seconds``, ``dossiers_in_year``,
``procedure_dossiers``, ``baseline_seconds``, ``ratio`` (what-if / baseline) and the
figures. Target: ``whatif_seconds`` under 60.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _database import fresh_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365, help="calendar days of history")
    parser.add_argument("--arrivals", type=float, default=300, help="dossiers a working day")
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 25), help="YYYY-MM-DD"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--fresh", action="store_true", help="a throwaway database beside DATABASE_URL"
    )
    args = parser.parse_args()
    drop = fresh_database("whatif") if args.fresh else (lambda: None)
    try:
        run(args)
    finally:
        drop()


def fill(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from motcua.demo.seed import seed_demo

    seed_demo(today=args.today)
    start = args.today - dt.timedelta(days=args.days - 1)
    print(f"simulate --bulk: {args.days} days from {start:%d/%m/%Y} …", flush=True)
    began = time.perf_counter()
    call_command(
        "simulate",
        "--bulk",
        "--start",
        f"{start:%d/%m/%Y}",
        "--days",
        str(args.days),
        "--arrivals-per-day",
        str(args.arrivals),
        "--tickets-per-day",
        "0",
        "--seed",
        str(args.seed),
        verbosity=0,
    )
    print(f"  filled in {time.perf_counter() - began:.0f} s", flush=True)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from motcua.catalog.models import ExecutionMethod, Procedure, RequiredDocument
    from motcua.dossiers.models import Dossier
    from motcua.reform.cost import CostInputs, Step, compliance_cost
    from motcua.reform.costing import catalogue_fees
    from motcua.simulate.management.commands.what_if import report
    from motcua.simulate.plan import Plan
    from motcua.simulate.profile import Profile
    from motcua.simulate.whatif import Reform, what_if
    from motcua.simulate.world import load_world

    call_command("migrate", verbosity=0)
    if not Dossier.objects.exists():
        fill(args)
    start = args.today - dt.timedelta(days=args.days - 1)

    def year() -> int:
        return Dossier.objects.filter(
            received_at__date__gte=start, received_at__date__lte=args.today
        ).count()

    began = time.perf_counter()
    dossiers_in_year = year()
    count_seconds = time.perf_counter() - began

    timed = ExecutionMethod.objects.filter(time_value__isnull=False).values("procedure_id")
    busiest = (
        Dossier.objects.order_by()
        .filter(
            procedure_id__in=timed,
            received_at__date__gte=start,
            received_at__date__lte=args.today,
        )
        .values("procedure_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("no dossier of a procedure with a stated processing time")
    procedure_id, procedure_dossiers = busiest["procedure_id"], busiest["n"]
    method = (
        ExecutionMethod.objects.filter(procedure_id=procedure_id, time_value__isnull=False)
        .order_by("channel")
        .first()
    )
    assert method is not None and method.time_value is not None
    shorter = (method.time_value * 2 / 3).quantize(Decimal("0.01"), ROUND_HALF_UP)

    # The applicant's side, priced as a proposal would be (docs/rules/compliance-cost.md):
    # two hours per required document, two trips of two hours to the desk, the catalogue's
    # fees, at 5,280,000 đ a month. A shorter time changes none of it; only the waiting.
    documents = RequiredDocument.objects.filter(procedure_id=procedure_id).count()
    steps = (Step("Chuẩn bị hồ sơ", Decimal(2 * documents)), Step("Đi lại, chờ đợi", Decimal(4)))
    procedure = Procedure.objects.get(pk=procedure_id)
    cost = compliance_cost(
        CostInputs(
            steps=steps,
            monthly_income_vnd=5_280_000,
            working_days_per_month=Decimal(22),
            fees_vnd=catalogue_fees(procedure),
        )
    )
    hours = sum((step.hours for step in steps), Decimal(0))

    began = time.perf_counter()
    result = what_if(
        Reform(
            procedure_id=procedure_id,
            time_value=shorter,
            citizen_hours_before=hours,
            citizen_hours_after=hours,
            cost_before_vnd=cost.per_execution_vnd,
            cost_after_vnd=cost.per_execution_vnd,
        ),
        end=args.today,
        days=args.days,
        seed=args.seed,
    )
    whatif_seconds = time.perf_counter() - began
    print(report(result))

    # The baseline: the simulator's plan of the same days, every procedure, nothing written.
    profile = Profile(arrivals_per_day=args.arrivals, tickets_per_day=0)
    began = time.perf_counter()
    plan = Plan(load_world(), profile, start=start, days=args.days, seed=args.seed)
    planned = sum(len(day.dossiers) for day in plan.days())
    baseline_seconds = time.perf_counter() - began

    print()
    print(
        f"{dossiers_in_year:,} dossiers received in the year; the procedure: {procedure_dossiers:,}"
    )
    print(f"  what_if            {whatif_seconds:8.2f} s   (target < 60 s)")
    print(f"  plan of the year   {baseline_seconds:8.2f} s   ({planned:,} stories)")
    print(f"  COUNT of the year  {count_seconds:8.3f} s")
    line = {
        "bench": "whatif",
        "whatif_seconds": round(whatif_seconds, 3),
        "dossiers_in_year": dossiers_in_year,
        "procedure_dossiers": procedure_dossiers,
        "procedure_code": result.procedure_code,
        "time_before": str(method.time_value),
        "time_after": str(shorter),
        "time_unit": method.time_unit,
        "baseline_seconds": round(baseline_seconds, 3),
        "planned_stories": planned,
        "count_seconds": round(count_seconds, 4),
        "ratio": round(whatif_seconds / baseline_seconds, 4),
        "on_time_before": round(result.baseline.on_time_rate, 4),
        "on_time_after": round(result.changed.on_time_rate, 4),
        "late_before": result.baseline.late,
        "late_after": result.changed.late,
        "simulated_dossiers": result.baseline.dossiers,
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
