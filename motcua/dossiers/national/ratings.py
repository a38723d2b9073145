"""The monthly satisfaction summary per procedure (``DongBoDanhGia``; docs/national-portal.md
"Ratings").

Once a month is over, ``queue_month`` writes one ``NationalRatingSync`` per procedure rated
in it (idempotent: running it again adds nothing); the sync worker sends each, built from the
rating counters when it goes (``summary``). Shares are whole percentages that add up to 100
(largest remainder), written "NN%" as the portal reads them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils import timezone

from motcua.core.outbox.engine import DrainReport, Outbox
from motcua.dossiers.models import DailyCounter, NationalRatingSync
from motcua.dossiers.national.sender import delivery_error
from motcua.integrations.national_portal import (
    NationalPortalClient,
    RejectedError,
    UnavailableError,
)

LEVELS = ("rated_very_satisfied", "rated_satisfied", "rated_not_satisfied")
FIELDS = (
    "PhanTramDanhGiaRatHaiLong",
    "PhanTramDanhGiaHaiLong",
    "PhanTramDanhGiaChuaHaiLong",
)

RATINGS = Outbox(
    NationalRatingSync,
    name="national_ratings",
    related=("procedure",),
    max_attempts_setting="NATIONAL_PORTAL_MAX_ATTEMPTS",
)


def previous_month(today: dt.date | None = None) -> dt.date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _month_counts(month: dt.date, procedure_id: int | None = None) -> dict[int, list[int]]:
    """procedure id → [very satisfied, satisfied, not satisfied] rated in ``month``."""
    days = DailyCounter.objects.filter(day__gte=month, day__lt=_month_end(month))
    if procedure_id is not None:
        days = days.filter(procedure_id=procedure_id)
    rows = (
        days.values("procedure_id").annotate(**{level: Sum(level) for level in LEVELS}).order_by()
    )
    counts = {row["procedure_id"]: [row[level] or 0 for level in LEVELS] for row in rows}
    return {procedure: n for procedure, n in counts.items() if sum(n)}


def queue_month(month: dt.date) -> int:
    """Queue the summaries of ``month`` (a month that is over); how many were new."""
    if _month_end(month) > timezone.localdate():
        raise ValueError("the month is not over yet")
    procedures = _month_counts(month)
    before = NationalRatingSync.objects.filter(month=month).count()
    NationalRatingSync.objects.bulk_create(
        [NationalRatingSync(month=month, procedure_id=pk) for pk in sorted(procedures)],
        ignore_conflicts=True,
    )
    return NationalRatingSync.objects.filter(month=month).count() - before


def shares(counts: list[int]) -> list[int]:
    """Whole percentages of ``counts`` adding up to 100 (largest remainder; ties to the
    first level), or zeros for no ratings."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [100 * n / total for n in counts]
    whole = [int(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (whole[i] - exact[i], i))
    for i in order[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def summary(row: NationalRatingSync) -> dict[str, str]:
    counts = _month_counts(row.month, row.procedure_id).get(row.procedure_id, [0, 0, 0])
    return {
        "MaTTHC": row.procedure.code,
        "NgayTongHop": f"{row.month.month}-{row.month.year}",
        "TongSoNguoiDanhGia": str(sum(counts)),
        **{name: f"{share}%" for name, share in zip(FIELDS, shares(counts), strict=True)},
    }


def send_summary(row: NationalRatingSync, client: NationalPortalClient) -> str:
    try:
        client.sync_ratings([summary(row)])
    except (RejectedError, UnavailableError) as exc:
        raise delivery_error(exc) from exc
    return f"{row.procedure.code}@{row.month:%m-%Y}"


def drain(client: NationalPortalClient, *, limit: int = 500) -> DrainReport:
    """Send the summaries due, oldest first; stop claiming once the client's breaker is no
    longer closed, so an outage spends no attempts (``core.outbox.engine.Outbox.drain``,
    which knows no breaker, would go on)."""
    now = timezone.now()
    report = DrainReport(abandoned=RATINGS.sweep_abandoned(now))
    report.ids = list(
        RATINGS.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    for pk in report.ids:
        if client.breaker is not None and not client.breaker.is_closed:
            break
        report.add(RATINGS.deliver(pk, lambda row: send_summary(row, client)))
    return report
