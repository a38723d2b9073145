"""The throughput part of ``bench/national_sync.py``: the sync worker draining a simulated
backlog, beside the bare client making the same calls, each in a process of its own."""

from __future__ import annotations

import argparse
import io
import multiprocessing
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from _sync_measures import Instruments, portal_view

# ---- throughput ---------------------------------------------------------------------------


@dataclass
class Throughput:
    dossiers: int = 0
    changes: int = 0
    sends: int = 0
    calls: int = 0
    statements: int = 0
    commits: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    baseline_calls: int = 0
    baseline_seconds: float = 0.0

    @property
    def per_s(self) -> float:
        return self.dossiers / self.seconds

    @property
    def baseline_per_s(self) -> float:
        return self.dossiers / self.baseline_seconds


def drain_process(workers: int, out: Any) -> None:
    """The sync worker's process: drain until no change is waiting; what it took."""
    import django

    instruments = Instruments()
    django.setup()
    instruments.install()
    from motcua.dossiers.models import NationalSyncChange
    from motcua.dossiers.models.national import UNSENT
    from motcua.dossiers.national.worker import SyncWorker

    worker = SyncWorker(workers=workers)
    unsent = NationalSyncChange.objects.filter(status__in=UNSENT)
    report = Counter[str]()
    cpu = time.process_time()
    began = time.perf_counter()
    rounds = 0
    while unsent.exists():
        drained = worker.drain()
        rounds += 1
        report.update(drained.as_dict())
        if not drained.ids:
            time.sleep(0.05)
        if rounds > 10_000:
            raise SystemExit(f"{unsent.count()} changes still unsent after {rounds} drains")
    seconds = time.perf_counter() - began
    worker.close()
    out.put(
        {
            "seconds": seconds,
            "cpu_seconds": time.process_time() - cpu,
            "rounds": rounds,
            "report": dict(report),
            **instruments.as_dict(),
        }
    )


def raw_process(workers: int, plans: list[list[tuple[str, Any, bool]]], out: Any) -> None:
    """The baseline's process: the same calls through the bare client, as many threads."""
    import django

    instruments = Instruments()
    django.setup()
    instruments.install()
    from motcua.integrations.national_portal import NationalPortalClient

    client = NationalPortalClient.from_settings()
    client.lookup_dossier("RT-0")  # log in, as the worker had before its first send

    def send(plan: list[tuple[str, Any, bool]]) -> None:
        for service, data, updating in plan:
            if service == "dossier":
                client.sync_dossier(data, updating=updating)
            else:
                client.sync_progress(data)

    cpu = time.process_time()
    began = time.perf_counter()
    with ThreadPoolExecutor(workers, thread_name_prefix="raw") as pool:
        list(pool.map(send, plans))
    out.put(
        {
            "seconds": time.perf_counter() - began,
            "cpu_seconds": time.process_time() - cpu,
            **instruments.as_dict(),
        }
    )


def in_process(target: Any, *args: Any) -> dict[str, Any]:
    """Run ``target(*args, queue)`` in a fresh process (spawned: no state shared with this
    one but the environment); what it put on the queue."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    try:
        answer: dict[str, Any] = queue.get()
    except BaseException:
        process.terminate()
        raise
    finally:
        process.join()
    if process.exitcode:
        raise SystemExit(f"{target.__name__} ended with status {process.exitcode}")
    return answer


def throughput_part(args: argparse.Namespace, fake: Any, workers: int) -> Throughput:
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count

    from motcua.core.outbox.models import OutboxStatus
    from motcua.dossiers.models import Dossier, NationalSyncChange
    from motcua.dossiers.models.national import UNSENT

    started = time.perf_counter()
    call_command(
        "simulate",
        "--through-actions",
        "--dossiers",
        str(args.dossiers),
        "--seed",
        str(args.seed),
        "--allow-real-data",  # the lag part's dossiers were not simulated
        verbosity=0,
        stdout=io.StringIO(),
    )
    queued = dict(
        NationalSyncChange.objects.filter(status__in=UNSENT)
        .values_list("dossier_id")
        .annotate(n=Count("pk"))
    )
    print(
        f"simulated: {len(queued)} dossiers with {sum(queued.values())} changes to send, "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    calls_before = sum(fake.calls.values())
    drained = in_process(drain_process, workers)
    part = Throughput(
        changes=sum(queued.values()),
        seconds=drained["seconds"],
        cpu_seconds=drained["cpu_seconds"],
        calls=sum(fake.calls.values()) - calls_before,
    )
    part.sends = NationalSyncChange.objects.filter(
        dossier_id__in=list(queued), status=OutboxStatus.SENT, covered_by__isnull=True
    ).count()
    print(f"  drained in {drained['rounds']} drains: {drained['report']}")

    # Which dossiers the fake holds exactly as they are (not timed).
    codes = dict(Dossier.objects.filter(pk__in=list(queued)).values_list("pk", "code"))
    plans: list[list[tuple[str, Any, bool]]] = []
    wrong: list[str] = []
    chunk = settings.NATIONAL_PORTAL_PROGRESS_CHUNK
    for pk, code in codes.items():
        record, steps = portal_view(pk)
        if fake.dossier(code) != record or fake.progress(code) != steps:
            wrong.append(code)
            continue
        part.dossiers += 1
        copy = f"B-{code}"
        plan = [
            ("dossier", {**arrival.record, "MaHoSo": copy}, arrival.updating)
            for arrival in fake.history(code)
        ]
        renamed = [{**step, "MaHoSo": copy} for step in steps]
        plan += [("progress", renamed[i : i + chunk], False) for i in range(0, len(steps), chunk)]
        plans.append(plan)
    if wrong:
        print(f"  {len(wrong)} dossiers not as they are at the fake, e.g. {wrong[:5]}")
    if not part.dossiers:
        raise SystemExit("no dossier reached the fake as it is")

    # Where the sync worker's threads spent their time.
    statements = sorted(drained["statements"], key=lambda row: -row[3])
    part.statements = sum(row[2] for row in statements)
    part.commits = drained["commits"]
    n = part.dossiers
    threads_busy = drained["sql_seconds"] + drained["http_seconds"]
    print(
        f"  per dossier: {part.statements / n:.1f} statements and {part.commits / n:.1f} "
        f"commits, {drained['sql_seconds'] / n * 1000:.2f} ms in SQL; "
        f"{drained['http_seconds'] / n * 1000:.2f} ms in HTTP calls {drained['calls']}; "
        f"{drained['cpu_seconds'] / n * 1000:.2f} ms of the process's CPU "
        f"(threads × seconds {workers * part.seconds:.1f}, of which SQL + HTTP "
        f"{threads_busy:.1f})"
    )
    print("  statements per dossier, by kind and table, most time first:")
    for kind, table, count, seconds in statements[:16]:
        print(f"    {count / n:6.2f}  {seconds / n * 1000:6.2f} ms  {kind:7} {table or '?'}")

    raw = in_process(raw_process, workers, plans)
    part.baseline_seconds = raw["seconds"]
    part.baseline_calls = sum(len(plan) for plan in plans)
    print(
        f"  raw client: {raw['http_seconds'] / part.dossiers * 1000:.2f} ms in HTTP calls a "
        f"dossier, {raw['cpu_seconds'] / part.dossiers * 1000:.2f} ms of the process's CPU"
    )
    return part
