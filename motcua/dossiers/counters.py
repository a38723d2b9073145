"""The report counters (docs/architecture.md rule 9, docs/decisions/dossiers.md "Counters").

The actions, and the deadline job, keep ``DailyCounter`` (flows per day × unit × agency ×
procedure) and ``OpenCounter`` (the in-progress stock, within and past due) up to date in
their own transactions. The recount below rebuilds the same figures from the event log (flows)
and from the dossiers' current state (the in-progress stock), so a test or an operator can
prove they agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import F
from django.utils import timezone

from motcua.dossiers.models import DailyCounter, DeadlineFlag, Dossier, DossierEvent, OpenCounter
from motcua.dossiers.models.counters import DAILY_FIELDS
from motcua.dossiers.status import ACTIVE

# ---- kept by the actions ------------------------------------------------------------------


def _bump(
    model: type[DailyCounter] | type[OpenCounter], key: dict[str, object], field: str, by: int
) -> None:
    """Add ``by`` to one counter row, creating it on first use, in the caller's transaction."""
    if not model.objects.filter(**key).update(**{field: F(field) + by}):
        counter, _created = model.objects.get_or_create(**key)  # type: ignore[arg-type]
        model.objects.filter(pk=counter.pk).update(**{field: F(field) + by})


def bump_daily(dossier: Dossier, field: str, at: dt.datetime, by: int = 1) -> None:
    """Add to a day's counter in the same transaction as the action."""
    key: dict[str, object] = {
        "day": timezone.localtime(at).date(),
        "unit_id": dossier.unit_id,
        "agency_id": dossier.competent_agency_id,
        "procedure_id": dossier.procedure_id,
    }
    _bump(DailyCounter, key, field, by)


def bump_open(dossier: Dossier, *, overdue: bool, by: int) -> None:
    """Add to the in-progress stock, within or past due."""
    key: dict[str, object] = {
        "unit_id": dossier.unit_id,
        "agency_id": dossier.competent_agency_id,
        "procedure_id": dossier.procedure_id,
    }
    _bump(OpenCounter, key, "past_due" if overdue else "within_due", by)


def open_dossier(dossier: Dossier) -> None:
    """The dossier starts counting as in progress."""
    bump_open(dossier, overdue=dossier.deadline_flag == DeadlineFlag.OVERDUE, by=1)


def close_dossier(dossier: Dossier) -> None:
    """The dossier stops counting as in progress (finished, stopped, withdrawn)."""
    bump_open(dossier, overdue=dossier.deadline_flag == DeadlineFlag.OVERDUE, by=-1)


def set_deadline_flag(dossier: Dossier, flag: str) -> None:
    """Change the deadline flag, moving the dossier between "within" and "past due"."""
    was_overdue = dossier.deadline_flag == DeadlineFlag.OVERDUE
    is_overdue = flag == DeadlineFlag.OVERDUE
    if dossier.is_active and was_overdue != is_overdue:
        bump_open(dossier, overdue=was_overdue, by=-1)
        bump_open(dossier, overdue=is_overdue, by=1)
    dossier.deadline_flag = flag


# ---- recounted from the source of truth ---------------------------------------------------

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
