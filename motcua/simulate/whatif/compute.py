"""The what-if's computation, pure: the window's dossiers drawn once and played as it is
and with the change (docs/simulate.md "What-if of a reform")."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from motcua.catalog.models import Channel
from motcua.dossiers.clock import FAST_TRACK_HOURS
from motcua.simulate.randomness import rng_for
from motcua.simulate.whatif.assumptions import assumptions
from motcua.simulate.whatif.model import Calibration, Figures, Parameters, Reform, Scenario, days_of
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.deadlines import WORKING_DAY_HOURS, TimeUnit, compute_due_at
from motcua.workcalendar.hours import add_working_seconds_epoch, working_hours_between


@dataclass
class _Tally:
    dossiers: int = 0
    late: int = 0
    supplements: int = 0
    online: int = 0
    in_person: int = 0
    work_hours: float = 0.0
    waiting_hours: float = 0.0
    staff_hours: float = 0.0
    citizen_hours: float = 0.0
    cost_vnd: int = 0

    def figures(self) -> Figures:
        n = self.dossiers
        return Figures(
            dossiers=n,
            on_time_rate=(n - self.late) / n if n else 1.0,
            average_processing_days=self.work_hours / n / WORKING_DAY_HOURS if n else 0.0,
            staff_hours=round(self.staff_hours, 2),
            citizen_hours=round(self.citizen_hours, 2),
            compliance_cost_vnd=self.cost_vnd,
            late=self.late,
            supplements=self.supplements,
            online=self.online,
            in_person=self.in_person,
            average_waiting_days=self.waiting_hours / n / WORKING_DAY_HOURS if n else 0.0,
        )


def compare(
    calibration: Calibration, reform: Reform, *, seed: int, parameters: Parameters | None = None
) -> tuple[Figures, Figures, list[str]]:
    """Baseline and changed figures over the calibration's window, and the assumptions
    behind them. Pure: the same inputs give the same answer."""
    parameters = parameters or Parameters()
    base = Scenario(
        times=calibration.times,
        shares=calibration.channel_shares,
        supplement_share=calibration.supplement_share,
        citizen_hours=float(reform.citizen_hours_before),
        cost_vnd=reform.cost_before_vnd,
    )
    changed = Scenario(
        times=_new_times(calibration, reform),
        shares=_new_shares(calibration.channel_shares, reform.online_share),
        supplement_share=calibration.supplement_share * _kept_documents(calibration, reform),
        citizen_hours=float(reform.citizen_hours_after),
        cost_vnd=reform.cost_after_vnd,
    )
    tallies = (_Tally(), _Tally())
    calendar = calibration.calendar
    pace_low, pace_high = calibration.profile.step_pace
    for day in days_of(calibration.start, calibration.end):
        if not calendar.is_working_day(day):
            continue
        count_rng = rng_for(seed, "whatif", calibration.procedure_id, day.isoformat())
        volume = calibration.per_working_day * count_rng.uniform(0.8, 1.2)
        count = math.floor(volume) + (count_rng.random() < volume % 1)
        for number in range(1, count + 1):
            rng = rng_for(seed, "whatif", calibration.procedure_id, day.isoformat(), number)
            received = _moment(rng, calendar, day)
            draws = _Draws(
                channel=rng.random(),
                work=rng.random(),
                pace=rng.uniform(pace_low, pace_high),
                late=rng.random(),
                late_hours=rng.uniform(0.2, 1.8),
                supplement=rng.random(),
                supplement_wait=_supplement_wait(calibration, rng.random()),
            )
            _play(calibration, parameters, (base, changed), tallies, received, draws)
    baseline, after = (t.figures() for t in tallies)
    return baseline, after, assumptions(calibration, reform, parameters, base, changed)


@dataclass(frozen=True)
class _Draws:
    """One dossier's numbers, the same in both scenarios."""

    channel: float
    work: float
    pace: float
    late: float
    late_hours: float
    supplement: float
    supplement_wait: float  # working hours, if the dossier needs a supplement


def _play(
    calibration: Calibration,
    parameters: Parameters,
    scenarios: tuple[Scenario, Scenario],
    tallies: tuple[_Tally, _Tally],
    received: dt.datetime,
    draws: _Draws,
) -> None:
    """One dossier, as it is and with the change, added to the tallies."""
    base, changed = scenarios
    channels = (_channel(base.shares, draws.channel), _channel(changed.shares, draws.channel))
    allowed_before = _allowed_hours(calibration, base.times, channels[0], received)
    if changed.times is base.times and channels[1] == channels[0]:
        allowed_after = allowed_before
    else:
        allowed_after = _allowed_hours(calibration, changed.times, channels[1], received)
    work = _work(calibration, draws, allowed_before)
    work_after = work
    if (
        parameters.pace_limit > 0
        and allowed_after is not None
        and work > allowed_after
        and (allowed_before is None or work <= allowed_before)
    ):
        # A dossier the old time let finish but the new one would make late: officers may
        # speed it up by at most ``pace_limit`` of its work, never below finishing on time.
        work_after = max(work * (1 - parameters.pace_limit), allowed_after)
    _count(parameters, base, tallies[0], channels[0], allowed_before, work, draws)
    _count(parameters, changed, tallies[1], channels[1], allowed_after, work_after, draws)


