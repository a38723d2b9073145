"""Where bulk rows go: ``COPY`` on PostgreSQL, batched inserts on SQLite (docs/simulate.md
"Bulk mode").

Table and column names come from the models' metadata, values are parameters. Rows are
tuples in the order of a ``Table``'s columns, with Python values (aware datetimes,
JSON as its text). Primary keys are reserved before the rows are built, because rows refer to
each other (a dossier to its current step, an event's hash to its dossier's id): from the
table's own sequence on PostgreSQL, and by moving the table's AUTOINCREMENT counter on SQLite,
so a row the ORM inserts meanwhile (a reception, an appointed officer) never takes one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from motcua.core import counters

BATCH = 2_000
# Keys per statement of ``core.counters.add``: SQLite takes at most 32,766 parameters.
COUNTER_BATCH = 1_000
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    """A model's table and the columns bulk rows fill, in order."""

    model: type[models.Model]
    columns: tuple[str, ...]

    @classmethod
    def of(cls, model: type[models.Model], *columns: str) -> Table:
        known = {f.column for f in model._meta.concrete_fields}
        unknown = set(columns) - known
        if unknown:
            raise ValueError(f"{model._meta.label} has no column {sorted(unknown)}")
        return cls(model, columns)

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    def attnames(self) -> tuple[str, ...]:
        by_column = {f.column: f.attname for f in self.model._meta.concrete_fields}
        return tuple(by_column[c] for c in self.columns)

    def json_columns(self) -> tuple[int, ...]:
        by_column = {f.column: f for f in self.model._meta.concrete_fields}
        return tuple(
            i for i, c in enumerate(self.columns) if isinstance(by_column[c], models.JSONField)
        )


class Sink(ABC):
    """Writes rows inside the caller's transaction; each database has its own way
    (``PostgresSink``: COPY, ``SqliteSink``: batched INSERTs)."""

    def add_counters(
        self, model: type[models.Model], changes: Mapping[Key, Mapping[str, int]]
    ) -> None:
        """Add to counter rows as the actions do (``core.counters.add``), in batches that
        keep each statement's parameters under the database's limit."""
        keys = list(changes)
        for start in range(0, len(keys), COUNTER_BATCH):
            counters.add(model, {key: changes[key] for key in keys[start : start + COUNTER_BATCH]})

    @abstractmethod
    def reserve_ids(self, table: Table, count: int) -> list[int]:
        """``count`` primary keys no other writer will use."""

    @abstractmethod
    def write(self, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
        """Append ``rows`` (in ``table.columns`` order) to the table."""

    def upsert(
        self,
        table: str,
        key: Sequence[str],
        adds: Sequence[str],
        rows: Iterable[tuple[Any, ...]],
        *,
        greatest: Sequence[str] = (),
    ) -> None:
        """Insert each row (``key`` columns, then ``adds``, then ``greatest``), or on a
        conflict with an existing row add ``adds`` to it and keep the larger of each
        ``greatest``: counters and code sequences merge into what is there."""
        rows = list(rows)
        if not rows:
            return
        columns = [*key, *adds, *greatest]
        sets = [f"{c} = {table}.{c} + EXCLUDED.{c}" for c in adds] + [
            f"{c} = {self.larger}({table}.{c}, EXCLUDED.{c})" for c in greatest
        ]
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
            f"({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(sets)}"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])

    larger = "GREATEST"


class PostgresSink(Sink):
    def add_counters(
        self, model: type[models.Model], changes: Mapping[Key, Mapping[str, int]]
    ) -> None:
        """``core.counters.add`` in one statement however many keys: one array per column
        through ``unnest`` (a VALUES list would need a parameter per value, which psycopg
        splits slowly and PostgreSQL caps at 65,535)."""
        if not changes:
            return
        key_columns: Sequence[str] = model.KEY  # type: ignore[attr-defined]
        fields = {f.column: f for f in model._meta.concrete_fields}
        counts = [c for c, f in fields.items() if not f.primary_key and c not in key_columns]
        rows = [
            (*key, *(changes[key].get(c, 0) for c in counts))
            for key in sorted(changes, key=lambda k: tuple((v is not None, str(v)) for v in k))
        ]
        table = model._meta.db_table
        columns = [*key_columns, *counts]
        types = _column_types(table, columns)
        target = ", ".join(f"COALESCE({c}, 0)" if fields[c].null else c for c in key_columns)
        sets = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in counts)
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "  # noqa: S608
            f"ON CONFLICT ({target}) DO UPDATE SET {sets}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])

    def upsert(
        self,
        table: str,
        key: Sequence[str],
        adds: Sequence[str],
        rows: Iterable[tuple[Any, ...]],
        *,
        greatest: Sequence[str] = (),
    ) -> None:
        """One statement for all rows: ``unnest`` of one array per column."""
        rows = list(rows)
        if not rows:
            return
        columns = [*key, *adds, *greatest]
        types = _column_types(table, columns)
        sets = [f"{c} = {table}.{c} + EXCLUDED.{c}" for c in adds] + [
            f"{c} = GREATEST({table}.{c}, EXCLUDED.{c})" for c in greatest
        ]
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "  # noqa: S608
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(sets)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])

    def reserve_ids(self, table: Table, count: int) -> list[int]:
        if count == 0:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table.name, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def write(self, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        sql = f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN"
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            with raw.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)


class SqliteSink(Sink):
    larger = "MAX"

    def reserve_ids(self, table: Table, count: int) -> list[int]:
        """Move the table's AUTOINCREMENT counter past ``count`` ids, as ``nextval`` would:
        rows the ORM inserts meanwhile (an appointed officer) take ids after them."""
        if count == 0:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0))",
                [table.name],
            )
            start = int(cursor.fetchone()[0]) + 1
            last = start + count - 1
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table.name])
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table.name, last]
            )
        return list(range(start, last + 1))

    def write(self, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        # Each value as Django would store it (datetimes as UTC text, booleans as 0/1); JSON
        # columns already hold their text. Not bulk_create: it would stamp auto_now fields
        # with the wall clock instead of the simulated moment.
        fields = {f.column: f for f in table.model._meta.concrete_fields}
        json_at = set(table.json_columns())
        prepare = [
            None if i in json_at else fields[c].get_db_prep_save
            for i, c in enumerate(table.columns)
        ]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(table.columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(table.columns))})"
        )
        prepared = [
            tuple(
                v if p is None or v is None else p(v, connection)
                for p, v in zip(prepare, row, strict=True)
            )
            for row in rows
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), BATCH):
                cursor.executemany(sql, prepared[start : start + BATCH])


def _column_types(table: str, columns: Sequence[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        found = dict(cursor.fetchall())
    return [found[c] for c in columns]


def sink_for_connection() -> Sink:
    return PostgresSink() if connection.vendor == "postgresql" else SqliteSink()
