"""Event rows with their hash chain, computed as ``core.chain.append`` computes them: the same
payload (``chain.event_payload``), the same canonical JSON and HMAC under the current key
(``chain.chain_hash``), so ``verify_audit`` cannot tell a bulk-written history from one the
actions wrote (docs/decisions/audit.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.core.chain import GENESIS, canonical, chain_hash, event_payload, jsonable
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
        self.key_id = key_id if key_id is not None else keyring().current_id
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
        seq = self.seq + 1
        prev = self.head or GENESIS
        actor_id, actor_name = actor
        payload = event_payload(
            record_field=self.record_field,
            record_id=self.record_id,
            seq=seq,
            kind=kind,
            at=at,
            actor_id=actor_id,
            actor_name=actor_name,
            from_status=from_status,
            to_status=to_status,
            data=data,
            key_id=self.key_id,
        )
        digest = chain_hash(prev, payload, self.key_id)
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
                canonical(data),
                prev,
                digest,
                self.key_id,
            )
        )
        self.kinds.append(kind)
        self.seq, self.head = seq, digest

    def _plain(self, value: Any) -> Any:
        """``chain.jsonable`` for the values bulk events carry, with the zone looked up once
        (``timezone.localtime`` asks for the current zone on every call)."""
        if isinstance(value, dt.datetime):
            return value.astimezone(self.zone).isoformat()
        if isinstance(value, str | int | type(None)):
            return value
        return jsonable(value)