def _count(
    parameters: Parameters,
    scenario: Scenario,
    tally: _Tally,
    channel: str,
    allowed: float | None,
    work: float,
    draws: _Draws,
) -> None:
    late = allowed is not None and work > allowed + 1e-9
    supplemented = draws.supplement < scenario.supplement_share
    online = channel == Channel.ONLINE
    tally.dossiers += 1
    tally.late += late
    tally.supplements += supplemented
    tally.online += online
    tally.in_person += channel == Channel.DIRECT
    tally.work_hours += work
    tally.waiting_hours += work + (draws.supplement_wait if supplemented else 0.0)
    tally.staff_hours += work + supplemented * parameters.supplement_staff_hours
    trips: dict[str, float] = {
        Channel.DIRECT: parameters.desk_trip_hours,
        Channel.POSTAL: parameters.postal_trip_hours,
    }
    trip = trips.get(channel, 0.0)
    supplement_trip = parameters.online_supplement_hours if online else parameters.desk_trip_hours
    tally.citizen_hours += scenario.citizen_hours + trip + supplemented * supplement_trip
    tally.cost_vnd += scenario.cost_vnd


def _channel(shares: dict[str, float], u: float) -> str:
    """Online below the online share, postal in the top postal share, in person between:
    raising the online share moves in-person dossiers online, the same ones in every run."""
    if u < shares.get(Channel.ONLINE, 0.0):
        return Channel.ONLINE
    if u >= 1 - shares.get(Channel.POSTAL, 0.0):
        return Channel.POSTAL
    return Channel.DIRECT


def _allowed_hours(
    calibration: Calibration,
    times: dict[str, tuple[Decimal, str]],
    channel: str,
    received: dt.datetime,
) -> float | None:
    """Working hours from reception to the statutory due moment (None: no time stated)."""
    calendar = calibration.calendar
    if calibration.fast_track:
        return float(FAST_TRACK_HOURS)
    stated = times.get(channel)
    if stated is None:
        return None
    value, unit = stated
    due = compute_due_at(
        calendar, received_at=received, value=value, unit=TimeUnit(unit), cutoff=calibration.cutoff
    )
    return working_hours_between(calendar, received, due).total_seconds() / 3600


def _work(calibration: Calibration, draws: _Draws, allowed: float | None) -> float:
    """The working hours the dossier takes: a finished dossier of the history, or without
    enough history the profile's pace of the time allowed and, for the profile's late share,
    beyond it by about the profile's late hours."""
    history = calibration.work_hours
    if history:
        return history[min(int(draws.work * len(history)), len(history) - 1)]
    profile = calibration.profile
    span = allowed if allowed is not None else calibration.steps_hours
    if draws.late < profile.late_share:
        return span + profile.late_hours * draws.late_hours
    return span * draws.pace


def _supplement_wait(calibration: Calibration, u: float) -> float:
    waits = calibration.supplement_waits
    if waits:
        return waits[min(int(u * len(waits)), len(waits) - 1)]
    mean = calibration.supplement_wait_mean
    return -mean * math.log(1 - u) if mean > 0 else 0.0


def _moment(rng: random.Random, calendar: WorkCalendar, day: dt.date) -> dt.datetime:
    """A working moment of ``day``, each working minute as likely (``timeline.arrival``)."""
    periods = calendar.periods_on(day)
    lengths = [
        (dt.datetime.combine(day, b) - dt.datetime.combine(day, a)).total_seconds()
        for a, b in periods
    ]
    pick = rng.uniform(0, sum(lengths))
    begin = dt.datetime.combine(day, periods[0][0], calendar.tz).timestamp()
    return dt.datetime.fromtimestamp(
        add_working_seconds_epoch(calendar, begin, max(pick, 1.0)), calendar.tz
    )


def _new_times(calibration: Calibration, reform: Reform) -> dict[str, tuple[Decimal, str]]:
    """Every channel's time set to the proposal's value, in that channel's own unit (in
    working days where the procedure states none)."""
    if reform.time_value is None:
        return calibration.times
    if not calibration.times:
        return dict.fromkeys(Channel.values, (reform.time_value, TimeUnit.WORKING_DAY.value))
    return {c: (reform.time_value, unit) for c, (_value, unit) in calibration.times.items()}


def _new_shares(shares: dict[str, float], online: float | None) -> dict[str, float]:
    """The proposal's online share; the other channels keep their proportions."""
    if online is None:
        return shares
    rest = 1 - shares.get(Channel.ONLINE, 0.0)
    direct, postal = shares.get(Channel.DIRECT, 0.0), shares.get(Channel.POSTAL, 0.0)
    if rest <= 0:
        direct, postal, rest = 1.0, 0.0, 1.0
    return {
        Channel.ONLINE: online,
        Channel.DIRECT: (1 - online) * direct / rest,
        Channel.POSTAL: (1 - online) * postal / rest,
    }


def _kept_documents(calibration: Calibration, reform: Reform) -> float:
    """The share of supplement requests that remain: in proportion to the documents kept."""
    required = calibration.documents_required
    if reform.documents_removed <= 0 or required <= 0:
        return 1.0
    return max(0.0, 1 - reform.documents_removed / required)
