"""Event tables partitioned by their record's id keep every guarantee of the audit trail
(docs/decisions/partitions.md). The conversion runs inside the test's transaction, which
PostgreSQL rolls back with the rest of the test. The SQL names only the event tables."""
# ruff: noqa: S608

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from motcua.core.partitions import (
    PartitionError,
    event_tables,
    newest_record_id,
    ranges_to_add,
    state,
)
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.tests.fixtures import at, clock, ready
from motcua.hotline.actions import claim_ticket
from motcua.hotline.tests.fixtures import chat

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitioned tables are PostgreSQL's"
)
DOSSIER_EVENTS, TICKET_EVENTS = "dossiers_dossierevent", "hotline_ticketevent"


def test_ranges_cover_the_newest_id_and_the_partitions_ahead() -> None:
    # An empty table: id 0 has its partition, and two lie beyond it.
    assert ranges_to_add(covered_up_to=0, newest_id=0, ahead_now=0, width=10, ahead=2) == [
        (0, 10),
        (10, 20),
        (20, 30),
    ]
    # Ids ran past the last partition (the job did not run): cover them, then look ahead.
    assert ranges_to_add(covered_up_to=20, newest_id=35, ahead_now=0, width=10, ahead=1) == [
        (20, 30),
        (30, 40),
        (40, 50),
    ]
    assert ranges_to_add(covered_up_to=40, newest_id=25, ahead_now=1, width=10, ahead=1) == []
    with pytest.raises(PartitionError):
        ranges_to_add(covered_up_to=0, newest_id=0, ahead_now=0, width=0, ahead=1)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for SQLite")
def test_refused_on_sqlite_with_a_reason() -> None:
    with pytest.raises(CommandError, match="Chỉ PostgreSQL"):
        call_command("partition_events", "--convert")


# ---- on PostgreSQL --------------------------------------------------------------------------


def _table(name: str) -> Any:
    return next(t for t in event_tables() if t.table == name)


def _width() -> int:
    """About five partitions over the test database's dossiers, so pruning shows."""
    return newest_record_id(_table(DOSSIER_EVENTS)) // 4 + 1


def _partition_of(table: str, lower_of: int, width: int) -> str:
    return f"{table}_p{lower_of // width * width}"


@pytest.fixture
def app_role() -> str:
    """A role with the privileges production gives the application (rolled back)."""
    role = f"motcua_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT SELECT, INSERT ON {DOSSIER_EVENTS} TO {role}")
    return role


@pytest.fixture
def converted(history: Any, app_role: str) -> int:
    """``history`` written before the tables were partitioned; returns the width."""
    width = _width()
    out = io.StringIO()
    call_command("partition_events", "--convert", "--width", str(width), stdout=out)
    assert "phân vùng theo dossier_id" in out.getvalue()
    return width


def _refused(statement: str, *params: Any) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


@on_postgresql
@pytest.mark.django_db
def test_check_fails_until_converted(history: Any) -> None:
    with pytest.raises(CommandError, match="chưa phân vùng"):
        call_command("partition_events", "--check", stdout=io.StringIO())
    call_command("partition_events", "--convert", "--width", str(_width()), stdout=io.StringIO())
    call_command("partition_events", "--check", stdout=io.StringIO())
    for table in event_tables():
        now = state(table)
        assert now.partitioned and now.ahead >= 2


@on_postgresql
@pytest.mark.django_db
def test_history_moves_and_actions_go_on_appending(
    converted: int, history: Any, received: Any, operator_ha: Any
) -> None:
    before = history.event_seq
    assert history.events.count() == before  # the rows moved
    with clock(at(2026, 3, 4, 9, 0)):
        ready(received())  # a new dossier's whole chain, after the conversion
    ticket = chat("Hỏi lệ phí", sender="partition-1")
    claim_ticket(ticket=ticket, user=operator_ha)
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    assert "Nhật ký nguyên vẹn" in out.getvalue()
    assert ticket.events.count() == 2


@on_postgresql
@pytest.mark.django_db
def test_events_still_refuse_update_and_delete(converted: int, history: Any) -> None:
    event = history.events.get(seq=2)
    _refused(f"UPDATE {DOSSIER_EVENTS} SET data = '{{}}' WHERE id = %s", event.pk)
    _refused(f"DELETE FROM {DOSSIER_EVENTS} WHERE id = %s", event.pk)
    partition = _partition_of(DOSSIER_EVENTS, history.pk, converted)
    _refused(f"DELETE FROM {partition} WHERE id = %s", event.pk)  # the partition itself too
    assert DossierEvent.objects.get(pk=event.pk).hash == event.hash


