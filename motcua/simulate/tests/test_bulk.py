"""``simulate --bulk`` writes what the actions would: chains that verify, counters equal to a
recount, code sequences a later reception continues, and for the same story the same
dossier, steps, events and counters as the run through the actions."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Model, Sum

from motcua.dossiers.counters import differences
from motcua.dossiers.models import (
    AgencyDayCounter,
    AgencyMonthCounter,
    AgencyOpenCounter,
    Apology,
    DailyCounter,
    Dossier,
    DossierResult,
    DossierStep,
    OpenCounter,
    Payment,
    ProcessingTimeDayCounter,
    ProcessingTimeMonthCounter,
    Rating,
    StepTimeDayCounter,
    StepTimeMonthCounter,
    SupplementRequest,
)
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import counters as hotline_counters
from motcua.hotline.models import (
    AnswerHoursDayCounter,
    AnswerHoursMonthCounter,
    PublicAnswer,
    Ticket,
    TicketDayCounter,
    TicketMessage,
    TicketMonthCounter,
)
from motcua.simulate.bulk.run import BulkProgress
from motcua.simulate.models import (
    RunStatus,
    SimulatedDossier,
    SimulatedTicket,
    SimulationRun,
)
from motcua.simulate.profile import Profile
from motcua.simulate.runs import RealDataError, simulate

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)
BUSY = Profile(
    arrivals_per_day=8,
    tickets_per_day=5,
    supplement_share=0.4,
    payment_share=0.4,
    late_share=0.3,
    refusal_share=0.1,
    withdrawal_share=0.1,
    rating_share=0.8,
    pickup_hours=2,
    # Feedback and petitions often enough to decline, ask for details and publish some.
    ticket_kinds={"question": 0.4, "feedback": 0.4, "petition": 0.2},
    ticket_decline_share=0.25,
    ticket_ask_share=0.3,
    ticket_publish_share=0.9,
)


def test_a_bulk_week_verifies_and_its_counters_match_a_recount() -> None:
    run, progress = simulate(mode="bulk", start=MONDAY, days=4, seed=5, profile=BUSY)
    assert run.status == RunStatus.FINISHED
    assert run.dossiers == Dossier.objects.count() == SimulatedDossier.objects.count() > 20
    assert isinstance(progress, BulkProgress) and progress.rows > run.dossiers * 5
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {DossierStatus.RETURNED, DossierStatus.IN_PROGRESS, DossierStatus.REFUSED} <= statuses
    assert Payment.objects.exists() and SupplementRequest.objects.exists()
    assert run.tickets == Ticket.objects.count() == SimulatedTicket.objects.count() > 10
    call_command("verify_audit", stdout=StringIO())
    assert differences() == []
    assert hotline_counters.differences() == []
    # The feedback indicators were drawn, kept and agree with the recount above.
    kept = TicketMonthCounter.objects.aggregate(
        **{name: Sum(name) for name in ("handled", "declined", "asked", "published")}
    )
    assert all(kept.values()), kept
    assert PublicAnswer.objects.filter(ticket__isnull=False).count() == kept["published"]
    # Where the time goes: steps measured, pauses left out, results timed, all recounted.
    assert StepTimeDayCounter.objects.filter(steps__gt=0).exists()
    assert ProcessingTimeMonthCounter.objects.filter(dossiers__gt=0).exists()
    assert DossierStep.objects.filter(paused_seconds__gt=0, working_seconds__isnull=False).exists()


def test_a_reception_after_a_bulk_run_takes_the_next_code(received: Any) -> None:
    simulate(mode="bulk", start=MONDAY, days=1, seed=3, profile=BUSY)
    bulk_codes = set(Dossier.objects.values_list("code", flat=True))
    dossier = received(when=dt.datetime(2026, 3, 2, 16, 30, tzinfo=dt.UTC))
    assert dossier.code not in bulk_codes
    same_desk_today = sorted(c for c in bulk_codes if c.rsplit("-", 1)[0] == dossier.code[:-5])
    if same_desk_today:
        assert int(dossier.code[-4:]) == int(same_desk_today[-1][-4:]) + 1


def test_an_interrupted_bulk_run_keeps_whole_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("motcua.simulate.bulk.run.CHUNK_RECORDS", 10)

    def interrupt(progress: Any) -> None:
        if progress.dossiers + progress.tickets == 20:  # the second chunk has committed
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        simulate(mode="bulk", start=MONDAY, days=4, seed=5, profile=BUSY, tick=interrupt)
    run = SimulationRun.objects.get()
    assert run.status == RunStatus.INTERRUPTED
    assert run.dossiers + run.tickets == Dossier.objects.count() + Ticket.objects.count()
    call_command("verify_audit", stdout=StringIO())
    assert differences() == []
    assert hotline_counters.differences() == []


def test_real_data_is_not_bulk_written_over(received: Any) -> None:
    received()
    with pytest.raises(RealDataError):
        simulate(mode="bulk", start=MONDAY, days=1, seed=1, profile=BUSY)
    arguments = ["--bulk", "--start", "02/03/2026", "--days", "1", "--verbosity", "0"]
    with pytest.raises(CommandError, match="--allow-real-data"):
        call_command("simulate", *arguments, "--arrivals-per-day", "3")
    out = StringIO()
    call_command("simulate", *arguments, "--arrivals-per-day", "3", "--allow-real-data", stdout=out)
    assert "dòng/giây" in out.getvalue()


# ---- the same stories both ways ------------------------------------------------------------

SKIPPED = {"id", "code", "lookup_secret", "created_at", "updated_at", "event_head", "current_step"}


def _story_key(dossier: Dossier) -> tuple[object, ...]:
    return (dossier.applicant_id_number, dossier.procedure_id, dossier.submitted_at)


def _portrait(dossier: Dossier) -> dict[str, object]:
    """Everything the actions wrote for a dossier, without ids and codes."""
    fields = {
        f.attname: getattr(dossier, f.attname)
        for f in Dossier._meta.concrete_fields
        if f.name not in SKIPPED
    }
    current = dossier.current_step.position if dossier.current_step else None
    return {
        **fields,
        "current_step": current,
        "steps": list(
            dossier.steps.order_by("position").values(
                "position",
                "name",
                "role",
                "agency_id",
                "allotted_hours",
                "started_at",
                "due_at",
                "finished_at",
                "outcome",
                "handled_by_id",
                "note",
                "paused_seconds",
                "waiting_seconds",
                "working_seconds",
            )
        ),
        "events": list(
            dossier.events.order_by("seq").values(
                "seq",
                "kind",
                "at",
                "actor_id",
                "actor_name",
                "from_status",
                "to_status",
                "data",
                "key_id",
            )
        ),
        "documents": list(
            dossier.documents.order_by("position").values(
                "position", "name", "originals", "copies", "digitised", "reused"
            )
        ),
        "fees": sorted(dossier.fees.values_list("name", "amount_vnd")),
        **{
            name: _rows(model, dossier)
            for name, model in (
                ("supplements", SupplementRequest),
                ("payments", Payment),
                ("apologies", Apology),
                ("results", DossierResult),
                ("ratings", Rating),
            )
        },
    }


def _rows(model: type[Model], dossier: Dossier) -> list[dict[str, object]]:
    skip = {"id", "dossier", "issued_at"}
    names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
    return list(model._default_manager.filter(dossier=dossier).order_by("pk").values(*names))


COUNTERS: tuple[type[Model], ...] = (
    DailyCounter,
    AgencyDayCounter,
    AgencyMonthCounter,
    OpenCounter,
    AgencyOpenCounter,
    TicketDayCounter,
    TicketMonthCounter,
    AnswerHoursDayCounter,
    AnswerHoursMonthCounter,
    StepTimeDayCounter,
    StepTimeMonthCounter,
    ProcessingTimeDayCounter,
    ProcessingTimeMonthCounter,
)


def _ticket_portrait(ticket: Ticket) -> dict[str, object]:
    skip = {"id", "code", "event_head", "contact"}
    fields = {
        f.attname: getattr(ticket, f.attname)
        for f in Ticket._meta.concrete_fields
        if f.name not in skip
    }
    events = list(
        ticket.events.order_by("seq").values(
            "seq", "kind", "at", "actor_id", "actor_name", "from_status", "to_status", "data"
        )
    )
    for event in events:  # the ids of the contact and the messages differ
        event["data"] = {
            k: v
            for k, v in event["data"].items()
            if k not in {"contact", "message", "public_answer"}
        }
    messages = list(
        TicketMessage.objects.filter(ticket=ticket)
        .order_by("at", "pk")
        .values("direction", "channel", "body", "at", "author_id", "author_name", "recipient")
    )
    for message in messages:  # a decline names the ticket, whose code differs
        message["body"] = message["body"].replace(ticket.code, "<code>")
    return {**fields, "events": events, "messages": messages}


def _counter_values() -> dict[tuple[object, ...], tuple[int, ...]]:
    """Every kept counter row: (table, key…) → its counts, zeros left out."""
    kept = {}
    for model in COUNTERS:
        key = list(model.KEY)  # type: ignore[attr-defined]
        counts = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in key and not f.primary_key
        ]
        for row in model.objects.values_list(*key, *counts):
            if any(row[len(key) :]):
                kept[(model.__name__, *row[: len(key)])] = tuple(row[len(key) :])
    return kept


def test_bulk_rows_are_those_the_actions_write_for_the_same_stories() -> None:
    actions_run, _progress = simulate(
        mode="through_actions", start=MONDAY, days=3, seed=11, profile=BUSY
    )
    through = {
        _story_key(d): _portrait(d)
        for d in Dossier.objects.filter(pk__in=SimulatedDossier.objects.values("dossier_id"))
    }
    through_tickets = {
        (t.contact.phone, t.received_at): _ticket_portrait(t)
        for t in Ticket.objects.select_related("contact")
    }
    counted = _counter_values()
    simulate(mode="bulk", start=MONDAY, days=3, seed=11, profile=BUSY, allow_real_data=True)
    written = {
        _story_key(d): _portrait(d)
        for d in Dossier.objects.filter(
            pk__in=SimulatedDossier.objects.exclude(run=actions_run).values("dossier_id")
        )
    }
    assert len(through) == actions_run.dossiers > 15
    assert written.keys() == through.keys()
    for key, portrait in through.items():
        assert written[key] == portrait, key
    written_tickets = {
        (t.contact.phone, t.received_at): _ticket_portrait(t)
        for t in Ticket.objects.select_related("contact").filter(
            pk__in=SimulatedTicket.objects.exclude(run=actions_run).values("ticket_id")
        )
    }
    assert len(through_tickets) == actions_run.tickets > 8
    steps = {e["kind"] for p in through_tickets.values() for e in p["events"]}  # type: ignore[attr-defined]
    assert {"decline", "ask_details", "publish"} <= steps, sorted(steps)
    assert written_tickets == through_tickets
    # Both runs added the same to every counter: each kept count doubled.
    assert _counter_values() == {key: tuple(2 * n for n in v) for key, v in counted.items()}
    assert differences() == []
    assert hotline_counters.differences() == []


def test_the_command_writes_about_the_dossiers_asked_for() -> None:
    with clock(at(2026, 3, 9, 8, 0)):  # a Monday: the five days before hold three working days
        call_command(
            "simulate", "--bulk", "--dossiers", "60", "--arrivals-per-day", "20",
            "--tickets-per-day", "2", "--verbosity", "0", stdout=StringIO(),
        )  # fmt: skip
    run = SimulationRun.objects.get()
    assert run.mode == "bulk" and run.start == dt.date(2026, 3, 4) and run.days == 5
    assert 48 <= run.dossiers <= 72  # three working days of 20, each within ±20%
    call_command("verify_audit", stdout=StringIO())
    assert differences() == []
