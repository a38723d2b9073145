"""What an event changes in the Decision 766 counters, counted as it is written
(docs/rules/indicators.md "Decision 766 counters").

Every dossier event passes here before it is appended (``actions/transitions.py``), with the
dossier as the action left it. The dossier remembers what was last counted of it
(``Dossier.counted``, read with its row); the difference is counted now, and noted in the
event's data, so the recount finds it in the history:

- ``stock``: the dossier's new standing in the stock in progress (``stock.py``), when it
  changed;
- ``judged`` (``in_time`` or ``late``), ``judged_seconds`` and ``supplements``, when the
  dossier stops being in progress for any reason but a withdrawal: the first of result
  ready, returned, stopped, refused, judged by the national rule (``stock.judged_in_time``);
- ``fee_bearing``: an event after which the dossier owes fees it did not owe before;
- on reception, ``digitised`` (every document has an electronic copy), ``reusing`` (one was
  taken from an earlier dossier) and ``vneid`` (the applicant's account is VNeID-verified);
- when the result is ready, ``electronic`` (an electronic result) and ``digitised``;
- ``paid_online``, the payment through the gateway that settled what was owed.

Then the action's pending counts and these are written together (``counters.flush``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from motcua.dossiers import counters
from motcua.dossiers.clock import calendar_of
from motcua.dossiers.models import Counted, Dossier, DossierDocument, SupplementRequest
from motcua.dossiers.stock import OPEN, PAUSED_LATE, judged_in_time, moves
from motcua.workcalendar.hours import working_hours_between

logger = logging.getLogger(__name__)


@dataclass
class Facts:
    """What the counting of one event reads of its dossier (a ``Dossier``, or a row the bulk
    simulator writes): the lazy ones cost a query and are read only when needed."""

    kind: str
    at: dt.datetime
    by_system: bool  # no officer or citizen: the payment gateway, the carrier, a job
    before: Counted
    after: Counted
    row: Mapping[str, Any]  # due_at, apologised, received_at, paused_seconds, fees, agency
    supplements: Callable[[], int]
    documents: Callable[[], dict[str, bool]]
    vneid: Callable[[], bool]


def count(facts: Facts, data: dict[str, Any]) -> Counter[tuple[dt.date, str]]:
    """The flows the event moves, by (day, field); what it counted is noted in ``data``."""
    row = facts.row
    day = facts.at.astimezone(timezone.get_default_timezone()).date()
    flows: Counter[tuple[dt.date, str]] = Counter()
    before, after = facts.before, facts.after
    if after.standing != before.standing:
        data["stock"] = after.standing.encode()
        for when, name, sign in moves(before.standing, after.standing, day):
            flows[(when, name)] += sign
        leaving = before.standing.in_progress and not after.standing.in_progress
        if leaving and facts.kind != "withdraw":
            _judge(facts, data, flows, day)
    if after.owing and not before.owing:
        data["fee_bearing"] = True
        flows[(day, "fee_bearing")] += 1
    if facts.kind == "receive":
        if "digitised" not in data or "reusing" not in data:
            data.update(facts.documents())
        data.setdefault("vneid", facts.vneid())
        for name in ("digitised", "reusing"):
            if data[name]:
                flows[(day, f"received_{name}")] += 1
        # VNeID-verified applicants among the online ones (the indicator's denominator).
        if data["vneid"] and row["channel"] == "online":
            flows[(day, "received_vneid")] += 1
    elif facts.kind == "mark_result_ready":
        electronic = any(result.get("sha256") for result in data.get("results", []))
        data["electronic"] = electronic
        if electronic:
            data["digitised"] = facts.documents()["digitised"]
            flows[(day, "finished_electronic")] += 1
            if data["digitised"]:
                flows[(day, "finished_digitised_electronic")] += 1
    # The gateway's payment that settled what was owed: once per time fees were owed, as
    # ``fee_bearing`` counts them, so the rate never passes one.
    elif facts.kind == "record_payment" and before.owing and not after.owing and facts.by_system:
        data["paid_online"] = True
        flows[(day, "paid_online")] += 1
    return flows


def _judge(
    facts: Facts, data: dict[str, Any], flows: Counter[tuple[dt.date, str]], day: dt.date
) -> None:
    """The national judgement of a dossier leaving the stock in progress, and the working
    time it took, received to finished, its pauses left out."""
    row, before = facts.row, facts.before
    paused = before.standing.kind != OPEN
    stopped = (before.paused_at or facts.at) if paused else facts.at
    supplements = facts.supplements()
    apologised = bool(row["apologised"])
    if paused:
        in_time = before.standing.kind != PAUSED_LATE and judged_in_time(
            moment=stopped, due_at=None, apologised=apologised, supplements=supplements
        )
    else:
        in_time = judged_in_time(
            moment=facts.at, due_at=row["due_at"], apologised=apologised, supplements=supplements
        )
    seconds = 0
    received_at = row["received_at"]
    if received_at is not None and stopped > received_at:
        calendar = calendar_of(row["competent_agency_id"])
        worked = working_hours_between(calendar, received_at, stopped)
        seconds = max(0, int(worked.total_seconds()) - row["paused_seconds"])
    data.update(
        judged="in_time" if in_time else "late", judged_seconds=seconds, supplements=supplements
    )
    flows[(day, "judged_in_time" if in_time else "judged_late")] += 1
    flows[(day, "judged_seconds")] += seconds
    if supplements > 1:
        flows[(day, "judged_resupplemented")] += 1


def at_event(dossier: Dossier, fields: dict[str, Any]) -> None:
    """Count what the event in ``fields`` (the keyword arguments of ``append_event``) changes,
    noting it in the event's data; write the action's counts."""
    before = dossier.counted
    flows: Counter[tuple[dt.date, str]] = Counter()
    if before is None:
        # Loaded without its state's columns: nothing to compare with. The recount would
        # show what this left out.
        logger.error("dossier %s: event %s not counted", dossier.pk, fields["kind"])
    else:
        after = Counted.of(dossier)
        facts = Facts(
            kind=fields["kind"],
            at=fields["at"],
            by_system=fields.get("actor") is None,
            before=before,
            after=after,
            row=vars(dossier),
            supplements=lambda: SupplementRequest.objects.filter(dossier_id=dossier.pk).count(),
            documents=lambda: _documents(dossier),
            vneid=lambda: vneid_verified(dossier),
        )
        flows = count(facts, fields)
        dossier.counted = after
    waiting = counters.pending(dossier)
    changes: dict[counters.FlowKey, Counter[str]] = (
        waiting.flows if waiting is not None else defaultdict(Counter)
    )
    for (when, name), n in flows.items():
        changes[counters.flow_key(dossier, when)][name] += n
    if waiting is None:
        counters.write_flows(changes)
    counters.flush(dossier)


def _documents(dossier: Dossier) -> dict[str, bool]:
    """Every document of the dossier digitised (there is at least one); one reused."""
    found = DossierDocument.objects.filter(dossier_id=dossier.pk).aggregate(
        total=Count("pk"),
        digitised=Count("pk", filter=Q(digitised=True)),
        reused=Count("pk", filter=Q(reused=True)),
    )
    return {
        "digitised": bool(found["total"]) and found["digitised"] == found["total"],
        "reusing": bool(found["reused"]),
    }


def vneid_verified(dossier: Dossier) -> bool:
    """The applicant signed in with a VNeID-verified account (``TaiKhoanDuocXacThucVoiVNeID``)."""
    if dossier.applicant_account_id is None:
        return False
    account = dossier.applicant_account
    profile = getattr(account, "citizen_profile", None)
    return bool(profile and profile.id_verified and profile.oidc_subject)
