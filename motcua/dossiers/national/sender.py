"""One send of a dossier to the national portal (docs/national-portal.md "A send").

A send reads the dossier as it is now and its history up to its latest event (``seq``):

1. ``DongBoHoSoMC``: an update if the portal is known to hold the dossier, else an insert,
   and an insert the portal answers "đã tồn tại" goes again as an update;
2. the acceptance is recorded (``NationalSyncState``), and the first acceptance of a received
   dossier counts it as synced;
3. ``CapNhatTienDoHoSoMC``: the progress steps of events after the last step the portal
   holds, in chunks. Before each chunk goes out it is written down as sent
   (``progress_in_flight``): if its answer is lost (a timeout, a dropped connection, a killed
   worker), the next send asks the portal (``TraCuuHoSo``) which of them it holds and sends
   the others exactly as they were, so no step reaches the portal twice;
4. every change of the dossier up to ``seq`` still waiting, or failed, is marked sent with
   this one: one send carries them all.

The portal refusing the data (``RejectedError``) fails the change, with the portal's message
kept for the sync screen; being unreachable (``UnavailableError``) retries it later.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from motcua.core import counters
from motcua.core.outbox.errors import DeliveryError
from motcua.core.outbox.models import OutboxStatus
from motcua.dossiers.counters import flow_key, write_flows
from motcua.dossiers.models import (
    Dossier,
    NationalSyncChange,
    NationalSyncCounter,
    NationalSyncState,
)
from motcua.dossiers.national import payload
from motcua.integrations.national_portal import (
    AlreadyExistsError,
    NationalPortalClient,
    RejectedError,
    UnavailableError,
)

# Six digits or more, possibly spaced or dotted ("0911 222 333", "087.090.001.234").
_LONG_NUMBER = re.compile(r"\d(?:[ .-]?\d){5,}")
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+\.)+[\w-]+")


def scrub(text: str) -> str:
    """A portal message made safe to log and show: it may quote what was sent, so numbers of
    six digits or more (an ID number, a phone) and email addresses are masked."""
    text = _EMAIL.sub("…@…", text)
    return _LONG_NUMBER.sub(lambda m: m.group()[:2] + "…" + m.group()[-2:], text)


def send_change(change: NationalSyncChange, client: NationalPortalClient) -> str:
    """The outbox's sender: send the dossier ``change`` belongs to; its reference at the
    portal ("code#seq"), or ``DeliveryError``."""
    try:
        return send_dossier(change, client)
    except RejectedError as exc:
        NationalSyncState.objects.update_or_create(
            dossier_id=change.dossier_id, defaults={"rejection": scrub(str(exc))}
        )
        raise delivery_error(exc) from exc
    except UnavailableError as exc:
        raise delivery_error(exc) from exc


def delivery_error(exc: RejectedError | UnavailableError) -> DeliveryError:
    """The outbox's view of the portal's answer, scrubbed: a refusal is final, being
    unreachable is retried."""
    if isinstance(exc, RejectedError):
        return DeliveryError(f"Cổng DVC quốc gia từ chối: {scrub(str(exc))}", retryable=False)
    return DeliveryError(scrub(str(exc)), retryable=True)


def send_dossier(change: NationalSyncChange, client: NationalPortalClient) -> str:
    dossier = payload.load(change.dossier_id)
    seq = dossier.event_seq
    events = list(dossier.events.filter(seq__lte=seq).order_by("seq"))
    refused = next((e.at for e in events if e.kind == "refuse"), None)
    record = payload.dossier_record(dossier, refused_at=refused)
    state = state_of(dossier)
    if state.on_portal:
        client.sync_dossier(record, updating=True)
    else:
        try:
            client.sync_dossier(record, updating=False)
        except AlreadyExistsError:
            client.sync_dossier(record, updating=True)
    accepted(dossier, state, seq)
    if dossier.received_at is not None:
        send_progress(dossier, state, events, client)
    cover(change, seq)
    return f"{dossier.code}#{seq}"


def state_of(dossier: Dossier) -> NationalSyncState:
    """What we know of the dossier on the portal (loaded with it), or a fresh, unsaved one.
    Only the dossier's one send in flight writes its sending fields (``worker``: one send
    per dossier at a time), so what was read here stays true while it runs."""
    try:
        return dossier.national_sync
    except NationalSyncState.DoesNotExist:
        return NationalSyncState(dossier=dossier)


@transaction.atomic
def accepted(dossier: Dossier, state: NationalSyncState, seq: int) -> None:
    """Record that the portal holds the dossier as of event ``seq``; the first time it holds
    the dossier as received, count it synced on its reception day."""
    now = timezone.now()
    first = dossier.received_at is not None and state.counted_at is None
    fields: dict[str, Any] = {
        "on_portal": True,
        "accepted_seq": max(state.accepted_seq, seq),
        "accepted_at": now,
        "rejection": "",
        **({"counted_at": now} if first else {}),
    }
    if not NationalSyncState.objects.filter(pk=dossier.pk).update(**fields):
        # The first acceptance; an operator's reconcile may create the row at the same time.
        NationalSyncState.objects.bulk_create(
            [NationalSyncState(dossier=dossier, **fields)],
            update_conflicts=True,
            unique_fields=["dossier"],
            update_fields=list(fields),
        )
    for name, value in fields.items():
        setattr(state, name, value)
    if first:
        day = timezone.localtime(dossier.received_at).date()
        # Flows before the sync counter, in the actions' order (dossiers/counters.py).
        write_flows({flow_key(dossier, day): {"synced": 1}})
        key = (day, dossier.unit_id, dossier.competent_agency_id)
        counters.add(NationalSyncCounter, {key: {"synced": 1}})


def send_progress(
    dossier: Dossier, state: NationalSyncState, events: Iterable[Any], client: NationalPortalClient
) -> None:
    """The progress steps the portal does not hold yet, in chunks (module docstring, 3)."""
    steps = payload.progress_steps(dossier, events)
    in_flight = [payload.Step(item["seq"], item["fields"]) for item in state.progress_in_flight]
    if state.progress_unsure:
        # Reconciling found steps missing: whatever the portal lacks, wherever it is; a chunk
        # of this pass lost on the way counts as it was sent. Unsure until the pass is done.
        held = client.lookup_dossier(dossier.code) or {}
        as_sent = {step.seq: step for step in [*steps, *in_flight]}
        pending = not_held(
            sorted(as_sent.values(), key=lambda s: s.seq),
            held.get("QuaTrinhXuLy") or [],
            after=0,
        )
    elif in_flight:
        # The last chunk's answer was lost: resend, as it was sent, what the portal lacks.
        held = client.lookup_dossier(dossier.code) or {}
        portal = _counted(held.get("QuaTrinhXuLy") or [])
        _take(portal, [step for step in steps if step.seq <= state.progress_seq])
        last = max(step.seq for step in in_flight)
        pending = [*_take(portal, in_flight), *(step for step in steps if step.seq > last)]
    else:
        pending = [step for step in steps if step.seq > state.progress_seq]
    rows = NationalSyncState.objects.filter(pk=dossier.pk)
    size = settings.NATIONAL_PORTAL_PROGRESS_CHUNK
    done = max([state.progress_seq, *(s.seq for s in steps), *(s.seq for s in in_flight)])
    # A reconcile may flag the dossier again meanwhile: only the flag this pass answered is
    # cleared.
    settled = {"progress_unsure": False} if state.progress_unsure else {}
    for start in range(0, len(pending), size):
        chunk = pending[start : start + size]
        rows.update(progress_in_flight=[{"seq": s.seq, "fields": s.fields} for s in chunk])
        try:
            client.sync_progress([step.fields for step in chunk])
        except RejectedError:
            # A refusal is an answer: the portal kept none of the chunk, and the next send
            # builds it afresh (from data an operator may have corrected).
            rows.update(progress_in_flight=[])
            raise
        final = start + size >= len(pending)
        rows.update(
            progress_seq=done if final else Greatest(F("progress_seq"), chunk[-1].seq),
            progress_in_flight=[],
            **(settled if final else {}),
        )
    if not pending and (done > state.progress_seq or in_flight or settled):
        rows.update(progress_seq=done, progress_in_flight=[], **settled)


def not_held(
    steps: list[payload.Step], held: Iterable[Mapping[str, Any]], *, after: int
) -> list[payload.Step]:
    """The steps after event ``after`` that the portal does not hold: our steps, in order,
    less the portal's, counted one for one (two equal steps are two)."""
    return [step for step in _take(_counted(held), steps) if step.seq > after]


