"""``simulate --bulk``: the plan's stories written as rows, a chunk at a time
(docs/simulate.md "Bulk mode").

Stories are drawn day by day from the plan and never all held: a chunk of a few thousand
records is built in memory, written in one transaction with its counters, code sequences,
accounts and run links, and dropped, so memory stays flat at ten million dossiers.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction

from motcua.core import partitions
from motcua.hotline.counters import share
from motcua.hotline.models import Ticket
from motcua.simulate.bulk.cast import BulkCast, Contacts, sender_of
from motcua.simulate.bulk.dossier import DossierDraft
from motcua.simulate.bulk.ledger import CodeBook, IdPool, Tally
from motcua.simulate.bulk.province import load_province
from motcua.simulate.bulk.replay import play, play_ticket
from motcua.simulate.bulk.rows import (
    DOSSIER,
    DOSSIER_TABLES,
    MESSAGE,
    PUBLIC_ANSWER,
    SIMULATED_DOSSIER,
    STEP,
    TICKET,
    Chunk,
)
from motcua.simulate.bulk.sink import sink_for_connection
from motcua.simulate.bulk.ticket import TicketDraft
from motcua.simulate.cast import Cast, day_end
from motcua.simulate.models import SimulationRun
from motcua.simulate.plan import Plan
from motcua.simulate.stories import DossierStory, TicketStory
from motcua.simulate.through_actions import Progress

CHUNK_RECORDS = 2_000


@dataclass
class BulkProgress(Progress):
    """What a run did so far, and the rows it wrote (every table, counters apart)."""

    rows: int = 0
    seconds: float = 0.0

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


Tick = Callable[[Progress], None]


Story = DossierStory | TicketStory


def _chunks(plan: Plan, size: int, progress: BulkProgress) -> Iterator[list[Story]]:
    batch: list[Story] = []
    for day in plan.days():
        batch.extend(day.dossiers)
        batch.extend(day.tickets)
        while len(batch) >= size:
            yield batch[:size]
            batch = batch[size:]
        progress.days += 1
    if batch:
        yield batch


def _arrival_day(story: Story, zone: dt.tzinfo) -> dt.date:
    moment = story.arrives_at if isinstance(story, DossierStory) else story.received_at
    return moment.astimezone(zone).date()


def last_job(plan: Plan) -> dt.datetime:
    """The deadline job's last run in the plan: the end of its last day, or the horizon."""
    last_day = plan.end - dt.timedelta(days=1)
    return min(day_end(last_day, plan.world), plan.horizon)


def write_bulk(
    plan: Plan, run: SimulationRun, tick: Tick | None = None, *, chunk: int | None = None
) -> BulkProgress:
    """Write every story of ``plan`` for ``run``; each chunk commits on its own, so a run
    interrupted keeps the chunks before it, whole."""
    started = time.perf_counter()
    sink = sink_for_connection()
    province = load_province()
    cast = BulkCast(sink, province, Cast(plan.world, plan.seed))
    codes, tally = CodeBook(), Tally()
    dossier_ids, step_ids = IdPool(sink, DOSSIER), IdPool(sink, STEP)
    ticket_ids, message_ids = IdPool(sink, TICKET), IdPool(sink, MESSAGE)
    answer_ids = IdPool(sink, PUBLIC_ANSWER)
    contacts = Contacts(sink)
    event_tables = partitions.event_tables() if connection.vendor == "postgresql" else []
    final_job = last_job(plan)
    progress = BulkProgress()
    for stories in _chunks(plan, chunk or CHUNK_RECORDS, progress):
        dossiers = [s for s in stories if isinstance(s, DossierStory)]
        tickets = [s for s in stories if isinstance(s, TicketStory)]
        rows = Chunk()
        with transaction.atomic():
            written = cast.open_accounts(s.applicant for s in dossiers)
            partitioned = [t for t in event_tables if partitions.is_partitioned(t)]
            for story in dossiers:
                draft = DossierDraft(
                    province, pk=dossier_ids.take(), steps_ids=step_ids, codes=codes, tally=tally
                )
                play(story, draft, lambda actor, s: cast.user_for(actor, s.applicant))
                draft.finish(final_job)
                rows.add_dossier(draft)
                rows.rows[SIMULATED_DOSSIER].append((draft.pk, run.pk))
            found, contacts_written = contacts.open(tickets)
            written += contacts_written
            for ticket in tickets:
                contact = found[ticket.key]
                sender, email = sender_of(ticket)
                ticket_draft = TicketDraft(
                    province,
                    pk=ticket_ids.take(),
                    message_ids=message_ids,
                    codes=codes,
                    contact_id=contact,
                    recipient=sender or email,
                    answer_ids=answer_ids,
                    contact_name=ticket.contact_name,
                )
                play_ticket(ticket, ticket_draft, lambda actor: cast.user_for(actor, None))
                ticket_draft.finish(final_job)
                rows.add_ticket(ticket_draft, run.pk)
                tally.add_ticket(share(Ticket(**ticket_draft.row)))
            for table in partitioned:
                # Events go to the partition of their record's id: the ids this chunk took
                # must have theirs (core/partitions.py).
                partitions.extend(table)
            rows.write(sink, DOSSIER_TABLES)
            tally.flush(sink)
            codes.flush(sink)
        codes.forget_before(_arrival_day(stories[-1], province.zone))
        progress.dossiers += rows.records
        progress.tickets += rows.tickets
        progress.changes += rows.changes
        progress.rows += rows.row_count() + written
        progress.seconds = time.perf_counter() - started
        if tick is not None:
            tick(progress)
    progress.seconds = time.perf_counter() - started
    return progress
