"""Time per dossier action, through the action functions, against a one-row UPDATE timed
right after each action (the same load, the same disk).

Run: ``.venv/bin/python bench/actions.py [--n 200]`` (a fresh SQLite file), or with
``DATABASE_URL=postgres://…/anything`` (a fresh database ``bench_actions_<pid>`` is created
beside it on that server and dropped at the end). The demo province is seeded, then ``--n``
dossiers of 1.000426 (Department of Justice, five working days) are each received at the
provincial centre, forwarded by the desk, forwarded by the specialist, marked ready by the
leader and returned by the desk: each action by the person whose step it is, each in its own
transaction, through the dossier's door (``dossier_for_action``) as the screens and the API
call them. Prints the mean milliseconds and queries
per action, the baseline, and the ratio of each action to the baseline; then one JSON line.
"""

from __future__ import annotations

import argparse
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


def _mean_ms(samples: list[float]) -> float:
    return statistics.fmean(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="dossiers taken through the workflow")
    args = parser.parse_args()
    drop = fresh_database("actions")
    try:
        run(args.n)
    finally:
        drop()


def run(n: int) -> None:
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    from motcua.catalog.models import Procedure
    from motcua.demo.seed import seed_demo
    from motcua.dossiers.access import Scope, dossier_for_action
    from motcua.dossiers.actions import (
        Applicant,
        Application,
        ReceivedDocument,
        forward_dossier,
        mark_result_ready,
        receive_dossier,
        return_result,
    )
    from motcua.dossiers.models import Dossier
    from motcua.org.models import Desk, DeskKind, Membership, Role

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed_demo(today=dt.date(2026, 11, 25))
    print(f"database ready in {time.perf_counter() - started:.0f} s ({connection.vendor})")

    procedure = Procedure.objects.get(code="1.000426")
    centre = Desk.objects.get(kind=DeskKind.CENTRE)

    def member(agency_id: int, role: str) -> Any:
        return Membership.objects.filter(agency_id=agency_id, role=role, active=True).first().user

    clerk = member(centre.agency_id, Role.RECEPTIONIST)

    def application(i: int) -> Application:
        return Application(
            procedure=procedure,
            desk=centre,
            channel="direct",
            applicant=Applicant(
                kind="citizen",
                name=f"Nguyễn Văn An {i}",
                id_number=f"0870900{i:05d}",
                phone="0912345678",
                address="12 Lý Thường Kiệt, phường Cao Lãnh",
            ),
            documents=[ReceivedDocument("Tờ khai", originals=1)],
        )

    def holder(dossier: Dossier) -> Any:
        step = Dossier.objects.select_related("current_step").get(pk=dossier.pk).current_step
        return member(step.agency_id, step.role)

    def received(d: Any, who: Any, i: int) -> Dossier:
        # The reception screen first asks where the officer receives.
        assert Scope.of(who).desks or Scope.of(who).reception_agencies
        return receive_dossier(application=application(i), officer=who)

    def through_door(action: str, run: Callable[..., Dossier]) -> Callable[..., Dossier]:
        def act(d: Any, who: Any, i: int) -> Dossier:
            return run(dossier=dossier_for_action(who, d.code, action), officer=who)

        return act

    steps: dict[str, Callable[[Any, Any, int], Dossier]] = {
        "receive": received,
        "forward_desk": through_door("forward", forward_dossier),
        "forward_specialist": through_door("forward", forward_dossier),
        "mark_result_ready": through_door("mark_result_ready", mark_result_ready),
        "return_result": through_door("return_result", return_result),
    }
    timings: dict[str, list[float]] = {name: [] for name in steps}
    queries: dict[str, int] = {}
    baseline: list[float] = []
    for i in range(n + 10):  # the first ten warm the caches and are not counted
        dossier: Any = None
        for name, step in steps.items():
            # Who acts is known before the action (the signed-in user): not timed.
            who = clerk if dossier is None else holder(dossier)
            connection.queries_log.clear()  # a full log would make the count read 0
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                with transaction.atomic():
                    dossier = step(dossier, who, i)
                elapsed = time.perf_counter() - began
            # The baseline is timed right after each action, so both see the same load.
            began = time.perf_counter()
            with transaction.atomic():
                Dossier.objects.filter(pk=dossier.pk).update(sets=F("sets"))
            if i >= 10:
                timings[name].append(elapsed)
                queries[name] = len(captured.captured_queries)
                baseline.append(time.perf_counter() - began)

    baseline_ms = _mean_ms(baseline)

    result: dict[str, Any] = {"dossiers": n, "database": connection.vendor}
    print(f"baseline (one-row UPDATE in a transaction): {baseline_ms:.3f} ms")
    for name, samples in timings.items():
        ms = _mean_ms(samples)
        ratio = ms / baseline_ms
        print(f"{name:20} {ms:8.2f} ms  {queries[name]:3d} queries  {ratio:6.1f}× baseline")
        result[f"{name}_ms"] = round(ms, 3)
        result[f"{name}_queries"] = queries[name]
        result[f"{name}_ratio"] = round(ratio, 2)
    result["baseline_ms"] = round(baseline_ms, 4)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
