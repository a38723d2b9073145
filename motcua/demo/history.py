"""The demo province's past: a few months of dossiers and 1022 contacts, written through the
real actions by the simulator (docs/simulate.md), so every list, worklist, report and the
hotline queue has content on first sight.

The volume is a demo's, not a province's: small enough that the first ``make run`` stays
within about two minutes. The history is written once; a later ``make run`` finds the
finished run and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from motcua.simulate.models import RunStatus, SimulationRun
from motcua.simulate.profile import Profile
from motcua.simulate.runs import Tick, simulate

# Per working day: about 8 dossiers and 3 calls or messages to the hotline (some 500 dossiers
# over 90 days: with the seed, about 30 s on a 2-core machine).
DEMO_PROFILE = replace(Profile(), arrivals_per_day=8.0, tickets_per_day=3.0)
DEMO_SEED = 2026


def seed_history(
    days: int, *, today: dt.date | None = None, tick: Tick | None = None
) -> SimulationRun | None:
    """Simulate the ``days`` before ``today`` through the actions, unless a finished run is
    already there; None when nothing was written. The demo's own samples (hotline tickets)
    are not simulated, so the real-data rule is waived here: the demo has no real data."""
    if days <= 0 or SimulationRun.objects.filter(status=RunStatus.FINISHED).exists():
        return None
    today = today or timezone.localdate()
    run, _progress = simulate(
        mode="through_actions",
        start=today - dt.timedelta(days=days),
        days=days,
        seed=DEMO_SEED,
        profile=DEMO_PROFILE,
        allow_real_data=True,
        tick=tick,
    )
    return run
