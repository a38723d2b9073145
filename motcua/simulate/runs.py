"""One simulation run, whatever writes it (docs/simulate.md "Modes", "Real data").

``simulate(...)`` is the whole of ``manage.py simulate`` without its console: it refuses a
database holding real data unless told, reads the province, plans the stories, records a
``SimulationRun`` and hands plan and run to the writer of the mode. A writer is a function
``(plan, run, tick) -> Progress`` in ``WRITERS``; adding a mode is one module and one entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.simulate.bulk.run import write_bulk
from motcua.simulate.models import RunStatus, SimulationRun, real_records
from motcua.simulate.plan import Plan
from motcua.simulate.profile import Profile
from motcua.simulate.through_actions import Progress, ThroughActions
from motcua.simulate.world import load_world

Tick = Callable[[Progress], None]
Writer = Callable[[Plan, SimulationRun, Tick | None], Progress]


def through_actions(plan: Plan, run: SimulationRun, tick: Tick | None) -> Progress:
    return ThroughActions(plan, run, tick).run_all()


WRITERS: dict[str, Writer] = {"through_actions": through_actions, "bulk": write_bulk}


class RealDataError(Exception):
    """The database holds dossiers or tickets no simulation created."""


def refuse_real_data() -> None:
    """The real-data rule: any dossier or ticket not created by a simulation run is real,
    and a simulation does not mix its history into real work."""
    found = real_records()
    if found:
        names = {"dossiers": "hồ sơ", "tickets": "phản ánh"}
        raise RealDataError(
            "Cơ sở dữ liệu đã có "
            + " và ".join(names[kind] for kind in found)
            + " không do mô phỏng tạo ra; không mô phỏng chồng lên dữ liệu thật "
            "(dùng --allow-real-data nếu chắc chắn)."
        )


def refuse_real_sms(mode: str) -> None:
    """Replayed through the actions, a simulation queues the notices and replies production
    would send, to the simulated applicants' phone numbers: valid numbers of the national plan
    that may well be somebody's. With an SMS gateway switched on, refuse (the bulk mode
    queues nothing; the console backend prints)."""
    if mode == "through_actions" and settings.SMS_ENABLED and settings.SMS_BACKEND != "console":
        raise RealDataError(
            "Tin nhắn SMS đang gửi qua nhà mạng thật: mô phỏng qua các thao tác sẽ nhắn tới các "
            "số điện thoại mô phỏng, có thể là số của người thật. Tắt SMS_ENABLED hoặc dùng "
            "SMS_BACKEND=console (dùng --allow-real-sms nếu chắc chắn)."
        )


def simulate(
    *,
    mode: str,
    start: dt.date,
    days: int,
    seed: int,
    profile: Profile | None = None,
    allow_real_data: bool = False,
    allow_real_sms: bool = False,
    tick: Tick | None = None,
) -> tuple[SimulationRun, Progress]:
    """Plan ``days`` from ``start`` and write them with ``mode``'s writer. Ctrl-C
    (``KeyboardInterrupt``) is raised again after the run is marked interrupted with what
    it did; everything done until then stays, each change whole."""
    writer = WRITERS[mode]
    if not allow_real_data:
        refuse_real_data()
    if not allow_real_sms:
        refuse_real_sms(mode)
    profile = (profile or Profile()).validate()
    plan = Plan(load_world(), profile, start=start, days=days, seed=seed)
    run = SimulationRun.objects.create(
        mode=mode, start=start, days=days, seed=seed, options=_jsonable(profile)
    )
    progress = Progress()
    try:
        progress = writer(plan, run, _remembering(tick, progress))
    except KeyboardInterrupt:
        _close(run, progress, RunStatus.INTERRUPTED)
        raise
    _close(run, progress, RunStatus.FINISHED)
    return run, progress


def _remembering(tick: Tick | None, into: Progress) -> Tick:
    """Keep the writer's latest progress, so an interrupted run can say what it did."""

    def remember(progress: Progress) -> None:
        into.__dict__.update(progress.__dict__)
        if tick is not None:
            tick(progress)

    return remember


def _close(run: SimulationRun, progress: Progress, status: str) -> None:
    with transaction.atomic():
        SimulationRun.objects.filter(pk=run.pk).update(
            status=status,
            ended_at=timezone.now(),
            dossiers=progress.dossiers,
            tickets=progress.tickets,
            changes=progress.changes,
        )
    run.refresh_from_db()


def _jsonable(profile: Profile) -> dict[str, object]:
    return {
        name: (
            dict(value)
            if hasattr(value, "items")
            else list(value)
            if isinstance(value, tuple)
            else value
        )
        for name, value in asdict(profile).items()
    }
