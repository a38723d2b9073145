"""The what-if of a reform: a year of one procedure's dossiers played twice, as it is and with
the proposed change, on the same draws (docs/simulate.md "What-if of a reform").

Two parts, kept apart:

- ``calibrate`` reads the province's own recent history of the procedure (a handful of
  queries): volume per working day, channel shares, supplement share, late share, the working
  hours its steps took from reception to the result, how long applicants took to answer a
  supplement; and the procedure's statutory times. Where the history is thin it falls back to
  the simulation profile's defaults and says so.
- ``compare`` is pure: from a ``Calibration``, a ``Reform``, a seed and the stated
  ``Parameters`` it draws the dossiers of every working day of the window, each from its own
  seeded generator, and plays each twice (baseline and changed) with the same numbers, so the
  difference is the change and not noise. Nothing is written to the database.

The model of the change, as the assumptions list it beside the figures:

- the work a dossier takes (working hours from reception to the result, pauses excluded) is
  drawn from history and is not shortened by decree; a dossier is late when its work exceeds
  the working time the (new) statutory time allows from its reception; optionally
  (``Parameters.pace_limit``) officers speed up a dossier that would now be late, by at most
  that share of its work, never below the time it needs to finish on time;
- documents cut → supplement requests fall in proportion to the documents removed;
- online filing → no trip to the desk to file (stated hours), a supplement sent online;
- citizen hours = dossiers × hours per execution (the proposal's compliance-cost figure) +
  trips to the desk; compliance cost = dossiers × cost per execution.

``what_if`` joins the two. The shape of these draws follows the plan's (``plan.py``): working
days of the calendar, about the day's volume ±20%, moments of working time, one seeded
generator per dossier (``randomness.rng_for``); the plan itself draws a dossier's lateness as
a fate independent of the time allowed, which a what-if on the time allowed cannot use.
"""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone

from motcua.simulate.whatif.compute import compare
from motcua.simulate.whatif.history import calibrate
from motcua.simulate.whatif.model import Calibration, Figures, Parameters, Reform, WhatIf

__all__ = [
    "Calibration",
    "Figures",
    "Parameters",
    "Reform",
    "WhatIf",
    "calibrate",
    "compare",
    "what_if",
]


def what_if(
    reform: Reform,
    *,
    end: dt.date | None = None,
    days: int = 365,
    seed: int = 1,
    parameters: Parameters | None = None,
) -> WhatIf:
    """The procedure's last ``days`` to ``end`` (today by default, both included), calibrated
    from its history and played with and without ``reform`` on the same draws. Reads the
    database a few times; writes nothing. ``ValueError`` (Vietnamese) for an unknown
    procedure or values no proposal can have."""
    began = time.perf_counter()
    reform.validate()
    parameters = (parameters or Parameters()).validate()
    if days < 1:
        raise ValueError("Số ngày phải lớn hơn 0.")
    end = end or timezone.localdate()
    calibration = calibrate(
        reform.procedure_id, start=end - dt.timedelta(days=days - 1), end=end, parameters=parameters
    )
    baseline, changed, assumptions = compare(calibration, reform, seed=seed, parameters=parameters)
    return WhatIf(
        start=calibration.start,
        end=calibration.end,
        baseline=baseline,
        changed=changed,
        assumptions=assumptions,
        seed=seed,
        elapsed_seconds=round(time.perf_counter() - began, 3),
        procedure_id=calibration.procedure_id,
        procedure_code=calibration.procedure_code,
        procedure_name=calibration.procedure_name,
    )