def _counted(held: Iterable[Mapping[str, Any]]) -> Counter[str]:
    return Counter(_key(fields) for fields in held)


def _take(portal: Counter[str], steps: Iterable[payload.Step]) -> list[payload.Step]:
    """Match ``steps`` one for one with the portal's copies (consumed from ``portal``); the
    steps left unmatched, in order."""
    missing = []
    for step in steps:
        key = _key(step.fields)
        if portal[key] > 0:
            portal[key] -= 1
        else:
            missing.append(step)
    return missing


# What tells one step from another: the fields that come from the event itself. The title
# and the department are read when the step is built (an officer's title, an agency's name can
# change between two sends) and are left out, so a changed name is not a missing step.
IDENTITY = ("MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai")


def _key(fields: Mapping[str, Any]) -> str:
    return json.dumps([str(fields.get(name, "")) for name in IDENTITY], ensure_ascii=False)


def cover(change: NationalSyncChange, seq: int) -> None:
    """Mark the dossier's other changes up to ``seq`` sent with ``change``: their state went
    with it. Failed ones too: the state the portal refused has been replaced."""
    NationalSyncChange.objects.filter(
        dossier_id=change.dossier_id,
        seq__lte=seq,
        status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
    ).exclude(pk=change.pk).update(
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        covered_by=change.pk,
        last_error="",
        provider_message_id=f"covered:{change.pk}",
    )
