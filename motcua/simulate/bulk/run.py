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

from django.db import transaction

from motcua.simulate.bulk.cast import BulkCast
from motcua.simulate.bulk.dossier import DossierDraft
from motcua.simulate.bulk.ledger import CodeBook, IdPool, Tally
from motcua.simulate.bulk.province import load_province
from motcua.simulate.bulk.replay import play
from motcua.simulate.bulk.rows import DOSSIER, DOSSIER_TABLES, SIMULATED_DOSSIER, STEP, Chunk
from motcua.simulate.bulk.sink import sink_for_connection
from motcua.simulate.cast import Cast, day_end
from motcua.simulate.models import SimulationRun
from motcua.simulate.plan import Plan
from motcua.simulate.stories import DossierStory
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


def _chunks(plan: Plan, size: int, progress: BulkProgress) -> Iterator[list[DossierStory]]:
    batch: list[DossierStory] = []
    for day in plan.days():
        batch.extend(day.dossiers)
        while len(batch) >= size:
            yield batch[:size]
            batch = batch[size:]
        progress.days += 1
    if batch:
        yield batch


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
    final_job = last_job(plan)
    progress = BulkProgress()
    for stories in _chunks(plan, chunk or CHUNK_RECORDS, progress):
        rows = Chunk()
        with transaction.atomic():
            accounts = cast.open_accounts(s.applicant for s in stories)
            for story in stories:
                draft = DossierDraft(
                    province, pk=dossier_ids.take(), steps_ids=step_ids, codes=codes, tally=tally
                )
                play(story, draft, lambda actor, s: cast.user_for(actor, s.applicant))
                draft.finish(final_job)
                rows.add_dossier(draft)
                rows.rows[SIMULATED_DOSSIER].append((draft.pk, run.pk))
            rows.write(sink, DOSSIER_TABLES)
            tally.flush()
            codes.flush(sink)
        progress.dossiers += rows.records
        progress.changes += rows.changes
        progress.rows += rows.row_count() + accounts
        progress.seconds = time.perf_counter() - started
        if tick is not None:
            tick(progress)
    progress.seconds = time.perf_counter() - started
    return progress
