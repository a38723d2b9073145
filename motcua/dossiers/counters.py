"""Recounting the report counters from the source of truth, to check the kept ones.

The actions keep ``DailyCounter`` and ``OpenCounter`` up to date in their transactions; these
functions rebuild the same figures from the event log (flows) and from the dossiers' current
state (the in-progress stock), so a test or an operator can prove they agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.utils import timezone

from motcua.dossiers.models import DailyCounter, DeadlineFlag, Dossier, DossierEvent, OpenCounter
from motcua.dossiers.models.counters import DAILY_FIELDS
from motcua.dossiers.status import ACTIVE

Key = tuple[Any, ...]


def _daily_field(event: DossierEvent, channel: str) -> str | None:
    if event.kind == "receive":
        return f"received_{channel}"
    if event.kind == "mark_result_ready":
        return f"finished_{event.data.get('outcome', '')}"
    if event.kind == "return_result":
        return "returned"
    if event.kind == "refuse":
        return "refused"
    if event.kind in {"withdraw", "stop"} and event.from_status in ACTIVE:
        return "withdrawn" if event.kind == "withdraw" else "stopped"
    if event.kind == "rate":
        return f"rated_{event.data.get('level', '')}"
    return None


def recount_daily() -> dict[Key, Counter[str]]:
    dossiers = {
        d["pk"]: d
        for d in Dossier.objects.values(
            "pk", "channel", "unit_id", "competent_agency_id", "procedure_id"
        )
    }
    counts: dict[Key, Counter[str]] = defaultdict(Counter)
    for event in DossierEvent.objects.filter(
        kind__in=[
            "receive",
            "mark_result_ready",
            "return_result",
            "refuse",
            "withdraw",
            "stop",
            "rate",
        ]
    ).iterator():
        d = dossiers[event.dossier_id]
        field = _daily_field(event, d["channel"])
        if field:
            key = (
                timezone.localtime(event.at).date(),
                d["unit_id"],
                d["competent_agency_id"],
                d["procedure_id"],
            )
            counts[key][field] += 1
    return counts


def stored_daily() -> dict[Key, Counter[str]]:
    stored: dict[Key, Counter[str]] = {}
    for row in DailyCounter.objects.values(
        "day", "unit_id", "agency_id", "procedure_id", *DAILY_FIELDS
    ):
        values = Counter({f: row[f] for f in DAILY_FIELDS if row[f]})
        if values:
            stored[(row["day"], row["unit_id"], row["agency_id"], row["procedure_id"])] = values
    return stored


def recount_open() -> dict[Key, Counter[str]]:
    counts: dict[Key, Counter[str]] = defaultdict(Counter)
    for d in Dossier.objects.filter(status__in=ACTIVE).values(
        "unit_id", "competent_agency_id", "procedure_id", "deadline_flag"
    ):
        field = "past_due" if d["deadline_flag"] == DeadlineFlag.OVERDUE else "within_due"
        counts[(d["unit_id"], d["competent_agency_id"], d["procedure_id"])][field] += 1
    return counts


def stored_open() -> dict[Key, Counter[str]]:
    stored: dict[Key, Counter[str]] = {}
    for row in OpenCounter.objects.values(
        "unit_id", "agency_id", "procedure_id", "within_due", "past_due"
    ):
        values = Counter(within_due=row["within_due"], past_due=row["past_due"])
        values = +values  # drop zeros, as the recount has none
        if values:
            stored[(row["unit_id"], row["agency_id"], row["procedure_id"])] = values
    return stored


def differences() -> list[str]:
    """Every key where the kept counters and the recount disagree (empty: they agree)."""
    out = []
    for name, kept, recounted in (
        ("daily", stored_daily(), recount_daily()),
        ("open", stored_open(), recount_open()),
    ):
        for key in sorted(set(kept) | set(recounted), key=str):
            have, want = kept.get(key, Counter()), recounted.get(key, Counter())
            if have != want:
                out.append(f"{name} {key}: kept {dict(have)}, recount {dict(want)}")
    return out