@on_postgresql
@pytest.mark.django_db
def test_a_second_event_at_the_same_place_in_a_chain_is_refused(
    converted: int, history: Any
) -> None:
    first = history.events.get(seq=1)
    twin = DossierEvent(
        dossier=history, seq=1, kind="receive", at=first.at, data={}, prev_hash="0", hash="0"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@on_postgresql
@pytest.mark.django_db
def test_privileges_constraints_and_identity_carry_over(converted: int, app_role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(%s, %s, 'INSERT'), has_table_privilege(%s, %s, 'UPDATE'),"
            " pg_get_serial_sequence(%s, 'id')",
            (app_role, DOSSIER_EVENTS, app_role, DOSSIER_EVENTS, DOSSIER_EVENTS),
        )
        assert cursor.fetchone() == (True, False, f"public.{DOSSIER_EVENTS}_id_seq")
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", (DOSSIER_EVENTS,)
        )
        names = {name for (name,) in cursor.fetchall()}
    assert {
        "event_seq_per_dossier",
        f"{DOSSIER_EVENTS}_pkey",
        f"{DOSSIER_EVENTS}_seq_check",
    } <= names


@on_postgresql
@pytest.mark.django_db
def test_the_tables_owner_owns_the_new_table_and_its_partitions(history: Any) -> None:
    owner = f"motcua_owner_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {owner}")
        cursor.execute(f"ALTER TABLE {TICKET_EVENTS} OWNER TO {owner}")
    call_command("partition_events", "--convert", stdout=io.StringIO())
    call_command("partition_events", "--ahead", "3", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relname LIKE %s",
            (f"{TICKET_EVENTS}%",),
        )
        assert cursor.fetchall() == [(owner,)]  # table, partitions, identity sequence


@on_postgresql
@pytest.mark.django_db
def test_the_job_keeps_partitions_ahead(converted: int) -> None:
    table = _table(TICKET_EVENTS)
    before = state(table)
    out = io.StringIO()
    call_command("partition_events", "--ahead", "4", stdout=out)
    after = state(table)
    assert after.ahead == 4 and len(after.partitions) == len(before.partitions) + 2
    assert after.partitions[-1].upper - after.partitions[-1].lower == converted
    call_command("partition_events", "--ahead", "4", stdout=out)  # nothing more to do
    assert state(table).partitions == after.partitions


@on_postgresql
@pytest.mark.django_db
def test_a_dossiers_history_is_read_from_one_partition(converted: int, history: Any) -> None:
    assert len(state(_table(DOSSIER_EVENTS)).partitions) >= 3
    plan = history.events.all().explain()
    read = set(re.findall(rf"{DOSSIER_EVENTS}_p\d+", plan))
    assert read == {_partition_of(DOSSIER_EVENTS, history.pk, converted)}


@on_postgresql
@pytest.mark.django_db
def test_copy_loads_rows_into_their_partition(converted: int, history: Any) -> None:
    columns = "dossier_id, seq, kind, at, actor_name, from_status, to_status, data, prev_hash,"
    columns += " hash, key_id"
    row = (history.pk, history.event_seq + 1, "note", history.received_at, "", "", "", "{}")
    row += (history.event_head, "f" * 64, "")
    with connection.cursor() as wrapper:
        raw = wrapper.cursor
        with raw.copy(f"COPY {DOSSIER_EVENTS} ({columns}) FROM STDIN") as copy:
            copy.write_row(row)
        raw.execute(
            f"SELECT tableoid::regclass::text FROM {DOSSIER_EVENTS} WHERE dossier_id = %s"
            " AND seq = %s",
            (history.pk, history.event_seq + 1),
        )
        assert raw.fetchone() == (_partition_of(DOSSIER_EVENTS, history.pk, converted),)
        with (
            pytest.raises(psycopg.errors.UniqueViolation),
            transaction.atomic(),
            raw.copy(f"COPY {DOSSIER_EVENTS} ({columns}) FROM STDIN") as copy,
        ):
            copy.write_row(row)
