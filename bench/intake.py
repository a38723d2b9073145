"""Receptions per second through ``receive_dossier`` against plain SQL writing the same rows.

Run (PostgreSQL only)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/intake.py --n 100

A fresh database ``bench_intake_<pid>`` is created beside ``DATABASE_URL`` on that server and
dropped at the end; the demo province is seeded. Then ``--n`` dossiers of 1.000426
(Department of Justice) are received at the provincial centre by its receptionist, each
twice in turn:

- through the action, as the reception screen (``dossiers/views/reception.py``) calls it: the
  applicant and reception forms are filled from the same fields the desk posts (every
  checklist document ticked, one original each) and ``receive_dossier`` runs in its own
  transaction, with the procedure and desk as the screen loads them;
- through psycopg on a second connection, one transaction writing the same rows as the
  reception just made: the code's daily sequence, the dossier, its documents, fees and steps,
  the first step made current, the reception event, the day's and the in-progress counters.

Filling the forms and reading the rows to copy are not timed; the first ten dossiers warm
the caches (and create the day's sequence and counter rows) and are not counted. Prints the
mean milliseconds per dossier both ways, the action's statements per dossier (transaction
control — BEGIN, COMMIT, savepoints — apart) broken down by statement kind and table, and
ends with one JSON line; ``ratio_vs_raw_insert`` is ``dossiers_per_s / sql_per_s``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _database import fresh_database

WARMUP = 10
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
TABLE = re.compile(r'^(?:SELECT\b.*?\bFROM|INSERT INTO|UPDATE|DELETE FROM)\s+"(\w+)"', re.S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="dossiers received each way")
    args = parser.parse_args()
    drop = fresh_database("intake", postgres_only=True)
    try:
        run(args.n)
    finally:
        drop()


def statement(sql: str) -> tuple[str, str]:
    """(kind, table) of one logged statement: ``("SELECT", "org_agency")``."""
    kind = sql.split(None, 1)[0].upper()
    found = TABLE.match(sql)
    return kind, found.group(1) if found else ""


class RawWriter:
    """Writes a copy of one reception's rows with psycopg, in one transaction."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self.columns = {
            table: self._columns(table)
            for table in (
                "dossiers_dossier",
                "dossiers_dossierdocument",
                "dossiers_dossierfee",
                "dossiers_dossierstep",
                "dossiers_dossierevent",
            )
        }
        self.statements = 0
        self.written: list[int] = []

    def _columns(self, table: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " AND column_name <> 'id' AND is_generated = 'NEVER' ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        self.conn.commit()
        return [name for (name,) in rows]

    def rows(self, table: str, where: str, value: int) -> list[dict[str, Any]]:
        query = sql.SQL("SELECT {} FROM {} WHERE {} = %s ORDER BY id").format(
            sql.SQL(", ").join(map(sql.Identifier, self.columns[table])),
            sql.Identifier(table),
            sql.Identifier(where),
        )
        with self.conn.cursor(row_factory=dict_row) as cur:
            found = cur.execute(query, (value,)).fetchall()
        self.conn.commit()
        return found

    def reference(self, dossier_id: int, day: Any) -> dict[str, Any]:
        """What one reception wrote, read back (not timed)."""
        return {
            "day": day,
            "dossier": self.rows("dossiers_dossier", "id", dossier_id)[0],
            "documents": self.rows("dossiers_dossierdocument", "dossier_id", dossier_id),
            "fees": self.rows("dossiers_dossierfee", "dossier_id", dossier_id),
            "steps": self.rows("dossiers_dossierstep", "dossier_id", dossier_id),
            "events": self.rows("dossiers_dossierevent", "dossier_id", dossier_id),
        }

    def _insert(
        self, cur: psycopg.Cursor[Any], table: str, rows: list[dict[str, Any]], returning: str
    ) -> list[Any]:
        if not rows:
            return []
        columns = self.columns[table]
        one = sql.SQL("({})").format(sql.SQL(", ").join([sql.Placeholder()] * len(columns)))
        query = sql.SQL("INSERT INTO {} ({}) VALUES {} RETURNING {}").format(
            sql.Identifier(table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join([one] * len(rows)),
            sql.SQL(", ").join(map(sql.Identifier, returning.split(", "))),
        )
        values = [
            Jsonb(v) if isinstance(v, dict | list) else v
            for row in rows
            for v in map(row.get, columns)
        ]
        self.statements += 1
        return cur.execute(query, values).fetchall()

    def write(self, ref: dict[str, Any]) -> None:
        d = ref["dossier"]
        self.statements = 0
        with self.conn.transaction(), self.conn.cursor() as cur:
            (last,) = cur.execute(
                "UPDATE dossiers_dailysequence SET last = last + 1"
                " WHERE agency_id = %s AND day = %s RETURNING last",
                (d["receiving_agency_id"], ref["day"]),
            ).fetchone()
            self.statements += 1
            code = f"{d['code'].rsplit('-', 1)[0]}-{last:04d}"
            events = [
                {
                    **e,
                    "hash": hashlib.sha256(
                        f"{e['prev_hash']}{code}{e['data']}".encode()
                    ).hexdigest(),
                }
                for e in ref["events"]
            ]
            dossier = {**d, "code": code, "current_step_id": None, "event_head": events[-1]["hash"]}
            ((dossier_id,),) = self._insert(cur, "dossiers_dossier", [dossier], "id")
            self.written.append(dossier_id)
            for table, key in (
                ("dossiers_dossierdocument", "documents"),
                ("dossiers_dossierfee", "fees"),
            ):
                rows = [{**row, "dossier_id": dossier_id} for row in ref[key]]
                self._insert(cur, table, rows, "id")
            steps = [{**row, "dossier_id": dossier_id} for row in ref["steps"]]
            first = min(self._insert(cur, "dossiers_dossierstep", steps, "position, id"))[1]
            cur.execute(
                "UPDATE dossiers_dossier SET current_step_id = %s WHERE id = %s",
                (first, dossier_id),
            )
            self.statements += 1
            rows = [{**e, "dossier_id": dossier_id} for e in events]
            self._insert(cur, "dossiers_dossierevent", rows, "id")
            key = (d["competent_agency_id"], d["procedure_id"], d["unit_id"])
            cur.execute(
                sql.SQL(
                    "UPDATE dossiers_dailycounter SET {0} = {0} + 1"
                    " WHERE agency_id = %s AND procedure_id = %s AND unit_id = %s AND day = %s"
                ).format(sql.Identifier(f"received_{d['channel']}")),
                (*key, ref["day"]),
            )
            cur.execute(
                "UPDATE dossiers_opencounter SET within_due = within_due + 1"
                " WHERE agency_id = %s AND procedure_id = %s AND unit_id = %s",
                key,
            )
            cur.execute(
                "UPDATE dossiers_nationalsynccounter SET due = due + 1"
                " WHERE agency_id = %s AND unit_id = %s AND day = %s",
                (d["competent_agency_id"], d["unit_id"], ref["day"]),
            )
            self.statements += 3


def run(n: int) -> None:
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from motcua.catalog.models import Procedure
    from motcua.demo.seed import seed_demo
    from motcua.dossiers.access import Scope
    from motcua.dossiers.actions import receive_dossier
    from motcua.dossiers.forms import ApplicantForm, ReceptionForm
    from motcua.dossiers.models import DossierDocument, DossierEvent, DossierFee, DossierStep
    from motcua.dossiers.views.reception import desks_of, reusable_documents
    from motcua.org.models import Desk, DeskKind, Membership, Role

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed_demo(today=dt.date(2026, 11, 25))
    print(f"database ready in {time.perf_counter() - started:.0f} s ({connection.vendor})")

    procedure_pk = Procedure.objects.get(code="1.000426").pk
    centre = Desk.objects.get(kind=DeskKind.CENTRE)
    clerk = (
        Membership.objects.filter(agency_id=centre.agency_id, role=Role.RECEPTIONIST, active=True)
        .first()
        .user
    )
    scope = Scope.of(clerk)

    def posted(i: int, procedure: Procedure) -> QueryDict:
        """The fields the reception screen posts for applicant ``i``."""
        data = QueryDict(mutable=True)
        data.update(
            {
                "applicant_kind": "citizen",
                "applicant_id_number": f"0870900{i:05d}",
                "applicant_name": f"Nguyễn Văn An {i}",
                "applicant_phone": "0912345678",
                "applicant_address": "12 Lý Thường Kiệt, phường Cao Lãnh",
                "desk": str(centre.pk),
                "channel": "direct",
                "sets": "1",
                "result_delivery": "desk",
                "extra_originals": "0",
                "extra_copies": "0",
            }
        )
        for doc in procedure.documents.all():
            data.update({f"doc_{doc.pk}": "on", f"doc_{doc.pk}_originals": "1"})
            data.update({f"doc_{doc.pk}_copies": "0"})
        return data

    def application(i: int) -> Any:
        """As ``_receive`` in the reception view builds it (not timed)."""
        procedure = Procedure.objects.get(pk=procedure_pk)
        data = posted(i, procedure)
        applicant = ApplicantForm(data)
        form = ReceptionForm(
            data,
            procedure=procedure,
            desks=desks_of(scope),
            reusable=reusable_documents(scope, data["applicant_id_number"]),
        )
        if not (applicant.is_valid() and form.is_valid()):
            raise SystemExit(f"the reception forms refuse the bench's fields: {form.errors}")
        cleaned = applicant.cleaned_data
        return form.application(
            applicant.applicant(),
            submitter=(cleaned["submitter_name"], cleaned["submitter_phone"]),
        )

    raw = RawWriter(psycopg.connect(os.environ["DATABASE_URL"]))
    action_s: list[float] = []
    raw_s: list[float] = []
    action_queries: list[int] = []
    control: list[int] = []
    raw_queries: list[int] = []
    breakdown: Counter[tuple[str, str]] = Counter()
    received: list[int] = []
    for i in range(n + WARMUP):
        app = application(i)
        connection.queries_log.clear()  # a full log would make the count read 0
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            dossier = receive_dossier(application=app, officer=clerk)
            elapsed = time.perf_counter() - began
        received.append(dossier.pk)
        ref = raw.reference(dossier.pk, timezone.localtime(dossier.received_at).date())
        # The same rows in plain SQL, timed right after, so both see the same load.
        began = time.perf_counter()
        raw.write(ref)
        raw_elapsed = time.perf_counter() - began
        if i < WARMUP:
            continue
        action_s.append(elapsed)
        raw_s.append(raw_elapsed)
        raw_queries.append(raw.statements)
        kinds = [statement(q["sql"]) for q in captured.captured_queries]
        data = [k for k in kinds if k[0] not in TRANSACTION_CONTROL]
        action_queries.append(len(data))
        control.append(len(kinds) - len(data))
        breakdown.update(data)
    raw.conn.close()
    # Both ways wrote the same rows.
    for model in (DossierDocument, DossierFee, DossierStep, DossierEvent):
        by_action = model.objects.filter(dossier_id__in=received).count()
        if model.objects.filter(dossier_id__in=raw.written).count() != by_action:
            raise SystemExit(f"{model.__name__}: plain SQL did not write the action's rows")

    action_ms = statistics.fmean(action_s) * 1000
    raw_ms = statistics.fmean(raw_s) * 1000
    per_dossier = statistics.fmean(action_queries)
    dossiers_per_s = 1000 / action_ms
    sql_per_s = 1000 / raw_ms
    print(f"dossiers: {n} each way (after {WARMUP} warm-up)")
    print(
        f"receive_dossier  {action_ms:8.2f} ms/dossier  {dossiers_per_s:7.1f}/s  "
        f"{per_dossier:5.1f} statements (+{statistics.fmean(control):.0f} transaction control)"
    )
    print(
        f"plain SQL        {raw_ms:8.2f} ms/dossier  {sql_per_s:7.1f}/s  "
        f"{statistics.fmean(raw_queries):5.1f} statements (+2 transaction control)"
    )
    print("receive_dossier statements per dossier, by kind and table:")
    for (kind, table), count in sorted(breakdown.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count / n:5.2f}  {kind:7} {table or '?'}")
    result = {
        "bench": "intake",
        "dossiers_per_s": round(dossiers_per_s, 2),
        "sql_per_s": round(sql_per_s, 2),
        "ratio_vs_raw_insert": round(dossiers_per_s / sql_per_s, 3),
        "queries_per_dossier": round(per_dossier, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
