"""One dossier's rows, built in memory as the dossier actions would write them
(docs/simulate.md "Bulk mode"): what every action shares, and reception.

Each method mirrors one action of ``dossiers/actions`` on a dossier held as plain values: the
same columns set, the same step opened and closed, the same event with the same data, the
same counters bumped (``Tally``), with the same pure functions (``clock.statutory_due``,
``clock.outcome_of``, ``clock.flag_for``, the ``workcalendar`` arithmetic). Guards and
permissions are the plan's business: it only tells stories the actions accept, which the
tests check by driving the same stories through the actions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from motcua.core.text import fold
from motcua.dossiers.models import Counted, DeadlineFlag, Outcome
from motcua.dossiers.permissions import return_step
from motcua.dossiers.status import ACTIVE, PAUSED, DossierStatus
from motcua.dossiers.tally import Facts, count
from motcua.simulate.bulk.chains import History
from motcua.simulate.bulk.ledger import CodeBook, IdPool, Tally
from motcua.simulate.bulk.province import Province
from motcua.workcalendar.hours import add_working_hours

S = DossierStatus
RUNNING = ACTIVE - PAUSED


@dataclass
class Step:
    """A ``DossierStep`` row; ``pk`` and ``role`` let ``permissions.next_step`` read it."""

    pk: int
    position: int
    name: str
    role: str
    agency_id: int
    allotted_hours: Decimal | None
    started_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    outcome: str = ""
    handled_by_id: int | None = None
    note: str = ""
    paused_seconds: int = 0
    waiting_seconds: int | None = None
    working_seconds: int | None = None


@dataclass
class Applicant:
    kind: str
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class DossierBase:
    """A dossier being written: ``row`` holds its columns by name. What every action
    shares, and reception; the later actions are ``dossier.DossierDraft``'s."""

    def __init__(
        self,
        province: Province,
        *,
        pk: int,
        steps_ids: IdPool,
        codes: CodeBook,
        tally: Tally,
    ) -> None:
        self.province = province
        self.pk = pk
        self._step_ids = steps_ids
        self._codes = codes
        self.tally = tally
        self.history = History("dossier", pk, province.zone)
        self.row: dict[str, Any] = {}
        self.steps: list[Step] = []
        self.documents: list[tuple[Any, ...]] = []
        self.fees: list[tuple[Any, ...]] = []
        self.supplements: list[dict[str, Any]] = []
        self.payments: list[tuple[Any, ...]] = []
        self.apologies: list[tuple[Any, ...]] = []
        self.results: list[tuple[Any, ...]] = []
        self.rating: tuple[Any, ...] | None = None
        self._changed_at: dt.datetime | None = None
        self.counted = Counted()

    # ---- what the actions share --------------------------------------------------------

    @property
    def status(self) -> str:
        return str(self.row["status"])

    def _key(self) -> tuple[int, int, int]:
        r = self.row
        return r["unit_id"], r["competent_agency_id"], r["procedure_id"]

    def _bump_daily(self, name: str, at: dt.datetime) -> None:
        self.tally.bump_daily(at.astimezone(self.province.zone).date(), *self._key(), name)

    def _bump_open(self, *, overdue: bool, by: int) -> None:
        self.tally.bump_open(*self._key(), overdue=overdue, by=by)

    def _overdue(self) -> bool:
        return self.row["deadline_flag"] == DeadlineFlag.OVERDUE

    def _set_flag(self, flag: str) -> None:
        """``counters.set_deadline_flag``."""
        is_overdue = flag == DeadlineFlag.OVERDUE
        if self.status in ACTIVE and self._overdue() != is_overdue:
            self._bump_open(overdue=self._overdue(), by=-1)
            self._bump_open(overdue=is_overdue, by=1)
        self.row["deadline_flag"] = flag

    def catch_up(self, at: dt.datetime) -> None:
        """What the deadline job (``deadlines.flag_deadlines``), run at the end of every day,
        did to the dossier since its last change: the last run before ``at`` saw the
        dossier as it is now, flagged it overdue (moving it to "past due") or near due."""
        job = self.province.last_job_before(at)
        if self._changed_at is not None and job <= self._changed_at:
            return
        self.flag_as_of(job)

    def flag_as_of(self, moment: dt.datetime) -> None:
        """One run of the deadline job at ``moment``."""
        due = self.row.get("due_at")
        if self.status not in RUNNING or due is None:
            return
        if due < moment:
            if not self._overdue():
                self._bump_open(overdue=False, by=-1)
                self._bump_open(overdue=True, by=1)
                self.row["deadline_flag"] = DeadlineFlag.OVERDUE
        elif self.row["deadline_flag"] == DeadlineFlag.NONE and (
            due <= self.province.near_due_horizon(moment)
        ):
            self.row["deadline_flag"] = DeadlineFlag.NEAR_DUE

    def _event(self, kind: str, at: dt.datetime, actor: int | None, **data: Any) -> None:
        """``append_event``, with what it counts for Decision 766 (``dossiers/tally.py``)."""
        after = Counted.of_row(self.row)
        facts = Facts(
            kind=kind,
            at=at,
            by_system=actor is None,
            before=self.counted,
            after=after,
            row=self.row,
            supplements=lambda: len(self.supplements),
            documents=self._documents,
            # The simulated accounts are opened by signing in with VNeID (``bulk/cast.py``).
            vneid=lambda: self.row.get("applicant_account_id") is not None,
        )
        for (day, name), n in count(facts, data).items():
            self.tally.bump_daily(day, *self._key(), name, by=n)
        self.counted = after
        self.history.append(kind, at=at, actor=self.province.actor(actor), **data)
        self.row["updated_at"] = self._changed_at = at

    def _documents(self) -> dict[str, bool]:
        """``tally._documents``: every document digitised; one reused."""
        return {
            "digitised": bool(self.documents) and all(d[6] for d in self.documents),
            "reusing": any(d[7] for d in self.documents),
        }

    def _add_hours(self, agency_id: int, start: dt.datetime, hours: Decimal | None) -> Any:
        """``clock.add_hours`` on the agency's calendar."""
        if hours is None:
            return None
        calendar = self.province.calendar(agency_id)
        return add_working_hours(calendar, start, dt.timedelta(hours=float(hours)))

    def _outcome(self, at: dt.datetime, due: dt.datetime | None, *, apologised: bool) -> str:
        """``clock.outcome_of``, comparing days in the zone looked up once."""
        if apologised:
            return Outcome.LATE
        if due is None:
            return Outcome.ON_TIME
        if at > due:
            return Outcome.LATE
        zone = self.province.zone
        if at.astimezone(zone).date() < due.astimezone(zone).date():
            return Outcome.EARLY
        return Outcome.ON_TIME

    def _current(self) -> Step | None:
        pk = self.row.get("current_step_id")
        return next((s for s in self.steps if s.pk == pk), None) if pk else None

    # ---- reception (actions/reception.py) -----------------------------------------------

    def create(
        self,
        *,
        procedure_id: int,
        desk_id: int,
        channel: str,
        applicant: Applicant,
        documents: list[tuple[str, int, int]],
        status: str,
        actor: int | None,
        at: dt.datetime,
        account: int | None = None,
        result_delivery: str = "desk",
        delivery_address: str = "",
        summary: str = "",
        competent_agency_id: int | None = None,
    ) -> None:
        """``reception._create``: the dossier, its documents (name, originals, copies) and
        the fees of its channel's method."""
        facts = self.province.procedures[procedure_id]
        procedure = facts.procedure
        desk = self.province.desks[desk_id]
        competent = self.province.competent_agency(procedure_id, desk_id, competent_agency_id)
        agency = self.province.agencies[desk.agency_id]
        fees = facts.fees_by_channel.get(channel, [])
        self.row = {
            "id": self.pk,
            "code": self._codes.dossier_code(
                agency.pk, agency.code, at.astimezone(self.province.zone).date()
            ),
            "procedure_id": procedure_id,
            "template_id": facts.template_id,
            "status": status,
            "resume_status": "",
            "applicant_kind": applicant.kind,
            "applicant_name": applicant.name.strip(),
            "applicant_folded": fold(applicant.name)[:255],
            "applicant_id_number": applicant.id_number.strip(),
            "applicant_phone": applicant.phone.strip(),
            "applicant_email": applicant.email.strip(),
            "applicant_address": applicant.address.strip(),
            "submitter_name": "",
            "submitter_phone": "",
            "summary": summary or procedure.name,
            "sets": 1,
            "channel": channel,
            "desk_id": desk_id,
            "receiving_agency_id": agency.pk,
            "competent_agency_id": competent,
            "unit_id": self.province.agencies[competent].unit_id,
            "cross_boundary": not self.province.within(desk_id, competent),
            "fast_track": procedure.fast_track,
            "origin_appointment": None,  # simulated dossiers come from desks and the portal
            "current_step_id": None,
            "current_agency_id": None,
            "assignee_id": None,
            "submitted_at": at,
            "received_at": None,
            "due_at": None,
            "original_due_at": None,
            "finished_at": None,
            "returned_at": None,
            "paused_at": None,
            "paused_seconds": 0,
            "outcome": "",
            "apologised": False,
            "deadline_flag": DeadlineFlag.NONE,
            "result_delivery": result_delivery,
            "delivery_address": delivery_address or applicant.address,
            "returned_via": "",
            "fee_total_vnd": sum(amount for _name, amount in fees),
            "paid_vnd": 0,
            "created_by_id": actor,
            "applicant_account_id": account,
            "created_at": at,
            "updated_at": at,
        }
        self.documents = [
            (self.pk, position, name, originals, copies, "", False, False, None)
            for position, (name, originals, copies) in enumerate(documents, start=1)
        ]
        self.fees = [(self.pk, name, amount) for name, amount in fees]

    def _start_clock(self, at: dt.datetime) -> None:
        """``reception._start_clock``: the due moment and the steps, the first one started."""
        facts = self.province.procedures[self.row["procedure_id"]]
        competent = self.row["competent_agency_id"]
        due = facts.statutory_due(self.row["channel"], at, self.province.calendar(competent))
        self.row.update(received_at=at, due_at=due, original_due_at=due)
        self.steps = [
            Step(
                pk=self._step_ids.take(),
                position=spec.position,
                name=spec.name,
                role=spec.role,
                agency_id=spec.agency_id or competent,
                allotted_hours=spec.hours,
            )
            for spec in facts.steps
        ]
        back = return_step(self.steps)  # type: ignore[arg-type]
        if back is not None:
            back.agency_id = self.row["receiving_agency_id"]
        first = self.steps[0] if self.steps else None
        if first is not None:
            first.agency_id = self.row["receiving_agency_id"]
            first.started_at = at
            first.due_at = self._add_hours(first.agency_id, at, first.allotted_hours)
        self.row["current_step_id"] = first.pk if first else None
        self.row["current_agency_id"] = first.agency_id if first else competent

    def receive(self, *, officer: int, at: dt.datetime) -> None:
        """``receive_dossier`` after ``create(status=received)``."""
        self._start_clock(at)
        self._event(
            "receive",
            at,
            officer,
            to_status=S.RECEIVED,
            channel=self.row["channel"],
            desk=self.province.desks[self.row["desk_id"]].name,
            due_at=self.row["due_at"],
            documents=[row[2] for row in self.documents],
        )
        self._opened(at)

    def _opened(self, at: dt.datetime) -> None:
        self._bump_daily(f"received_{self.row['channel']}", at)
        self._bump_open(overdue=self._overdue(), by=1)

    def submit(self, *, citizen: int | None, at: dt.datetime) -> None:
        """``submit_online`` after ``create(status=submitted)``."""
        self._event("submit", at, citizen, to_status=S.SUBMITTED, channel=self.row["channel"])

    def accept(self, *, officer: int, at: dt.datetime) -> None:
        """``accept_submission``."""
        previous = self.status
        self.row["status"] = S.RECEIVED
        self._start_clock(at)
        self._event(
            "receive",
            at,
            officer,
            from_status=previous,
            to_status=S.RECEIVED,
            due_at=self.row["due_at"],
        )
        self._opened(at)

    def refuse(self, *, officer: int, at: dt.datetime, reason: str) -> None:
        """``refuse_submission``, or ``refuse_at_desk`` after ``create(status=refused)``."""
        previous = "" if self.status == S.REFUSED else self.status
        self.row["status"] = S.REFUSED
        self._event("refuse", at, officer, from_status=previous, to_status=S.REFUSED, reason=reason)
        self._bump_daily("refused", at)
