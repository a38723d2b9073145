"""Writing the next seal: ``manage.py seal_audit``, hourly (docs/decisions/audit.md "Seals").

A seal is written to a ``.part`` file opened with ``O_EXCL``, then published under its name
with ``os.link``, which fails rather than replace an existing seal.

**Incremental.** A seal reads only the events appended since the previous one: ids above the
previous seal's watermark (per event table), so its cost follows the hour's activity, not the
number of dossiers. Transactions commit out of id order: an id below the watermark may still
be uncommitted when a seal runs. Each seal therefore records the ids it found missing
("pending" ranges) and the following seals look for them again until
``AUDIT_SEAL_GAP_MINUTES`` have passed since they were first missed (a rolled-back transaction
leaves its id missing forever). A transaction that holds an event id for longer than that is
sealed with its record's next change. The first seal is full: the stored head of every record.

**Legacy events** (chained before the HMAC key) are bounded by the first seal: it records the
highest legacy event id per table, and an unkeyed event above it is a downgraded chain.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from motcua.core.chain import GENESIS, ChainedEvent, chained_models, record_model
from motcua.core.seals.files import (
    BATCH,
    FORMAT,
    SealError,
    read_seal,
    seal_directory,
    seal_files,
    seal_name,
    signed_message,
)
from motcua.core.seals.keys import private_key, public_key_id, public_keys


def _line(value: object) -> bytes:
    return (
        json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode()


@dataclass
class SealResult:
    number: int
    path: Path
    digest: str
    heads: int
    sealed_at: dt.datetime


class _Writer:
    """Appends lines to the ``.part`` file and hashes them as it goes."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.hasher = hashlib.sha256()
        self.heads = 0

    def write(self, value: object) -> None:
        line = _line(value)
        self.hasher.update(line)
        self.stream.write(line)

    def heads_of(
        self, event_model: type[ChainedEvent], record_ids: Iterable[int] | None = None
    ) -> None:
        """The stored head of each record (of every record: ``record_ids`` None), in batches
        by primary key; records without events have no head."""
        records = record_model(event_model)._default_manager.filter(event_seq__gt=0)
        label = event_model._meta.label_lower
        fields = {f.name for f in record_model(event_model)._meta.fields}
        columns = ("pk", "code" if "code" in fields else "pk", "event_seq", "event_head")
        if record_ids is None:
            last = 0
            while batch := list(
                records.filter(pk__gt=last).order_by("pk").values_list(*columns)[:BATCH]
            ):
                self._heads(label, batch)
                last = batch[-1][0]
            return
        ids = sorted(set(record_ids))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            self._heads(label, records.filter(pk__in=chunk).order_by("pk").values_list(*columns))

    def _heads(self, label: str, rows: Iterable[tuple[Any, ...]]) -> None:
        for pk, code, seq, head in rows:
            self.write([label, pk, str(code), seq, head])
            self.heads += 1


def missing_ranges(after: int, ids: list[int]) -> list[tuple[int, int]]:
    """The id ranges absent between ``after`` and the last of ``ids`` (sorted ascending)."""
    ranges = []
    previous = after
    for current in ids:
        if current > previous + 1:
            ranges.append((previous + 1, current - 1))
        previous = max(previous, current)
    return ranges


