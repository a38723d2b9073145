"""The national portal sync: dossiers synced per second against the local fake portal on
loopback, and the time from an action to its arrival at the fake under ``make run``'s worker.

Run (PostgreSQL)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/national_sync.py --dossiers 2000

A fresh database ``bench_national_sync_<pid>`` is created beside ``DATABASE_URL``, migrated and
seeded with the demo province; it is dropped at the end. ``FakeNationalPortal``
(``motcua/devtools/fakes/national_portal``) serves on loopback in this process for the whole
run, and every process of the run is pointed at it with ``NATIONAL_PORTAL_ENABLED=1``, so the
actions write their ``NationalSyncChange`` rows (``dossiers/national/changes.py``). Every
process runs as deployed (``DEBUG=0``; a key of the run's own for ``SECRET_KEY`` and
``AUDIT_KEY`` when they are not set). Two parts:

1. **Lag**, under ``make run``'s worker. ``manage.py run_platform --no-web`` runs as a child
   process, as ``make run`` runs it: the task worker, the periodic jobs and the sync worker
   (``sync_national --every NATIONAL_PORTAL_POLL_SECONDS``). Once they have started and gone
   idle, this process takes ``--rate`` actions a second for ``--seconds`` seconds at the
   provincial centre (1.000426): it forwards, as the desk, the oldest dossier it received more
   than two seconds earlier, or else receives a new one. After each action it notes the
   moment of its commit and the portal record the dossier then has (``payload``, as the
   sender builds it). An action's lag is the arrival at the fake of the first record of that
   dossier equal to that state or a later one (a send carries the dossier as it is when sent,
   so one send may carry several actions), less the commit. On PostgreSQL the action's
   NOTIFY wakes the idle worker at commit (``dossiers/national/worker.py`` ``Wakeup``); the
   poll interval (``NATIONAL_PORTAL_POLL_SECONDS``) is only its fallback, and what polling
   alone would add is printed beside the figure. The baseline in the same run: after each
   action, the fake's own round trip, one ``DongBoHoSoMC`` call of a record of the same
   shape through the client. ``run_platform`` is stopped with SIGTERM (its supervisor stops
   its children), whatever happens.
2. **Throughput**, with no worker running: ``manage.py simulate --through-actions --dossiers N``
   gives about N dossiers (whole simulated days of 300 arrivals a working day; the count is
   printed) realistic lives: receptions, hand-overs, supplements, fees, results, refusals,
   each change queued for the portal. Then one ``SyncWorker`` with
   ``NATIONAL_PORTAL_WORKERS`` threads (``--workers``), in a process of its own as the sync
   worker is, drains until nothing is left to send; timed from its first drain to its last.
   A dossier counts as synced when the fake holds its latest record and every progress step
   exactly (checked afterwards, not timed). The baseline in the same run: the same HTTP calls
   (each dossier's record, then its steps in chunks of ``NATIONAL_PORTAL_PROGRESS_CHUNK``,
   under codes of their own) made by the bare ``NationalPortalClient`` with as many threads,
   in a process of its own, against the same fake: no database, no outbox. Also printed: the
   changes each send carried, the HTTP calls, SQL statements and commits per dossier (the
   statements by kind and table, with their time) and where the worker's thread time went
   (HTTP, SQL, the rest).

Ends with one JSON line; ``ratio_vs_raw_client`` is ``dossiers_per_s / baseline_dossiers_per_s``
and ``lag_ratio_vs_round_trip`` is ``lag_p50_ms / round_trip_p50_ms``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _database import fresh_database
from _sync_measures import portal_view, quantile
from _sync_throughput import throughput_part
from lookup import settle

ROOT = Path(__file__).resolve().parent.parent
FORWARD_AFTER = 2.0  # seconds between a reception and its hand-over by the desk
STOP_GRACE = 30.0  # seconds run_platform has to stop its children before they are killed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=2000, help="dossiers simulated and synced")
    parser.add_argument("--workers", type=int, help="sync threads (NATIONAL_PORTAL_WORKERS)")
    parser.add_argument("--rate", type=float, default=5.0, help="actions a second, lag part")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the lag part")
    parser.add_argument("--seed", type=int, default=1, help="the simulation's seed")
    args = parser.parse_args()
    # Stopped from outside, the run still stops run_platform and drops its database.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stopped)

    from motcua.devtools.fakes.national_portal import (
        DEV_DSTCODE,
        DEV_PASSWORD,
        DEV_UNIT_CODE,
        DEV_USERNAME,
        FakeNationalPortal,
    )

    fake = FakeNationalPortal().start()
    os.environ.update(
        {
            "NATIONAL_PORTAL_ENABLED": "1",
            "NATIONAL_PORTAL_AUTH_URL": fake.auth_url,
            "NATIONAL_PORTAL_SYNC_URL": fake.sync_url,
            "NATIONAL_PORTAL_SHARE_URL": fake.share_url,
            "NATIONAL_PORTAL_USERNAME": DEV_USERNAME,
            "NATIONAL_PORTAL_PASSWORD": DEV_PASSWORD,
            "NATIONAL_PORTAL_DSTCODE": DEV_DSTCODE,
            "NATIONAL_PORTAL_UNIT_CODE": DEV_UNIT_CODE,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "AUDIT_KEY": os.environ.get("AUDIT_KEY") or secrets.token_hex(32),
        }
    )
    if args.workers:
        os.environ["NATIONAL_PORTAL_WORKERS"] = str(args.workers)
    drop = fresh_database("national_sync", postgres_only=True)
    try:
        run(args, fake)
    finally:
        drop()
        fake.stop()


def stopped(signum: int, frame: Any) -> None:
    raise SystemExit(f"stopped by signal {signum}")


# ---- shared -------------------------------------------------------------------------------


def run(args: argparse.Namespace, fake: Any) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from motcua.demo.seed import seed_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed_demo(today=dt.date(2026, 11, 25))
    print(f"database ready in {time.perf_counter() - started:.0f} s", flush=True)
    workers = settings.NATIONAL_PORTAL_WORKERS
    poll = settings.NATIONAL_PORTAL_POLL_SECONDS

    lag = lag_part(args, fake)
    sync = throughput_part(args, fake, workers)

    print()
    print(
        f"lag under run_platform's sync worker (polls every {poll} s, {workers} threads), "
        f"{len(lag.lags)} actions at {args.rate:g}/s over {args.seconds:g} s:"
    )
    lag_ms = [1000 * s for s in lag.lags]
    trip_ms = [1000 * s for s in lag.round_trips]
    print(
        f"  action → fake   p50 {quantile(lag_ms, 0.5):7.1f} ms  p99 {quantile(lag_ms, 0.99):7.1f}"
        f" ms  max {max(lag_ms):7.1f} ms  ({lag.coalesced} actions carried by a later state's"
        f" send; {lag.rounds} worker rounds sent something)"
    )
    print(
        f"  round trip      p50 {quantile(trip_ms, 0.5):7.1f} ms  p99 "
        f"{quantile(trip_ms, 0.99):7.1f} ms  (baseline: one DongBoHoSoMC through the client)"
    )
    print(
        f"  what polling every {poll} s adds alone (a change waits 0 to {poll} s to be seen): "
        f"p50 ≈ {500 * poll:.0f} ms, p99 ≈ {990 * poll:.0f} ms"
    )
    print(
        f"throughput, {sync.dossiers} dossiers ({sync.changes} changes), {workers} threads:"
        f"\n  sync worker     {sync.per_s:7.1f} dossiers/s in {sync.seconds:.1f} s, "
        f"{sync.changes / max(sync.sends, 1):.2f} changes a send, "
        f"{sync.calls / max(sync.dossiers, 1):.2f} HTTP calls a dossier"
        f"\n  raw client      {sync.baseline_per_s:7.1f} dossiers/s in "
        f"{sync.baseline_seconds:.1f} s, the same {sync.baseline_calls} calls, no database"
        f"\n  ratio           {sync.per_s / sync.baseline_per_s:7.3f}"
    )
    result = {
        "bench": "national_sync",
        "dossiers_per_s": round(sync.per_s, 1),
        "lag_p50_ms": round(quantile(lag_ms, 0.5), 1),
        "lag_p99_ms": round(quantile(lag_ms, 0.99), 1),
        "lag_max_ms": round(max(lag_ms), 1),
        "baseline_dossiers_per_s": round(sync.baseline_per_s, 1),
        "ratio_vs_raw_client": round(sync.per_s / sync.baseline_per_s, 3),
        "round_trip_p50_ms": round(quantile(trip_ms, 0.5), 2),
        "round_trip_p99_ms": round(quantile(trip_ms, 0.99), 2),
        "lag_ratio_vs_round_trip": round(quantile(lag_ms, 0.5) / quantile(trip_ms, 0.5), 1),
        "poll_seconds": poll,
        "workers": workers,
        "dossiers": sync.dossiers,
        "changes_per_send": round(sync.changes / max(sync.sends, 1), 2),
        "calls_per_dossier": round(sync.calls / max(sync.dossiers, 1), 2),
        "statements_per_dossier": round(sync.statements / max(sync.dossiers, 1), 1),
        "commits_per_dossier": round(sync.commits / max(sync.dossiers, 1), 1),
        "cpu_ms_per_dossier": round(1000 * sync.cpu_seconds / max(sync.dossiers, 1), 2),
        "lag_actions": len(lag_ms),
    }
    print(json.dumps(result))


# ---- lag under run_platform ---------------------------------------------------------------


@dataclass
class Action:
    code: str
    index: int  # its place among the dossier's actions in this part
    began: dt.datetime
    committed: dt.datetime


@dataclass
class LagPart:
    lags: list[float] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)
    coalesced: int = 0
    rounds: int = 0


class Platform:
    """``manage.py run_platform --no-web`` as a child process, its output kept."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [sys.executable, str(ROOT / "manage.py"), "run_platform", "--no-web"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def said(self, child: str) -> list[str]:
        """The lines of one child (``sync``, ``worker``, ``periodic``), without the prefix."""
        prefix = re.compile(rf"^{re.escape(child)}\s*\| ")
        return [prefix.sub("", line) for line in list(self.lines) if prefix.match(line)]

    def wait_for_sync(self, seconds: float = 120.0) -> None:
        """Until the sync worker has said it runs (its first line after "started")."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("run_platform stopped:\n" + "\n".join(self.lines[-20:]))
            if [line for line in self.said("sync") if not line.startswith("started")]:
                return
            time.sleep(0.1)
        raise SystemExit("the sync worker did not start:\n" + "\n".join(self.lines[-20:]))

    def stop(self) -> None:
        """SIGTERM to run_platform, whose supervisor stops its children; if it has not ended
        after the grace period, each child (its own session) and then it are killed."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            for line in list(self.lines):
                if found := re.search(r"\| started \(pid (\d+)\)", line):
                    try:
                        os.killpg(int(found.group(1)), signal.SIGKILL)
                    except ProcessLookupError:
                        continue
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)


