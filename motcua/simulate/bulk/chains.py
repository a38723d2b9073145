"""Event rows with their hash chain, computed as ``core.chain.append`` computes them: the same
payload (``chain.event_payload``), the same canonical JSON and HMAC under the current key
(``chain.chain_hash``), so ``verify_audit`` cannot tell a bulk-written history from one the
actions wrote (docs/decisions/audit.md). The payload's JSON is assembled from its members'
JSON (the data is encoded once, for the row and the hash); the tests check the result
against ``chain.chain_hash``."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from json.encoder import encode_basestring
from typing import Any

from motcua.core.chain import GENESIS, canonical, jsonable
from motcua.core.chain_keys import keyring
from motcua.simulate.bulk.sink import Table

EVENT_COLUMNS = (
    "seq",
    "kind",
    "at",
    "actor_id",
    "actor_name",
    "from_status",
    "to_status",
    "data",
    "prev_hash",
    "hash",
    "key_id",
)


def event_table(model: Any) -> Table:
    return Table.of(model, f"{model.record_field}_id", *EVENT_COLUMNS)


class History:
    """One record's events as rows, chained as they are appended; ``seq`` and ``head`` are
    what the record keeps (``event_seq``, ``event_head``)."""

    def __init__(
        self, record_field: str, record_id: int, zone: dt.tzinfo, key_id: str | None = None
    ) -> None:
        self.record_field = record_field
        self.record_id = record_id
        self.zone = zone
        ring = keyring()
        self.key_id = key_id if key_id is not None else ring.current_id
        self._key = ring.key(self.key_id)
        self.rows: list[tuple[Any, ...]] = []
        self.kinds: list[str] = []
        self.seq = 0
        self.head = ""

    def append(
        self,
        kind: str,
        *,
        at: dt.datetime,
        actor: tuple[int | None, str],
        from_status: str = "",
        to_status: str = "",
        **data: Any,
    ) -> None:
        data = {key: self._plain(value) for key, value in data.items()}
        data_text = canonical(data)
        seq = self.seq + 1
        prev = self.head or GENESIS
        actor_id, actor_name = actor
        digest = self._mac(
            prev,
            {
                self.record_field: str(self.record_id),
                "seq": str(seq),
                "kind": _text(kind),
                "at": _text(at.astimezone(dt.UTC).isoformat()),
                "actor": "null" if actor_id is None else str(actor_id),
                "actor_name": _text(actor_name),
                "from": _text(from_status),
                "to": _text(to_status),
                "data": data_text,
                "key_id": _text(self.key_id),
            },
        )
        self.rows.append(
            (
                self.record_id,
                seq,
                kind,
                at,
                actor_id,
                actor_name,
                from_status,
                to_status,
                data_text,
                prev,
                digest,
                self.key_id,
            )
        )
        self.kinds.append(kind)
        self.seq, self.head = seq, digest

    def _mac(self, prev: str, encoded: dict[str, str]) -> str:
        """``chain.chain_hash`` of the payload whose members are already JSON text: the
        same canonical form (sorted keys, no spaces), without encoding the data twice."""
        body = ",".join(f'"{key}":{encoded[key]}' for key in sorted(encoded))
        return hmac.new(self._key, f"{prev}{{{body}}}".encode(), hashlib.sha256).hexdigest()

    def _plain(self, value: Any) -> Any:
        """``chain.jsonable`` for the values bulk events carry, with the zone looked up once
        (``timezone.localtime`` asks for the current zone on every call)."""
        if isinstance(value, dt.datetime):
            return value.astimezone(self.zone).isoformat()
        if isinstance(value, str | int | type(None)):
            return value
        return jsonable(value)


def _text(value: str) -> str:
    """A JSON string as ``json.dumps(..., ensure_ascii=False)`` writes it."""
    return str(encode_basestring(value))
