"""Dossier codes: ``{agency identifier}-{yyMMdd}-{daily sequence}`` (docs/rules/statuses.md
"Dossier codes").

The sequence restarts each day per agency and never repeats, also under concurrent
reception: one statement creates the day's row or increments it and returns the number
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``, on PostgreSQL and SQLite alike). The row stays
locked by the caller's transaction until it commits, so two receptions never take one number.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from motcua.dossiers.models import DailySequence
from motcua.org.models import Agency


def next_number(agency_id: int, day: dt.date) -> int:
    """The agency's next number on ``day``, in the caller's transaction."""
    quote = connection.ops.quote_name
    table, agency, on, last = (
        quote(name) for name in (DailySequence._meta.db_table, "agency_id", "day", "last")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({agency}, {on}, {last}) VALUES (%s, %s, 1)"  # noqa: S608
            f" ON CONFLICT ({agency}, {on}) DO UPDATE SET {last} = {table}.{last} + 1"
            f" RETURNING {last}",
            [agency_id, connection.ops.adapt_datefield_value(day)],
        )
        (number,) = cursor.fetchone()
    return int(number)


def next_code(agency: Agency, day: dt.date) -> str:
    return f"{agency.code}-{day:%y%m%d}-{next_number(agency.pk, day):04d}"
