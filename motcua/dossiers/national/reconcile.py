"""Reconciling with the portal after an outage, a restore, or switching the sync on
(``manage.py sync_national --reconcile [--since DATE]``; docs/national-portal.md
"Reconciling").

For each dossier changed since the date, the portal is asked what it holds (``TraCuuHoSo``)
and the answer compared with what we would send now. A dossier the portal lacks, holds in
another state, or holds with fewer progress steps is queued again: its latest change is set
to be sent afresh (or a change is written where it never had one, such as a dossier received
before the sync was switched on), and where steps are missing the next send asks the portal
which it holds and sends the others. Nothing is sent from here: the sync worker does it, in
order, with the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from motcua.core.outbox.models import OutboxStatus
from motcua.dossiers.models import Dossier, NationalSyncChange, NationalSyncState
from motcua.dossiers.national import payload
from motcua.dossiers.national.sender import not_held
from motcua.integrations.national_portal import NationalPortalClient

BATCH = 200
# Fields the portal may fill or reformat on its side: left out of the comparison.
IGNORED = frozenset({"QuaTrinhXuLy"})


@dataclass
class ReconcileReport:
    checked: int = 0
    matching: int = 0
    missing: int = 0  # the portal holds no such dossier
    differing: int = 0  # it holds another state
    steps_missing: int = 0  # it holds fewer progress steps
    queued: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "matching": self.matching,
            "missing": self.missing,
            "differing": self.differing,
            "steps_missing": self.steps_missing,
            "queued": len(self.queued),
        }


def dossiers_since(since: dt.date | None) -> Iterator[int]:
    rows = Dossier.objects.order_by("pk")
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        rows = rows.filter(updated_at__gte=start)
    last = 0
    while ids := list(rows.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH]):
        yield from ids
        last = ids[-1]


def reconcile(
    client: NationalPortalClient,
    *,
    since: dt.date | None = None,
    progress: Callable[[int], object] | None = None,
) -> ReconcileReport:
    report = ReconcileReport()
    for pk in dossiers_since(since):
        dossier = payload.load(pk)
        report.checked += 1
        if progress is not None:
            progress(report.checked)
        held = client.lookup_dossier(dossier.code)
        events = list(dossier.events.filter(seq__lte=dossier.event_seq).order_by("seq"))
        refused = next((e.at for e in events if e.kind == "refuse"), None)
        ours = payload.dossier_record(dossier, refused_at=refused)
        steps = payload.progress_steps(dossier, events) if dossier.received_at else []
        lacking = bool(not_held(steps, (held or {}).get("QuaTrinhXuLy") or [], after=0))
        if held is None:
            report.missing += 1
        elif any(str(held.get(k)) != str(v) for k, v in ours.items() if k not in IGNORED):
            report.differing += 1
        elif lacking:
            report.steps_missing += 1
        else:
            report.matching += 1
            continue
        requeue(dossier, on_portal=held is not None, steps_missing=lacking)
        report.queued.append(dossier.code)
    return report


@transaction.atomic
def requeue(dossier: Dossier, *, on_portal: bool, steps_missing: bool) -> None:
    """Send the dossier again: its latest change back to pending (or a change written for
    it), and what we know of it on the portal corrected."""
    state, _created = NationalSyncState.objects.select_for_update().get_or_create(
        dossier_id=dossier.pk
    )
    state.on_portal = on_portal
    # The next send asks the portal which steps it holds and sends the others
    # (sender.send_progress).
    state.progress_unsure = state.progress_unsure or steps_missing
    state.save(update_fields=["on_portal", "progress_unsure"])
    change, created = NationalSyncChange.objects.get_or_create(
        dossier_id=dossier.pk,
        seq=dossier.event_seq,
        defaults={"kind": "reconcile"},
    )
    if not created and change.status in (OutboxStatus.SENT, OutboxStatus.FAILED):
        NationalSyncChange.objects.filter(pk=change.pk, status=change.status).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            maybe_duplicate=False,
            covered_by=None,
        )
