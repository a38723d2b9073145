"""What the province's own history of a procedure says: the calibration of the what-if
(docs/simulate.md "What-if of a reform"), in a handful of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Sum

from motcua.catalog.models import Channel, ExecutionMethod, Procedure, ProcessStep, RequiredDocument
from motcua.dossiers.models import Dossier, DossierStep, Outcome, SupplementRequest
from motcua.simulate.profile import Profile
from motcua.simulate.timeline import UNTIMED_STEP_HOURS
from motcua.simulate.whatif.model import (
    CHANNEL_NAMES,
    DEFAULT,
    HISTORY,
    Calibration,
    Parameters,
    days_of,
)
from motcua.workcalendar.store import calendar_for


# Calibration (database reads)
def calibrate(
    procedure_id: int,
    *,
    start: dt.date,
    end: dt.date,
    parameters: Parameters | None = None,
    profile: Profile | None = None,
) -> Calibration:
    """The procedure's figures over ``start``–``end`` (both included), from the dossiers
    received then; about ten queries whatever the volume, plus one row per finished dossier
    and per supplement."""
    parameters = parameters or Parameters()
    profile = profile or Profile()
    procedure = (
        Procedure.objects.filter(pk=procedure_id)
        .values("pk", "code", "name", "competent_agency_id", "same_day_cutoff", "fast_track")
        .first()
    )
    if procedure is None:
        raise ValueError(f"Không có thủ tục mã số {procedure_id}.")
    calendar = calendar_for(procedure["competent_agency_id"])
    province = calendar_for(None)
    tz = calendar.tz
    since = dt.datetime.combine(start, dt.time(), tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
    window = Dossier.objects.filter(
        procedure_id=procedure_id, received_at__gte=since, received_at__lt=until
    ).order_by()

    by_channel = Counter(
        dict(window.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    )
    received = sum(by_channel.values())
    working_days = sum(1 for day in days_of(start, end) if province.is_working_day(day))
    enough = received >= parameters.min_history

    if received:
        per_day, per_day_source = received / max(working_days, 1), HISTORY
    else:
        per_day, per_day_source = _default_volume(procedure_id, profile), DEFAULT
    if enough:
        shares: dict[str, float] = {c: by_channel.get(c, 0) / received for c in CHANNEL_NAMES}
        channel_source = HISTORY
    else:
        postal = profile.postal_share
        shares = {
            Channel.ONLINE: profile.online_share,
            Channel.POSTAL: postal,
            Channel.DIRECT: 1 - profile.online_share - postal,
        }
        channel_source = DEFAULT

    supplements = list(
        SupplementRequest.objects.filter(dossier__in=window.values("pk"))
        .order_by()
        .values_list("dossier_id", "completed_at", "paused_seconds")
    )
    if enough:
        supplement_share = len({d for d, _c, _s in supplements}) / received
        supplement_source = HISTORY
    else:
        supplement_share, supplement_source = profile.supplement_share, DEFAULT
    waits = tuple(sorted(s / 3600 for _d, done, s in supplements if done is not None))
    if len(waits) < parameters.min_history:
        waits = ()

    finished = window.filter(finished_at__isnull=False).exclude(outcome="")
    outcomes = dict(finished.values_list("outcome").annotate(n=Count("pk")))
    work = sorted(
        seconds / 3600
        for seconds in DossierStep.objects.filter(
            dossier__in=finished.values("pk"),
            finished_at__isnull=False,
            finished_at__lte=F("dossier__finished_at"),
        )
        .order_by()
        .values("dossier_id")
        .annotate(seconds=Sum("working_seconds"))
        .values_list("seconds", flat=True)
        if seconds is not None
    )
    if len(work) < parameters.min_history:
        work = []

    methods = list(
        ExecutionMethod.objects.filter(procedure_id=procedure_id).values(
            "channel", "time_value", "time_unit"
        )
    )
    hours = list(
        ProcessStep.objects.filter(template__procedure_id=procedure_id, template__active=True)
        .order_by("position")
        .values_list("hours", flat=True)
    )
    return Calibration(
        procedure_id=procedure_id,
        procedure_code=procedure["code"],
        procedure_name=procedure["name"],
        start=start,
        end=end,
        calendar=calendar,
        times=channel_times(methods),
        cutoff=procedure["same_day_cutoff"],
        fast_track=procedure["fast_track"],
        steps_hours=sum(float(h) if h is not None and h > 0 else UNTIMED_STEP_HOURS for h in hours),
        documents_required=RequiredDocument.objects.in_force()
        .filter(procedure_id=procedure_id, mandatory=True)
        .count(),
        received=received,
        working_days=working_days,
        per_working_day=per_day,
        per_working_day_source=per_day_source,
        channel_shares=shares,
        channel_source=channel_source,
        supplement_share=supplement_share,
        supplement_source=supplement_source,
        supplement_waits=waits,
        supplement_wait_mean=profile.supplement_hours,
        work_hours=tuple(work),
        finished=sum(outcomes.values()),
        late_observed=outcomes.get(Outcome.LATE, 0),
        profile=profile,
    )


def channel_times(methods: Sequence[Mapping[str, Any]]) -> dict[str, tuple[Decimal, str]]:
    """Each channel's processing time as ``statutory_due`` picks it: the channel's own, else
    the in-person one, else the first stated (``world._times``)."""
    timed = {
        m["channel"]: (m["time_value"], m["time_unit"])
        for m in methods
        if m["time_value"] is not None and m["time_unit"]
    }
    fallback = timed.get(Channel.DIRECT) or next(iter(timed.values()), None)
    if fallback is None:
        return {}
    return {channel: timed.get(channel, fallback) for channel in Channel.values}


def _default_volume(procedure_id: int, profile: Profile) -> float:
    """The plan's share of the profile's arrivals for this procedure (``plan.Popularity``)."""
    from motcua.simulate.plan import Popularity
    from motcua.simulate.world import load_world

    world = load_world()
    if not any(p.id == procedure_id for p in world.procedures):
        return 0.0
    return profile.arrivals_per_day * Popularity.of(world, profile, 1).weight(procedure_id)
