"""Report counters: adding to them in one statement per table, and proving them against a
recount (docs/architecture.md rule 9; docs/rules/indicators.md "Recount and repair").

A counter model names its key columns in ``KEY`` and has a unique constraint on them (a
nullable key column is read as ``COALESCE(column, 0)`` by the constraint). ``add`` writes
every change to one table as a single ``INSERT … ON CONFLICT (key) DO UPDATE SET f = f +
excluded.f``, the same on PostgreSQL and SQLite: no read before the write, so two
transactions adding to the same row at once both count, and the row is created by whichever
comes first. Rows are written in key order, so transactions that touch the same rows lock
them in the same order and cannot deadlock on them.

A ``Comparison`` sets a kept table beside the query that recounts it from the source of truth
(events, tickets), column for column. ``compare`` lists the rows that differ, with ``EXCEPT``
both ways in the database, so proving ten million dossiers' counters never loads them into
Python; ``replace`` swaps a table's rows for its recount with one ``INSERT … SELECT``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import DateField, Q, QuerySet
from django.db.models.functions import Cast, TruncDate, TruncMonth

Key = tuple[Any, ...]


def add(model: type[models.Model], changes: Mapping[Key, Mapping[str, int]]) -> None:
    """Add each key's deltas to its row of ``model``, creating rows on first use, inside the
    caller's transaction. Zero deltas are left out; nothing is written if nothing changes."""
    rows = {key: {f: n for f, n in deltas.items() if n} for key, deltas in changes.items()}
    rows = {key: deltas for key, deltas in rows.items() if deltas}
    if not rows:
        return
    key_columns: Sequence[str] = model.KEY  # type: ignore[attr-defined]
    fields = sorted({f for deltas in rows.values() for f in deltas})
    # A new row starts at zero in every count, given here since the defaults are Django's.
    counts = [
        f.column
        for f in model._meta.concrete_fields
        if not f.primary_key and f.column not in key_columns
    ]
    table = model._meta.db_table
    quote = connection.ops.quote_name
    columns = [*key_columns, *counts]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list[Any] = []
    for key in sorted(rows, key=_sortable):
        params += [_adapt(value) for value in key]
        params += [rows[key].get(f, 0) for f in counts]
    target = ", ".join(_target(model, column) for column in key_columns)
    updates = ", ".join(
        f"{quote(f)} = {quote(table)}.{quote(f)} + excluded.{quote(f)}" for f in fields
    )
    # Identifiers come from the model's metadata, values are parameters.
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({target}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def merged(changes: Iterable[tuple[Key, Mapping[str, int]]]) -> dict[Key, dict[str, int]]:
    """Sum the deltas of equal keys (one row may be written once per statement)."""
    out: dict[Key, dict[str, int]] = defaultdict(dict)
    for key, deltas in changes:
        row = out[key]
        for field, n in deltas.items():
            row[field] = row.get(field, 0) + n
    return dict(out)


def _target(model: type[models.Model], column: str) -> str:
    quoted = connection.ops.quote_name(column)
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    return f"COALESCE({quoted}, 0)" if field.null else quoted


def _adapt(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return connection.ops.adapt_datefield_value(value)
    return value


def _sortable(key: Key) -> tuple[tuple[bool, str], ...]:
    return tuple((value is not None, str(value)) for value in key)


# ---- recount ------------------------------------------------------------------------------


def local_day(field: str) -> TruncDate:
    """The day of ``field`` in the province's time (docs/rules/deadlines.md)."""
    return TruncDate(field, tzinfo=ZoneInfo(settings.TIME_ZONE))


def local_month(field: str) -> Cast:
    """The first day of the month of ``field`` in the province's time."""
    return Cast(TruncMonth(local_day(field), output_field=DateField()), DateField())


@dataclass(frozen=True)
class Comparison:
    name: str
    model: type[models.Model]  # the kept table, with its ``KEY``
    fields: Sequence[str]
    recount: QuerySet[Any]  # ``values(*recount_key).annotate(<fields>)``
    recount_key: Sequence[str]

    @property
    def key(self) -> Sequence[str]:
        return self.model.KEY  # type: ignore[attr-defined]

    def kept_sql(self) -> tuple[str, tuple[Any, ...]]:
        nonzero = self.model._default_manager.exclude(Q(**dict.fromkeys(self.fields, 0)))
        sql, params = nonzero.values_list(*self.key, *self.fields).query.sql_with_params()
        return self._columns(sql, self.key), params

    def recount_sql(self) -> tuple[str, tuple[Any, ...]]:
        sql, params = self.recount.query.sql_with_params()
        return self._columns(sql, self.recount_key), params

    def _columns(self, sql: str, key: Sequence[str]) -> str:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in [*key, *self.fields])
        return f"SELECT {columns} FROM ({sql}) AS {quote(self.name)}"  # noqa: S608


def compare(comparison: Comparison) -> list[str]:
    """One line per key whose kept row and recount differ (a missing row counts as zeros)."""
    kept_sql, kept_params = comparison.kept_sql()
    recount_sql, recount_params = comparison.recount_sql()
    width = len(comparison.key)
    sides: dict[str, dict[Key, dict[str, int]]] = {}
    with connection.cursor() as cursor:
        for side, (first, first_params), (second, second_params) in (
            ("kept", (kept_sql, kept_params), (recount_sql, recount_params)),
            ("recount", (recount_sql, recount_params), (kept_sql, kept_params)),
        ):
            cursor.execute(f"{first} EXCEPT {second}", (*first_params, *second_params))
            sides[side] = {
                tuple(str(v) for v in row[:width]): {
                    f: n for f, n in zip(comparison.fields, row[width:], strict=True) if n
                }
                for row in cursor.fetchall()
            }
    lines = []
    for key in sorted(set(sides["kept"]) | set(sides["recount"])):
        have, want = sides["kept"].get(key, {}), sides["recount"].get(key, {})
        lines.append(f"{comparison.name} {key}: kept {have}, recount {want}")
    return lines


def replace(comparison: Comparison) -> int:
    """Replace the kept table's rows by the recount, in a transaction of its own that locks
    the table against the actions meanwhile (PostgreSQL; SQLite has one writer at a time), so
    every change committed before is in the recount and every change after adds to it.
    Returns the rows written."""
    quote = connection.ops.quote_name
    table = quote(comparison.model._meta.db_table)
    named = [*comparison.key, *comparison.fields]
    # The table's other counts (kept apart from this recount) start at zero.
    others = [
        f.column
        for f in comparison.model._meta.concrete_fields
        if not f.primary_key and f.column not in named
    ]
    columns = ", ".join(quote(c) for c in [*named, *others])
    recount_sql, params = comparison.recount_sql()
    read = [*comparison.recount_key, *comparison.fields]
    selected = ", ".join([*(quote(c) for c in read), *(["0"] * len(others))])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            f"SELECT {selected} FROM ({recount_sql}) AS {quote('recount')}",
            params,
        )
        return int(cursor.rowcount)
