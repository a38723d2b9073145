"""The tables a chunk of dossiers fills, and the chunk itself (docs/simulate.md "Bulk mode")."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from motcua.dossiers.models import (
    Apology,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFee,
    DossierResult,
    DossierStep,
    Payment,
    Rating,
    SupplementRequest,
)
from motcua.dossiers.models.dossier import new_lookup_secret
from motcua.hotline.models import PublicAnswer, Ticket, TicketEvent, TicketMessage
from motcua.simulate.bulk.chains import event_table
from motcua.simulate.bulk.dossier import DossierDraft
from motcua.simulate.bulk.sink import Sink, Table
from motcua.simulate.bulk.ticket import TicketDraft
from motcua.simulate.models import SimulatedDossier, SimulatedTicket

DOSSIER = Table.of(Dossier, *(f.column for f in Dossier._meta.concrete_fields))
STEP = Table.of(
    DossierStep,
    "id",
    "dossier_id",
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
DOCUMENT = Table.of(
    DossierDocument,
    "dossier_id",
    "position",
    "name",
    "originals",
    "copies",
    "file",
    "digitised",
    "reused",
    "supplement_id",
)
FEE = Table.of(DossierFee, "dossier_id", "name", "amount_vnd")
SUPPLEMENT = Table.of(
    SupplementRequest,
    "dossier_id",
    "requested_at",
    "requested_by_id",
    "reason",
    "items",
    "completed_at",
    "paused_seconds",
    "due_before",
    "due_after",
)
PAYMENT = Table.of(Payment, "dossier_id", "amount_vnd", "reference", "paid_at", "recorded_by_id")
APOLOGY = Table.of(Apology, "dossier_id", "at", "by_id", "reason", "due_before", "due_after")
RESULT = Table.of(DossierResult, "dossier_id", "name", "number", "file", "issued_at")
RATING = Table.of(Rating, "dossier_id", "citizen_id", "level", "answers", "comment", "rated_at")
DOSSIER_EVENT = event_table(DossierEvent)
SIMULATED_DOSSIER = Table.of(SimulatedDossier, "dossier_id", "run_id")
TICKET = Table.of(Ticket, *(f.column for f in Ticket._meta.concrete_fields))
MESSAGE = Table.of(TicketMessage, *(f.column for f in TicketMessage._meta.concrete_fields))
TICKET_EVENT = event_table(TicketEvent)
PUBLIC_ANSWER = Table.of(PublicAnswer, *(f.column for f in PublicAnswer._meta.concrete_fields))
SIMULATED_TICKET = Table.of(SimulatedTicket, "ticket_id", "run_id")

# The order rows are written in: a row's foreign keys before it where they are not deferred.
DOSSIER_TABLES = (
    DOSSIER,
    STEP,
    DOCUMENT,
    FEE,
    SUPPLEMENT,
    PAYMENT,
    APOLOGY,
    RESULT,
    RATING,
    DOSSIER_EVENT,
    SIMULATED_DOSSIER,
    TICKET,
    MESSAGE,
    TICKET_EVENT,
    PUBLIC_ANSWER,
    SIMULATED_TICKET,
)


class Chunk:
    """Rows of whole records, written in one transaction."""

    def __init__(self) -> None:
        self.rows: dict[Table, list[tuple[Any, ...]]] = defaultdict(list)
        self.records = 0
        self.changes = 0  # events
        self.tickets = 0

    def add_dossier(self, draft: DossierDraft) -> None:
        row = draft.row
        row.setdefault("lookup_secret", new_lookup_secret())
        self.rows[DOSSIER].append(tuple(row[c] for c in DOSSIER.columns))
        self.rows[STEP].extend(
            (
                s.pk,
                draft.pk,
                s.position,
                s.name,
                s.role,
                s.agency_id,
                s.allotted_hours,
                s.started_at,
                s.due_at,
                s.finished_at,
                s.outcome,
                s.handled_by_id,
                s.note,
                s.paused_seconds,
                s.waiting_seconds,
                s.working_seconds,
            )
            for s in draft.steps
        )
        self.rows[DOCUMENT].extend(draft.documents)
        self.rows[FEE].extend(draft.fees)
        self.rows[SUPPLEMENT].extend(
            (
                draft.pk,
                r["requested_at"],
                r["requested_by_id"],
                r["reason"],
                json.dumps(r["items"], ensure_ascii=False),
                r["completed_at"],
                r["paused_seconds"],
                r["due_before"],
                r["due_after"],
            )
            for r in draft.supplements
        )
        self.rows[PAYMENT].extend(draft.payments)
        self.rows[APOLOGY].extend(draft.apologies)
        self.rows[RESULT].extend(draft.results)
        if draft.rating is not None:
            pk, citizen, level, answers, comment, at = draft.rating
            self.rows[RATING].append(
                (pk, citizen, level, json.dumps(answers, ensure_ascii=False), comment, at)
            )
        self.rows[DOSSIER_EVENT].extend(draft.history.rows)
        self.records += 1
        self.changes += draft.history.seq

    def add_ticket(self, draft: TicketDraft, run_id: int) -> None:
        self.rows[TICKET].append(tuple(draft.row[c] for c in TICKET.columns))
        self.rows[MESSAGE].extend(tuple(m[c] for c in MESSAGE.columns) for m in draft.messages)
        self.rows[TICKET_EVENT].extend(draft.history.rows)
        self.rows[PUBLIC_ANSWER].extend(
            tuple(p[c] for c in PUBLIC_ANSWER.columns) for p in draft.publications
        )
        self.rows[SIMULATED_TICKET].append((draft.pk, run_id))
        self.tickets += 1
        self.changes += draft.history.seq

    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def write(self, sink: Sink, order: tuple[Table, ...]) -> None:
        for table in order:
            sink.write(table, self.rows.get(table, []))
        extra = [t for t in self.rows if t not in order]
        for table in extra:
            sink.write(table, self.rows[table])
