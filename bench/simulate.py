"""Rows per second written by ``manage.py simulate``, in each of its modes.

Run::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/simulate.py --days 5 --arrivals 60

(without ``DATABASE_URL``, on a throwaway SQLite file). A fresh database
``bench_simulate_<pid>`` is created beside ``DATABASE_URL``, migrated and seeded with the
demo province, and dropped at the end. Each mode ``runs.WRITERS`` knows (``through_actions``,
and ``bulk`` once it exists) simulates ``--days`` days of ``--arrivals`` dossiers and
``--tickets`` hotline contacts a working day, each mode on its own date range, with the
same seed.

A row is any row the run added to any table: dossiers, their events, steps, documents,
fees, payments, results, ratings, counters, outbox rows and task rows; tickets, their
messages, events and contacts; citizen accounts; the simulation's own links. The rows are
counted table by table before and after each run (not timed). The baseline in the same run
is the plan alone: how fast the stories are drawn, before anything is written (the part of
the time that is not the writing). The hotline's routing model, which trains on its first
suggestion in a process, is trained before the runs and not counted. Prints the rows per
table and per second for each mode and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _database import fresh_database

START = dt.date(2026, 3, 2)  # a Monday


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=5, help="calendar days per mode")
    parser.add_argument("--arrivals", type=float, default=60, help="dossiers a working day")
    parser.add_argument("--tickets", type=float, default=20, help="hotline contacts a working day")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    drop = fresh_database("simulate")
    try:
        run(args)
    finally:
        drop()


def table_rows() -> Counter[str]:
    from django.db import connection

    counts: Counter[str] = Counter()
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.demo.seed import seed_demo
    from motcua.hotline.routing import suggest
    from motcua.simulate.plan import Plan
    from motcua.simulate.profile import Profile
    from motcua.simulate.runs import WRITERS, simulate
    from motcua.simulate.world import load_world

    call_command("migrate", verbosity=0)
    seed_demo(today=START)
    profile = Profile(arrivals_per_day=args.arrivals, tickets_per_day=args.tickets)

    world = load_world()
    world.calendar(None)  # read once, as every run does before planning
    began = time.perf_counter()
    plan = Plan(world, profile, start=START, days=args.days, seed=args.seed)
    stories = sum(len(day.dossiers) + len(day.tickets) for day in plan.days())
    plan_per_s = stories / (time.perf_counter() - began)
    print(f"plan alone: {stories} stories, {plan_per_s:,.0f} stories/s (baseline)")

    began = time.perf_counter()
    suggest("Xin hỏi thủ tục đăng ký khai sinh")  # the routing model trains on first use
    print(f"routing model trained in {time.perf_counter() - began:.1f} s (not counted)")

    figures: dict[str, object] = {"bench": "simulate"}
    for index, mode in enumerate(("through_actions", "bulk")):
        if mode not in WRITERS:
            figures[f"{mode}_rows_per_s"] = None
            continue
        start = START + dt.timedelta(days=index * (args.days + 14))
        before = table_rows()
        began = time.perf_counter()
        simulation, _progress = simulate(
            mode=mode, start=start, days=args.days, seed=args.seed, profile=profile
        )
        elapsed = time.perf_counter() - began
        added = table_rows() - before
        rows = sum(added.values())
        print(
            f"{mode}: {simulation.dossiers} dossiers, {simulation.tickets} tickets, "
            f"{simulation.changes} changes, {rows} rows in {elapsed:.1f} s: "
            f"{rows / elapsed:,.0f} rows/s, {simulation.dossiers / elapsed:,.1f} dossiers/s"
        )
        for table, count in added.most_common(12):
            print(f"  {table:<40} {count:>8}")
        figures[f"{mode}_rows_per_s"] = round(rows / elapsed, 1)
        figures[f"{mode}_dossiers_per_s"] = round(simulation.dossiers / elapsed, 2)
        figures[f"{mode}_rows"] = rows
        figures[f"{mode}_ratio_vs_plan"] = round(
            (simulation.dossiers + simulation.tickets) / elapsed / plan_per_s, 4
        )
    figures["plan_stories_per_s"] = round(plan_per_s, 1)
    figures["days"] = args.days
    figures["arrivals_per_day"] = args.arrivals
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
