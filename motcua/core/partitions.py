"""Event tables partitioned by their record's id, on PostgreSQL (docs/decisions/partitions.md).

An event table (``dossiers_dossierevent``, ``hotline_ticketevent``) becomes a table
partitioned by RANGE on the record's id (``dossier_id``, ``ticket_id``) in ranges of a fixed
width: every event of one record lands in one partition, so the unique (record, seq) that the
chain relies on stays a real constraint (a partitioned table's unique constraints must include
the partition key), a record's history is read from one partition, and since record ids grow
with time each partition holds the events of a period of receptions.

``convert`` turns an existing table into a partitioned one in the caller's transaction: a new
table shaped like the old one, the partitions, the rows moved, the old table dropped and the
new one renamed, then every constraint, index, trigger (the append-only one of
``core/append_only.py``) and privilege of the old table recreated under its own name. The
primary key gains the partition key, ``(id, dossier_id)``: ids still come from the table's
identity sequence. ``extend`` creates the partitions ahead of the ids handed out, so an
insert never finds no partition. Both need the table owner's role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from motcua.core.chain import chained_models, record_model

DEFAULT_WIDTH = 1_000_000  # record ids per partition: months of a province's receptions
DEFAULT_AHEAD = 2  # empty partitions kept beyond the newest record id
LOCK_TIMEOUT = "10s"

_BOUND = re.compile(r"FOR VALUES FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)")


class PartitionError(RuntimeError):
    """A table cannot be partitioned or kept ahead as asked; the message says why."""


@dataclass(frozen=True)
class EventTable:
    table: str  # dossiers_dossierevent
    key: str  # dossier_id: the partition key, the record's id
    record_table: str  # dossiers_dossier


@dataclass(frozen=True)
class Partition:
    name: str
    lower: int  # inclusive
    upper: int  # exclusive


@dataclass(frozen=True)
class TableState:
    table: EventTable
    partitioned: bool
    partitions: tuple[Partition, ...]
    newest_id: int  # the highest record id handed out (its sequence or its rows)

    @property
    def ahead(self) -> int:
        """Partitions no record id has reached yet."""
        return sum(1 for p in self.partitions if p.lower > self.newest_id)


def event_tables() -> list[EventTable]:
    tables = []
    for event_model in chained_models():
        key = event_model._meta.get_field(event_model.record_field)
        assert isinstance(key, models.ForeignKey)
        record_table = record_model(event_model)._meta.db_table
        tables.append(EventTable(event_model._meta.db_table, key.column, record_table))
    return tables


def ranges_to_add(
    *, covered_up_to: int, newest_id: int, ahead_now: int, width: int, ahead: int
) -> list[tuple[int, int]]:
    """The ranges [lower, upper) to create after ``covered_up_to`` (the highest upper bound)
    so that ``newest_id`` has a partition and ``ahead`` partitions lie beyond it."""
    if width < 1 or ahead < 1:
        raise PartitionError("width and ahead must be at least 1")
    ranges = []
    upper = covered_up_to
    while upper <= newest_id:
        ranges.append((upper, upper + width))
        upper += width
    while ahead_now < ahead:
        ranges.append((upper, upper + width))
        upper += width
        ahead_now += 1
    return ranges


def partition_name(table: EventTable, lower: int) -> str:
    return f"{table.table}_p{lower}"


# ---- reading the catalogue ----------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _rows(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _run(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def is_partitioned(table: EventTable) -> bool:
    [(kind,)] = _rows("SELECT relkind FROM pg_class WHERE oid = %s::regclass", (table.table,))
    return bool(kind == "p")


def partitions(table: EventTable) -> tuple[Partition, ...]:
    found = []
    for name, bound in _rows(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
        (table.table,),
    ):
        match = _BOUND.fullmatch(bound)
        if match is None:
            raise PartitionError(f"{name}: bound {bound!r} is not a range of ids")
        found.append(Partition(name, int(match[1]), int(match[2])))
    return tuple(sorted(found, key=lambda p: p.lower))


def last_id(table: str) -> int:
    """The highest id ``table`` has handed out: its sequence's, or its rows' when ids were given
    explicitly (a bulk load)."""
    [(sequence,)] = _rows("SELECT pg_get_serial_sequence(%s, 'id')", (table,))
    highest = _extreme(table, "MAX")
    if sequence is None:
        return highest
    # The sequence's name comes from the catalogue, already quoted.
    [(last, called)] = _rows(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
    return max(highest, int(last) if called else int(last) - 1)


def _extreme(table: str, function: str) -> int:
    # Table names come from the models, quoted; never from input.
    [(value,)] = _rows(f"SELECT COALESCE({function}(id), 0) FROM {_q(table)}")  # noqa: S608
    return int(value)


def newest_record_id(table: EventTable) -> int:
    return last_id(table.record_table)


def state(table: EventTable) -> TableState:
    partitioned = is_partitioned(table)
    return TableState(
        table, partitioned, partitions(table) if partitioned else (), newest_record_id(table)
    )


# ---- changing the tables ------------------------------------------------------------------


def _owner(table: str) -> str:
    [(owner,)] = _rows(
        "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass", (table,)
    )
    return str(owner)


def _create_partitions(table: EventTable, parent: str, ranges: list[tuple[int, int]]) -> None:
    """Partitions of ``parent`` owned, like it, by the table's owner (the command may run as
    another role that is a member of it)."""
    owner = _owner(parent)
    [(current,)] = _rows("SELECT current_user")
    for lower, upper in ranges:
        name = _q(partition_name(table, lower))
        _run(
            f"CREATE TABLE {name} PARTITION OF {_q(parent)} FOR VALUES FROM ({lower}) TO ({upper})"
        )
        if current != owner:
            _run(f"ALTER TABLE {name} OWNER TO {_q(owner)}")


def extend(table: EventTable, *, width: int | None = None, ahead: int = DEFAULT_AHEAD) -> list[str]:
    """Create the partitions ``table`` lacks for its newest record id and ``ahead`` beyond it,
    each as wide as ``width`` or as the last one; the names of those created."""
    now = state(table)
    if not now.partitioned:
        raise PartitionError(f"{table.table} is not partitioned")
    # Adding a partition locks the whole table for an instant, but waits behind a long reader
    # (a nightly verify_audit), and every append would queue behind it: give up instead, the
    # partitions ahead leave months to try again.
    _run(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    last = now.partitions[-1]
    ranges = ranges_to_add(
        covered_up_to=last.upper,
        newest_id=now.newest_id,
        ahead_now=now.ahead,
        width=width or last.upper - last.lower,
        ahead=ahead,
    )
    _create_partitions(table, table.table, ranges)
    return [partition_name(table, lower) for lower, _upper in ranges]


@dataclass
class _Shape:
    """What the old table carries that the new one must carry again."""

    constraints: list[tuple[str, str, str]]  # name, type (p, u, f, c…), definition
    indexes: list[str]  # CREATE INDEX statements of the indexes no constraint owns
    triggers: list[str]  # CREATE TRIGGER statements
    grants: list[str]  # GRANT statements
    owner: str


def _shape(table: EventTable) -> _Shape:
    oid = (table.table,)
    constraints = [
        (str(name), str(kind), str(definition))
        for name, kind, definition in _rows(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass ORDER BY contype DESC, conname",
            oid,
        )
    ]
    indexes = _rows(
        "SELECT pg_get_indexdef(i.indexrelid), i.indisunique FROM pg_index i"
        " WHERE i.indrelid = %s::regclass AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        oid,
    )
    triggers = _rows(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass"
        " AND NOT tgisinternal",
        oid,
    )
    grants = _rows(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,"
        " a.privilege_type, a.is_grantable"
        " FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a"
        " LEFT JOIN pg_roles r ON r.oid = a.grantee"
        " WHERE c.oid = %s::regclass AND a.grantee <> c.relowner",
        oid,
    )
    for name, kind, definition in constraints:
        if kind in "ux" and table.key not in _columns(definition):
            raise PartitionError(
                f"{table.table}: constraint {name} ({definition}) does not include {table.key};"
                " a partitioned table could not enforce it"
            )
    for definition, unique in indexes:
        if unique and table.key not in _columns(definition):
            raise PartitionError(f"{table.table}: unique index without {table.key}: {definition}")
    return _Shape(
        constraints=constraints,
        indexes=[str(definition) for definition, _unique in indexes],
        triggers=[str(definition) for (definition,) in triggers],
        grants=[
            f"GRANT {privilege} ON {_q(table.table)} TO {grantee}"
            + (" WITH GRANT OPTION" if grantable else "")
            for grantee, privilege, grantable in grants
        ],
        owner=_owner(table.table),
    )


def _columns(definition: str) -> list[str]:
    """The column names in a constraint's or index's first parenthesised list."""
    match = re.search(r"\(([^)]*)\)", definition)
    return [c.strip().strip('"') for c in match[1].split(",")] if match else []


def convert(
    table: EventTable, *, width: int = DEFAULT_WIDTH, ahead: int = DEFAULT_AHEAD
) -> TableState:
    """Turn ``table`` into a table partitioned by its record's id, keeping its rows, name,
    constraints, indexes, triggers, privileges and identity sequence. Runs in the caller's
    transaction (the command's ``atomic``): on any error nothing has changed."""
    if is_partitioned(table):
        raise PartitionError(f"{table.table} is already partitioned")
    # Checks deferred by this transaction's own inserts would forbid dropping the table.
    _run("SET CONSTRAINTS ALL IMMEDIATE")
    # Appends wait until the new table is in place; reads go on against the old one.
    _run(f"LOCK TABLE {_q(table.table)} IN EXCLUSIVE MODE")
    shape = _shape(table)
    next_id = last_id(table.table) + 1
    newest = newest_record_id(table)
    lowest = _extreme(table.record_table, "MIN") or newest + 1
    start = min(lowest, newest + 1) // width * width
    ranges = ranges_to_add(
        covered_up_to=start, newest_id=newest, ahead_now=0, width=width, ahead=ahead
    )
    new = f"{table.table}_partitioned"
    _run(
        f"CREATE TABLE {_q(new)} (LIKE {_q(table.table)} INCLUDING DEFAULTS INCLUDING IDENTITY"
        f" INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({_q(table.key)})"
    )
    [(current,)] = _rows("SELECT current_user")
    if current != shape.owner:
        _run(f"ALTER TABLE {_q(new)} OWNER TO {_q(shape.owner)}")
    _create_partitions(table, new, ranges)
    [(sequence,)] = _rows("SELECT pg_get_serial_sequence(%s, 'id')", (new,))
    _run(
        f"INSERT INTO {_q(new)} SELECT * FROM {_q(table.table)}",  # noqa: S608
        f"ALTER TABLE {_q(new)} ALTER COLUMN id RESTART WITH {next_id}",
        f"DROP TABLE {_q(table.table)}",
        f"ALTER TABLE {_q(new)} RENAME TO {_q(table.table)}",
        f"ALTER SEQUENCE {sequence} RENAME TO {_q(table.table + '_id_seq')}",
    )
    for name, kind, definition in shape.constraints:
        if kind == "p":
            definition = f"PRIMARY KEY (id, {_q(table.key)})"
        _run(f"ALTER TABLE {_q(table.table)} ADD CONSTRAINT {_q(name)} {definition}")
    _run(*shape.indexes, *shape.triggers, *shape.grants)
    return state(table)