def lag_part(args: argparse.Namespace, fake: Any) -> LagPart:
    from django.db import transaction

    from motcua.catalog.models import Procedure
    from motcua.dossiers.access import dossier_for_action
    from motcua.dossiers.actions import (
        Applicant,
        Application,
        ReceivedDocument,
        forward_dossier,
        receive_dossier,
    )
    from motcua.dossiers.models import Dossier
    from motcua.integrations.national_portal import NationalPortalClient
    from motcua.org.models import Desk, DeskKind, Membership, Role

    procedure = Procedure.objects.get(code="1.000426")
    centre = Desk.objects.get(kind=DeskKind.CENTRE)

    def member(agency_id: int, role: str) -> Any:
        return Membership.objects.filter(agency_id=agency_id, role=role, active=True).first().user

    clerk = member(centre.agency_id, Role.RECEPTIONIST)
    numbers = iter(range(1, 1_000_000))

    def receive() -> Dossier:
        i = next(numbers)
        application = Application(
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
        return receive_dossier(application=application, officer=clerk)

    def forward(code: str) -> Dossier:
        step = Dossier.objects.select_related("current_step").get(code=code).current_step
        who = member(step.agency_id, step.role)
        with transaction.atomic():
            return forward_dossier(dossier=dossier_for_action(who, code, "forward"), officer=who)

    def now() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    platform = Platform()
    part = LagPart()
    try:
        platform.wait_for_sync()
        idle = settle(platform.process.pid)
        print(f"run_platform started; idle {idle:.0f} s after start", flush=True)
        # Warm up: the worker's first send logs in; not counted.
        first = receive()
        deadline = time.monotonic() + 30
        while not fake.history(first.code):
            if time.monotonic() > deadline:
                raise SystemExit("the sync worker sent nothing in 30 s")
            time.sleep(0.05)
        client = NationalPortalClient.from_settings()
        template = portal_view(first.pk)[0]
        client.sync_dossier({**template, "MaHoSo": "RT-0"}, updating=False)

        actions: list[Action] = []
        states: dict[str, list[dict[str, Any]]] = {}
        waiting: deque[tuple[str, float]] = deque()  # received, not yet forwarded
        count = int(args.rate * args.seconds)
        began_at = time.monotonic()
        for tick in range(count):
            pause = began_at + tick / args.rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            began = now()
            if waiting and time.monotonic() - waiting[0][1] >= FORWARD_AFTER:
                code, _at = waiting.popleft()
                dossier = forward(code)
            else:
                dossier = receive()
                waiting.append((dossier.code, time.monotonic()))
            committed = now()
            record = portal_view(dossier.pk)[0]
            states.setdefault(dossier.code, []).append(record)
            actions.append(Action(dossier.code, len(states[dossier.code]) - 1, began, committed))
            # The baseline, under the same load: the fake's round trip through the client.
            trip = time.perf_counter()
            client.sync_dossier({**record, "MaHoSo": f"RT-{tick + 1}"}, updating=False)
            part.round_trips.append(time.perf_counter() - trip)
        behind = time.monotonic() - began_at - count / args.rate
        if behind > 1:
            print(f"  (the actions ran {behind:.1f} s behind their pace)")
        # Until every dossier's last state has arrived.
        deadline = time.monotonic() + 60
        for code, records in states.items():
            while records[-1] not in [a.record for a in fake.history(code)]:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{code}: its last state did not reach the fake in 60 s")
                time.sleep(0.05)
    finally:
        platform.stop()
    part.rounds = sum(1 for line in platform.said("sync") if line[:1].isdigit())
    for action in actions:
        later = states[action.code][action.index :]
        arrival = next(
            (
                a
                for a in fake.history(action.code)
                if a.received_at >= action.began and a.record in later
            ),
            None,
        )
        if arrival is None:  # a state no send carried: the check above makes this a bug
            raise SystemExit(f"{action.code}: no arrival carries its action {action.index}")
        part.lags.append((arrival.received_at - action.committed).total_seconds())
        if arrival.record != later[0]:
            part.coalesced += 1
    return part


if __name__ == "__main__":
    main()
