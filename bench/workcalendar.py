"""Due-date throughput of ``motcua.workcalendar`` against the minute-stepping oracle.

Run: ``.venv/bin/python bench/workcalendar.py [--n 200000] [--oracle-n 200] [--seed 1]``.
Receptions are random whole minutes over 2020–2027 in Asia/Ho_Chi_Minh, values random whole
working days 1–30, on the national calendar with the known make-up Saturdays. Inputs are
generated before timing; the table compilation is warmed up first (it is done once per
calendar and year in a process). Prints figures, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from motcua.workcalendar.calendar import VIETNAM_TZ, WorkCalendar
from motcua.workcalendar.deadlines import TimeUnit, compute_due_at
from motcua.workcalendar.oracle import oracle_add_working_minutes
from motcua.workcalendar.sources import build_calendar, known_makeup_workdays

FIRST = datetime(2020, 1, 1, tzinfo=VIETNAM_TZ)
SPAN_MINUTES = int((datetime(2028, 1, 1, tzinfo=VIETNAM_TZ) - FIRST).total_seconds() // 60)


def _cases(n: int, rng: random.Random) -> list[tuple[datetime, int]]:
    return [
        (FIRST + timedelta(minutes=rng.randrange(SPAN_MINUTES)), rng.randint(1, 30))
        for _ in range(n)
    ]


def _fast(cal: WorkCalendar, cases: list[tuple[datetime, int]]) -> float:
    unit = TimeUnit.WORKING_DAY
    began = time.perf_counter()
    for received_at, days in cases:
        compute_due_at(cal, received_at=received_at, value=days, unit=unit)
    return time.perf_counter() - began


def _oracle(cal: WorkCalendar, cases: list[tuple[datetime, int]]) -> float:
    began = time.perf_counter()
    for received_at, days in cases:
        oracle_add_working_minutes(cal, received_at, days * 8 * 60)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="fast computations")
    parser.add_argument("--oracle-n", type=int, default=200, help="oracle computations")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cal = build_calendar(extra_working_days=known_makeup_workdays())

    warm = _cases(2_000, rng)
    _fast(cal, warm)
    mismatches = sum(
        compute_due_at(cal, received_at=r, value=d, unit=TimeUnit.WORKING_DAY)
        != oracle_add_working_minutes(cal, r, d * 480)
        for r, d in warm[:50]
    )
    if mismatches:
        raise SystemExit(f"{mismatches} of 50 due dates differ from the oracle")

    cases = _cases(args.n, rng)
    fast_s = min(_fast(cal, cases) for _ in range(3))
    per_s = args.n / fast_s
    oracle_cases = _cases(args.oracle_n, rng)
    oracle_s = _oracle(cal, oracle_cases)
    oracle_per_s = args.oracle_n / oracle_s

    print(f"compute_due_at: {args.n:,} due dates in {fast_s:.3f} s (best of 3)")
    print(f"  {per_s:,.0f} per second, {fast_s / args.n * 1e6:.2f} µs each")
    print(f"oracle (minute stepping): {args.oracle_n:,} due dates in {oracle_s:.3f} s")
    print(f"  {oracle_per_s:,.1f} per second, {oracle_s / args.oracle_n * 1e3:.2f} ms each")
    print(f"speed-up over the oracle: {per_s / oracle_per_s:,.0f}×; 50 of 50 match it")
    ratio = round(per_s / oracle_per_s, 1)
    print(json.dumps({"bench": "workcalendar", "per_s": int(per_s), "ratio_vs_oracle": ratio}))


if __name__ == "__main__":
    main()
