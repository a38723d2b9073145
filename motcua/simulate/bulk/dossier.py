"""The dossier actions after reception, mirrored in memory (docs/simulate.md "Bulk mode"):
processing (``actions/processing.py``), results and rating (``actions/results.py``,
``actions/rating.py``), each with the same columns, steps, event data and counters as the
action, on a ``reception.DossierBase``."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from motcua.dossiers.clock import flag_for
from motcua.dossiers.permissions import next_step, return_step
from motcua.dossiers.status import ACTIVE, PAUSED
from motcua.dossiers.time_counters import processing_figures, step_figures, working_seconds
from motcua.simulate.bulk.reception import DossierBase, S, Step
from motcua.workcalendar.hours import postpone, working_hours_between


class DossierDraft(DossierBase):
    # ---- processing (actions/processing.py) ---------------------------------------------

    def _finish_step(self, *, actor: int | None, at: dt.datetime, note: str = "") -> None:
        step = self._current()
        if step is None or step.finished_at is not None:
            return
        step.finished_at = at
        step.outcome = self._outcome(at, step.due_at, apologised=False)
        step.handled_by_id = actor
        step.note = note
        self._count_step(step, at)

    def _acted(self, step: Step | None, at: dt.datetime) -> None:
        """``time_counters.step_acted``: the first act ends the step's waiting."""
        if step is None or step.started_at is None or step.waiting_seconds is not None:
            return
        calendar = self.province.calendar(step.agency_id)
        step.waiting_seconds = working_seconds(calendar, step.started_at, at)

    def _count_step(self, step: Step, at: dt.datetime) -> None:
        """``time_counters.count_step``."""
        if step.started_at is None:
            return
        self._acted(step, at)
        elapsed = working_seconds(self.province.calendar(step.agency_id), step.started_at, at)
        step.working_seconds = max(0, elapsed - step.paused_seconds)
        self.tally.time.add_step(
            *step_figures(
                day=at.astimezone(self.province.zone).date(),
                agency_id=step.agency_id,
                procedure_id=self.row["procedure_id"],
                position=step.position,
                name=step.name,
                role=step.role,
                allotted_hours=step.allotted_hours,
                outcome=step.outcome,
                working=step.working_seconds,
                waiting=step.waiting_seconds or 0,
            )
        )

    def _count_processing(self, at: dt.datetime) -> int | None:
        """``time_counters.count_processing``."""
        received = self.row["received_at"]
        if received is None:
            return None
        calendar = self.province.calendar(self.row["competent_agency_id"])
        seconds = max(0, working_seconds(calendar, received, at) - self.row["paused_seconds"])
        self.tally.time.add_processing(
            *processing_figures(
                day=at.astimezone(self.province.zone).date(),
                agency_id=self.row["competent_agency_id"],
                procedure_id=self.row["procedure_id"],
                seconds=seconds,
            )
        )
        return seconds

    def _start_step(self, step: Step, at: dt.datetime) -> None:
        step.started_at = at
        step.due_at = self._add_hours(step.agency_id, at, step.allotted_hours)
        self.row.update(current_step_id=step.pk, current_agency_id=step.agency_id, assignee_id=None)

    def forward(self, *, officer: int, at: dt.datetime, note: str = "") -> None:
        following = next_step(self.steps)  # type: ignore[arg-type]
        if following is None:
            raise ValueError(f"{self.row['code']}: no step to forward to")
        assert isinstance(following, Step)
        previous_step = self._current()
        agencies = self.province.agencies
        self._finish_step(actor=officer, at=at, note=note)
        self._start_step(following, at)
        previous = self.status
        self.row["status"] = S.IN_PROGRESS
        self._event(
            "forward",
            at,
            officer,
            from_status=previous,
            to_status=S.IN_PROGRESS,
            from_step=previous_step.name if previous_step else "",
            from_agency=agencies[previous_step.agency_id].name if previous_step else "",
            to_step=following.name,
            to_agency=agencies[following.agency_id].name,
            planned_agency=agencies[following.agency_id].name,
            step_due_at=following.due_at,
            step_outcome=previous_step.outcome if previous_step else "",
            note=note,
        )

    def _pause(self, at: dt.datetime, target: str) -> str:
        self._acted(self._current(), at)  # an officer asks: the step's waiting ends
        previous = self.status
        self.row.update(resume_status=previous, status=target, paused_at=at)
        return previous

    def _resume(self, at: dt.datetime) -> int:
        """``clock.resume_clock``."""
        paused_from = self.row["paused_at"] or at
        competent = self.row["competent_agency_id"]
        calendar = self.province.calendar(competent)
        paused = working_hours_between(calendar, paused_from, at)
        if self.row["due_at"] is not None:
            self.row["due_at"] = postpone(calendar, self.row["due_at"], paused)
        step = self._current()
        if step is not None and step.finished_at is None:
            step_calendar = self.province.calendar(step.agency_id)
            step_paused = working_hours_between(step_calendar, paused_from, at)
            step.paused_seconds += int(step_paused.total_seconds())
            if step.due_at is not None:
                step.due_at = postpone(step_calendar, step.due_at, step_paused)
        seconds = int(paused.total_seconds())
        self.row["paused_seconds"] += seconds
        self.row["paused_at"] = None
        self.row["status"] = self.row["resume_status"] or S.IN_PROGRESS
        self.row["resume_status"] = ""
        self._set_flag(flag_for(self.row["due_at"], at))
        return seconds

    def request_supplement(
        self, *, officer: int, at: dt.datetime, reason: str, items: list[str], note: str = ""
    ) -> None:
        previous = self._pause(at, S.SUPPLEMENT_REQUESTED)
        self.supplements.append(
            {
                "requested_at": at,
                "requested_by_id": officer,
                "reason": reason,
                "items": items,
                "completed_at": None,
                "paused_seconds": 0,
                "due_before": self.row["due_at"] or at,
                "due_after": None,
            }
        )
        self._event(
            "request_supplement",
            at,
            officer,
            from_status=previous,
            to_status=self.status,
            reason=reason,
            items=items,
            note=note,
        )

    def complete_supplement(self, *, officer: int | None, at: dt.datetime, note: str = "") -> None:
        previous = self.status
        due_before = self.row["due_at"]
        seconds = self._resume(at)
        request = next((r for r in reversed(self.supplements) if r["completed_at"] is None), None)
        if request is not None:
            request.update(completed_at=at, paused_seconds=seconds, due_after=self.row["due_at"])
        self._event(
            "complete_supplement",
            at,
            officer,
            from_status=previous,
            to_status=self.status,
            paused_seconds=seconds,
            due_before=due_before,
            due_at=self.row["due_at"],
            note=note,
        )

    def request_payment(
        self, *, officer: int, at: dt.datetime, amount_vnd: int | None = None, note: str = ""
    ) -> None:
        due = (
            amount_vnd
            if amount_vnd is not None
            else self.row["fee_total_vnd"] - self.row["paid_vnd"]
        )
        if amount_vnd is not None:
            self.row["fee_total_vnd"] = self.row["paid_vnd"] + amount_vnd
        previous = self._pause(at, S.AWAITING_PAYMENT)
        self._event(
            "request_payment",
            at,
            officer,
            from_status=previous,
            to_status=self.status,
            amount_vnd=due,
            note=note,
        )

    def record_payment(
        self,
        *,
        officer: int | None,
        at: dt.datetime,
        amount_vnd: int,
        reference: str,
        note: str = "",
    ) -> None:
        self.payments.append((self.pk, amount_vnd, reference, at, officer))
        self.row["paid_vnd"] += amount_vnd
        previous = self.status
        if self.row["paid_vnd"] >= self.row["fee_total_vnd"]:
            self._resume(at)
        self._event(
            "record_payment",
            at,
            officer,
            from_status=previous,
            to_status=self.status,
            amount_vnd=amount_vnd,
            reference=reference,
            due_at=self.row["due_at"],
            note=note,
        )

    def end(self, kind: str, *, officer: int | None, at: dt.datetime, reason: str) -> None:
        """``stop_processing`` (kind "stop") or ``withdraw_dossier`` ("withdraw")."""
        previous = self.status
        counted = previous in ACTIVE
        if counted:
            self._bump_open(overdue=self._overdue(), by=-1)
        self.row["status"] = S.STOPPED if kind == "stop" else S.WITHDRAWN
        self.row.update(finished_at=at, paused_at=None)
        self._event(kind, at, officer, from_status=previous, to_status=self.status, reason=reason)
        if counted:
            self._bump_daily("stopped" if kind == "stop" else "withdrawn", at)

    def apologise(
        self, *, officer: int, at: dt.datetime, reason: str, new_due_at: dt.datetime, note: str = ""
    ) -> None:
        due_before = self.row["due_at"]
        self.apologies.append((self.pk, at, officer, reason, due_before or at, new_due_at))
        self.row.update(due_at=new_due_at, apologised=True)
        if self.status not in PAUSED:
            self._set_flag(flag_for(new_due_at, at))
        self._event(
            "apologise",
            at,
            officer,
            reason=reason,
            due_before=due_before,
            due_at=new_due_at,
            note=note,
        )

    # ---- results (actions/results.py, actions/rating.py) ---------------------------------

    def mark_result_ready(self, *, officer: int, at: dt.datetime, note: str = "") -> None:
        previous = self.status
        self._finish_step(actor=officer, at=at, note=note)
        back = return_step(self.steps)  # type: ignore[arg-type]
        if isinstance(back, Step) and back.started_at is None:
            back.agency_id = self.row["receiving_agency_id"]
            self._start_step(back, at)
        self._bump_open(overdue=self._overdue(), by=-1)
        outcome = self._outcome(at, self.row["due_at"], apologised=self.row["apologised"])
        working = self._count_processing(at)
        self.row.update(status=S.RESULT_READY, finished_at=at, outcome=outcome)
        names = self.province.procedures[self.row["procedure_id"]].result_names[:1]
        names = names or [_("Kết quả giải quyết")]
        self.results = [(self.pk, name, "", "", at) for name in names]
        self._event(
            "mark_result_ready",
            at,
            officer,
            from_status=previous,
            to_status=S.RESULT_READY,
            outcome=outcome,
            due_at=self.row["due_at"],
            results=[{"name": name, "sha256": ""} for name in names],
            working_seconds=working,
            note=note,
        )
        self._bump_daily(f"finished_{outcome}", at)

    def return_result(
        self, *, officer: int, at: dt.datetime, via: str = "", note: str = ""
    ) -> None:
        previous = self.status
        self._finish_step(actor=officer, at=at, note=note)
        self.row.update(
            status=S.RETURNED,
            returned_at=at,
            returned_via=via or self.row["result_delivery"],
            current_agency_id=None,
        )
        self._event(
            "return_result",
            at,
            officer,
            from_status=previous,
            to_status=S.RETURNED,
            via=self.row["returned_via"],
            note=note,
        )
        self._bump_daily("returned", at)

    def rate(self, *, citizen: int, at: dt.datetime, level: str, comment: str = "") -> None:
        answers = [
            {"criterion": pk, "text": text, "level": level} for pk, text in self.province.criteria
        ]
        self.rating = (self.pk, citizen, level, answers, comment, at)
        self._event(
            "rate",
            at,
            citizen,
            level=level,
            answers=[{"criterion": a["criterion"], "level": a["level"]} for a in answers],
        )
        self._bump_daily(f"rated_{level}", at)

    def finish(self, last_job: dt.datetime) -> None:
        """The state at the plan's horizon: the deadline job's last run (``last_job``) has
        seen the dossier, and the chain head is on the row."""
        if self._changed_at is None or last_job > self._changed_at:
            self.flag_as_of(last_job)
        self.row.update(event_seq=self.history.seq, event_head=self.history.head)
