"""How long ``manage.py partition_events --convert`` holds the dossier events, against plainly
copying the same table.

Run (PostgreSQL only)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/partition_events.py --dossiers 100000

A fresh database ``bench_partition_events_<pid>`` is created beside ``DATABASE_URL`` on that
server, migrated, and dropped at the end. ``--dossiers`` dossier rows are written with SQL
(any value in each required column; the dossier's own foreign keys are not checked:
``session_replication_role = replica``, which needs a superuser), with ``--events`` events each.
Then, in the same run: the baseline, a plain copy of the event table with the same indexes
(``CREATE TABLE … AS``, then the indexes), dropped; and the conversion through the command.
Ends with one JSON line; ``ratio_vs_copy`` is ``copy_s / convert_s``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _database import fresh_database

# A placeholder for each type of required column the dossier table has.
PLACEHOLDERS = {
    "bigint": "1",
    "integer": "1",
    "smallint": "1",
    "numeric": "0",
    "boolean": "false",
    "text": "'x'",
    "character varying": "'x'",
    "date": "current_date",
    "timestamp with time zone": "now()",
    "jsonb": "'{}'",
    "uuid": "gen_random_uuid()",
    "time without time zone": "'08:00'",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10, help="events per dossier")
    args = parser.parse_args()
    drop = fresh_database("partition_events", postgres_only=True)
    try:
        run(args.dossiers, args.events)
    finally:
        drop()


def run(dossiers: int, events: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        started = time.perf_counter()
        fill(cursor, dossiers, events)
        cursor.execute(
            "SELECT count(*), pg_total_relation_size('dossiers_dossierevent')"
            " FROM dossiers_dossierevent"
        )
        rows, size = cursor.fetchone()
        print(
            f"{rows:,} events, {size / 2**20:,.0f} MB with indexes, written in "
            f"{time.perf_counter() - started:.0f} s"
        )
        copy_s = plain_copy(cursor)
    started = time.perf_counter()
    out = io.StringIO()
    call_command("partition_events", "--convert", stdout=out)
    convert_s = time.perf_counter() - started
    print(out.getvalue().strip())
    print(f"plain copy {copy_s:.1f} s, conversion {convert_s:.1f} s")
    print(
        json.dumps(
            {
                "bench": "partition_events",
                "events": rows,
                "mb": round(size / 2**20),
                "convert_s": round(convert_s, 1),
                "copy_s": round(copy_s, 1),
                "ratio_vs_copy": round(copy_s / convert_s, 2),
                "convert_s_per_million": round(convert_s / rows * 1e6, 1),
            }
        )
    )


def fill(cursor: Any, dossiers: int, events: int) -> None:
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = 'dossiers_dossier' AND is_nullable = 'NO'"
        " AND column_default IS NULL AND is_identity = 'NO' AND column_name <> 'code'"
    )
    required = cursor.fetchall()
    names = ", ".join(f'"{name}"' for name, _type in required)
    values = ", ".join(PLACEHOLDERS[kind] for _name, kind in required)
    cursor.execute("SET session_replication_role = replica")
    cursor.execute(
        f"INSERT INTO dossiers_dossier (code, {names})"  # noqa: S608 - names from the catalogue
        f" SELECT 'B' || g, {values} FROM generate_series(1, %s) g",
        [dossiers],
    )
    cursor.execute("SET session_replication_role = origin")
    cursor.execute(
        "INSERT INTO dossiers_dossierevent (dossier_id, seq, kind, at, actor_name, from_status,"
        " to_status, data, prev_hash, hash, key_id)"
        " SELECT d.id, s, 'forward', now(), 'Nguyễn Văn An', 'processing', 'processing',"
        ' \'{"step": 2, "note": "chuyển bước thẩm định"}\','
        " md5(d.id || '-' || s) || md5(s::text),"
        " md5(s || '-' || d.id) || md5(d.id::text), 'abcdef0123456789'"
        " FROM dossiers_dossier d CROSS JOIN generate_series(1, %s) s",
        [events],
    )


def plain_copy(cursor: Any) -> float:
    """The same rows and indexes in a plain table: what moving the data costs anyway."""
    started = time.perf_counter()
    statements = [
        "CREATE TABLE bench_copy AS SELECT * FROM dossiers_dossierevent",
        "ALTER TABLE bench_copy ADD PRIMARY KEY (id)",
        "CREATE INDEX ON bench_copy (actor_id)",
        "CREATE INDEX ON bench_copy (dossier_id)",
        "ALTER TABLE bench_copy ADD UNIQUE (dossier_id, seq)",
        "ALTER TABLE bench_copy ADD FOREIGN KEY (dossier_id) REFERENCES dossiers_dossier (id)",
    ]
    for statement in statements:
        cursor.execute(statement)
    elapsed = time.perf_counter() - started
    cursor.execute("DROP TABLE bench_copy")
    return elapsed


if __name__ == "__main__":
    main()