def _seal_table(
    out: _Writer,
    event_model: type[ChainedEvent],
    *,
    previous: dict[str, Any] | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """Write the heads of one event table's records that advanced since ``previous`` (this
    table's state in the previous seal; None for the first seal); return the new state."""
    record_id = f"{event_model.record_field}_id"
    events = event_model._default_manager
    margin = dt.timedelta(minutes=settings.AUDIT_SEAL_GAP_MINUTES)
    pending: list[list[Any]] = []
    if previous is None:
        # The first seal: every record's stored head. The watermark is read first, so events
        # committed while the records are read are found again by the next seal.
        watermark = events.aggregate(top=Max("pk"))["top"] or 0
        cursor = 0
        while cursor < watermark:
            ids = list(
                events.filter(pk__gt=cursor, pk__lte=watermark)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            pending += [[lo, hi, now.isoformat()] for lo, hi in missing_ranges(cursor, ids)]
            cursor = ids[-1]
        if cursor < watermark:
            pending.append([cursor + 1, watermark, now.isoformat()])
        out.heads_of(event_model)
        legacy_up_to = events.filter(key_id="").aggregate(top=Max("pk"))["top"] or 0
        return {"watermark": watermark, "pending": pending, "legacy_up_to": legacy_up_to}

    watermark = int(previous["watermark"])
    # Ids missing at earlier seals: committed since, or still missing (kept until the margin
    # has passed since first missed).
    for lo, hi, first_missed in previous.get("pending", []):
        found = events.filter(pk__gte=lo, pk__lte=hi).values_list(record_id, flat=True)
        out.heads_of(event_model, found)
        if now - dt.datetime.fromisoformat(first_missed) < margin:
            pending.append([lo, hi, first_missed])
    while True:
        rows = list(
            events.filter(pk__gt=watermark).order_by("pk").values_list("pk", record_id)[:BATCH]
        )
        if not rows:
            break
        ids = [pk for pk, _record in rows]
        pending += [[lo, hi, now.isoformat()] for lo, hi in missing_ranges(watermark, ids)]
        out.heads_of(event_model, {record for _pk, record in rows})
        watermark = ids[-1]
    return {
        "watermark": watermark,
        "pending": pending,
        "legacy_up_to": int(previous.get("legacy_up_to", 0)),
    }


def seal(*, now: dt.datetime | None = None) -> SealResult | None:
    """Write the next seal; None when sealing is off (no ``AUDIT_SEAL_DIR``). Refuses to go
    on from a previous seal that does not verify: that is for a person to look into."""
    directory = seal_directory()
    if directory is None:
        return None
    key = private_key()
    if key is None:
        raise SealError("AUDIT_SEAL_DIR is set but AUDIT_SEAL_KEY_FILE is not")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = now or timezone.now()
    files = seal_files(directory)
    previous = read_seal(files[-1][1]) if files else None
    if previous is not None and not (previous.intact and previous.signed_by(public_keys())):
        raise SealError(f"{previous.path.name} does not verify: run verify_audit")
    number = previous.number + 1 if previous else 1
    part = directory / f".{seal_name(number)}.{secrets.token_hex(4)}.part"
    descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            out = _Writer(stream)
            out.write(
                {
                    "format": FORMAT,
                    "number": number,
                    "sealed_at": now.astimezone(dt.UTC).isoformat(),
                    "previous": previous.digest if previous else GENESIS,
                    "key_id": public_key_id(key.public_key()),
                }
            )
            tables: dict[str, dict[str, Any]] = {}
            earlier = previous.state.get("tables", {}) if previous else {}
            for event_model in chained_models():
                label = event_model._meta.label_lower
                tables[label] = _seal_table(out, event_model, previous=earlier.get(label), now=now)
            out.write({"state": {"tables": tables, "heads": out.heads}})
            digest = out.hasher.hexdigest()
            signature = base64.b64encode(key.sign(signed_message(digest))).decode()
            stream.write(_line({"digest": digest, "signature": signature}))
            stream.flush()
            os.fsync(stream.fileno())
        # Published under its name only when complete; link() never replaces an existing seal.
        path = directory / seal_name(number)
        try:
            os.link(part, path)
        except FileExistsError as exc:
            raise SealError(f"{path.name} was written by another sealer meanwhile") from exc
        folder = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(folder)  # the new name survives a crash too
        finally:
            os.close(folder)
    finally:
        part.unlink(missing_ok=True)
    return SealResult(number=number, path=path, digest=digest, heads=out.heads, sealed_at=now)
