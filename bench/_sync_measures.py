"""What the national sync bench measures in a sync process: its statements, commits and HTTP
calls (``Instruments``), and what the portal should hold for a dossier (``portal_view``).
Part of ``bench/national_sync.py``."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from typing import Any

TABLE = re.compile(r'^(?:SELECT\b.*?\bFROM|INSERT INTO|UPDATE|DELETE FROM)\s+"(\w+)"', re.S)


def as_sent(value: Any) -> Any:
    """``value`` as it reads after a trip through JSON: what the fake holds."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def portal_view(dossier_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The record and the progress steps the portal should hold for the dossier as it is now,
    built as the sender builds them (``dossiers/national/sender.py``)."""
    from motcua.dossiers.national import payload

    loaded = payload.load(dossier_id)
    events = list(loaded.events.order_by("seq"))
    refused = next((e.at for e in events if e.kind == "refuse"), None)
    record = payload.dossier_record(loaded, refused_at=refused)
    steps = payload.progress_steps(loaded, events) if loaded.received_at else []
    return as_sent(record), as_sent([step.fields for step in steps])


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Instruments:
    """What a sync process spent its threads' time on: every SQL statement (through an
    execute wrapper on each connection as it opens) and every HTTP call to the portal (around
    the client's ``_post``), counted and timed, and the commits: each write outside a
    transaction is one, and each transaction's ``commit``. Thread-safe. The times are wall
    times of threads that share the GIL, so they include waiting for it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statements: Counter[tuple[str, str]] = Counter()
        self.statement_seconds: Counter[tuple[str, str]] = Counter()
        self.commits = 0
        self.sql_seconds = 0.0
        self.calls: Counter[str] = Counter()
        self.http_seconds = 0.0

    def install(self) -> None:
        from django.db.backends.base.base import BaseDatabaseWrapper
        from django.db.backends.signals import connection_created

        from motcua.integrations.national_portal import NationalPortalClient

        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            alone = not context["connection"].in_atomic_block
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self._statement(sql, time.perf_counter() - began, alone)

        def opened(sender: Any, connection: Any, **kwargs: Any) -> None:
            connection.execute_wrappers.append(wrapper)

        connection_created.connect(opened, weak=False)
        post = NationalPortalClient._post

        def timed_post(client: Any, url: str, body: Any) -> Any:
            began = time.perf_counter()
            try:
                return post(client, url, body)
            finally:
                with self.lock:
                    self.calls[str(body.get("service") or "login")] += 1
                    self.http_seconds += time.perf_counter() - began

        NationalPortalClient._post = timed_post  # type: ignore[method-assign]
        commit = BaseDatabaseWrapper.commit

        def counted_commit(wrapper: Any) -> None:
            with self.lock:
                self.commits += 1
            commit(wrapper)

        BaseDatabaseWrapper.commit = counted_commit  # type: ignore[method-assign]

    def _statement(self, sql: str, seconds: float, alone: bool) -> None:
        kind = sql.split(None, 1)[0].upper()
        found = TABLE.match(sql)
        key = (kind, found.group(1) if found else "")
        with self.lock:
            self.sql_seconds += seconds
            self.statements[key] += 1
            self.statement_seconds[key] += seconds
            if alone and kind != "SELECT":
                self.commits += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "statements": [
                [kind, table, n, self.statement_seconds[(kind, table)]]
                for (kind, table), n in self.statements.items()
            ],
            "commits": self.commits,
            "sql_seconds": self.sql_seconds,
            "calls": dict(self.calls),
            "http_seconds": self.http_seconds,
        }


# ---- setup --------------------------------------------------------------------------------
