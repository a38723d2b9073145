"""What an attacker with write access to the database does, for the audit tests.

On PostgreSQL the append-only triggers refuse UPDATE and DELETE of events; an attacker who
nevertheless gets past them (the table owner's or a superuser's role, as the tests' role is)
is played with ``session_replication_role = replica``, which skips triggers for the rest of the
test's transaction until set back.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models

from motcua.core.chain import GENESIS, ChainedEvent
from motcua.core.chain_keys import key_id_of


@contextmanager
def past_the_triggers() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def forged_hash(event: ChainedEvent, *, key: str | None) -> str:
    """The hash an attacker computes: HMAC under ``key`` if they hold it, else plain SHA-256."""
    canonical = json.dumps(
        event.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    message = f"{event.prev_hash}{canonical}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def rechain(
    record: Any,
    *,
    edit: Callable[[ChainedEvent], None],
    key: str | None,
    downgrade: bool = False,
) -> None:
    """Edit the record's events in place with ``edit`` and recompute every hash and the head,
    with SQL: under ``key`` (the key holder), or plain SHA-256 (no key). An event left without
    a key id (``downgrade``: all of them) is hashed as a legacy one."""
    events = list(record.events.order_by("seq"))
    previous = GENESIS
    with past_the_triggers():
        for event in events:
            edit(event)
            event.prev_hash = previous
            if downgrade:
                event.key_id = ""
            elif key is not None and event.key_id:
                event.key_id = key_id_of(key)
            event.hash = forged_hash(event, key=key if event.key_id else None)
            type(event)._default_manager.filter(pk=event.pk).update(
                data=event.data, prev_hash=event.prev_hash, hash=event.hash, key_id=event.key_id
            )
            previous = event.hash
    type(record)._default_manager.filter(pk=record.pk).update(event_head=previous)


def erase(
    model: type[models.Model], pks: list[Any], seen: set[tuple[str, Any]] | None = None
) -> None:
    """Delete rows with raw SQL, and every row that refers to them, as someone removing a
    record and all trace of it would (the ORM's PROTECT does not stop raw SQL)."""
    seen = seen if seen is not None else set()
    pks = [pk for pk in pks if (model._meta.label, pk) not in seen]
    if not pks:
        return
    seen.update((model._meta.label, pk) for pk in pks)
    for other in apps.get_models(include_auto_created=True):
        for field in other._meta.concrete_fields:
            if field.is_relation and field.related_model is model:
                children = list(
                    other._base_manager.filter(**{f"{field.attname}__in": pks}).values_list(
                        "pk", flat=True
                    )
                )
                erase(other, children, seen)
    placeholders = ", ".join(["%s"] * len(pks))
    with past_the_triggers(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {model._meta.db_table} WHERE {model._meta.pk.column} IN ({placeholders})",  # noqa: S608
            pks,
        )


def verify_audit() -> tuple[bool, str]:
    """Run ``manage.py verify_audit``: whether it passed, and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError:
        return False, out.getvalue() + err.getvalue()
    return True, out.getvalue() + err.getvalue()
