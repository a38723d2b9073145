"""The seal files in ``AUDIT_SEAL_DIR``: their format, their names, and reading them
(docs/decisions/audit.md "Seals").

**Files.** ``00000001.seal``, ``00000002.seal`` … in order, UTF-8 JSON lines, each created once
and never overwritten (see ``writing``)::

    {"format": …, "number": 7, "sealed_at": …, "previous": <digest of seal 6>, "key_id": …}
    ["dossiers.dossierevent", <record id>, "<code>", <seq>, "<hash>"]     one line per head
    {"state": {"watermarks": …, "pending": …, "legacy_up_to": …, "heads": <count>}}
    {"digest": <SHA-256 of every line above>, "signature": <Ed25519 of the digest, base64>}
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

FORMAT = "motcua-audit-seal/1"
SUFFIX = ".seal"
# Rows per database query, when sealing and when checking sealed heads.
BATCH = 2000


class SealError(RuntimeError):
    """Sealing cannot go on: misconfiguration, or a previous seal that does not verify."""


def signed_message(digest: str) -> bytes:
    """What a seal's signature covers: the format and the digest."""
    return f"{FORMAT}\n{digest}".encode()


def seal_directory() -> Path | None:
    directory = settings.AUDIT_SEAL_DIR
    return Path(directory) if directory else None


def seal_files(directory: Path) -> list[tuple[int, Path]]:
    """The seals in the folder, by number (unfinished ``.part`` files are not seals)."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.glob(f"*{SUFFIX}"):
        stem = path.name[: -len(SUFFIX)]
        if stem.isdigit():
            found.append((int(stem), path))
    return sorted(found)


def seal_name(number: int) -> str:
    return f"{number:08d}{SUFFIX}"


@dataclass(frozen=True)
class Head:
    model: str  # the event model's label, e.g. "dossiers.dossierevent"
    record_id: int
    code: str
    seq: int
    hash: str


@dataclass
class Seal:
    """A seal file as read: its header, state and trailer, and the digest recomputed."""

    path: Path
    number: int
    sealed_at: dt.datetime
    previous: str
    key_id: str
    state: dict[str, Any]
    digest: str
    signature: str
    computed: str
    heads: int

    @property
    def intact(self) -> bool:
        return self.computed == self.digest

    def signed_by(self, keys: dict[str, Ed25519PublicKey]) -> bool:
        key = keys.get(self.key_id)
        if key is None:
            return False
        try:
            key.verify(base64.b64decode(self.signature), signed_message(self.digest))
        except (InvalidSignature, ValueError):
            return False
        return True


def read_seal(path: Path, *, visit: Callable[[Head], None] | None = None) -> Seal:
    """Read a seal in one pass, handing each head to ``visit``. SealError if malformed."""
    hasher = hashlib.sha256()
    header: dict[str, Any] | None = None
    state: dict[str, Any] | None = None
    trailer: dict[str, Any] | None = None
    heads = 0
    try:
        with path.open("rb") as stream:
            for raw in stream:
                if trailer is not None:
                    raise SealError("lines after the signature")
                value = json.loads(raw)
                if header is None:
                    if not isinstance(value, dict) or value.get("format") != FORMAT:
                        raise SealError("not a seal (format)")
                    header = value
                elif isinstance(value, list):
                    if state is not None:
                        raise SealError("a head after the state line")
                    heads += 1
                    if visit is not None:
                        model, record_id, code, seq, digest = value
                        visit(Head(model, int(record_id), str(code), int(seq), str(digest)))
                elif isinstance(value, dict) and "state" in value:
                    state = value["state"]
                elif isinstance(value, dict) and "digest" in value:
                    trailer = value
                    continue
                else:
                    raise SealError("unexpected line")
                hasher.update(raw)
        if header is None or state is None or trailer is None:
            raise SealError("incomplete")
        return Seal(
            path=path,
            number=int(header["number"]),
            sealed_at=dt.datetime.fromisoformat(header["sealed_at"]),
            previous=str(header["previous"]),
            key_id=str(header.get("key_id", "")),
            state=state,
            digest=str(trailer["digest"]),
            signature=str(trailer.get("signature", "")),
            computed=hasher.hexdigest(),
            heads=heads,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SealError(f"{path.name}: {exc}") from exc
    except SealError as exc:
        raise SealError(f"{path.name}: {exc}") from exc


@dataclass(frozen=True)
class SealSummary:
    number: int
    sealed_at: dt.datetime
    digest: str


def latest_seal() -> SealSummary | None:
    """The newest seal's number, time and digest, from its first and last lines only (for
    the public statistics page; ``verify_audit`` checks the files)."""
    directory = seal_directory()
    files = seal_files(directory) if directory else []
    if not files:
        return None
    path = files[-1][1]
    try:
        with path.open("rb") as stream:
            header = json.loads(stream.readline())
            size = stream.seek(0, os.SEEK_END)
            stream.seek(max(0, size - 4096))
            trailer = json.loads(stream.read().splitlines()[-1])
        return SealSummary(
            number=int(header["number"]),
            sealed_at=dt.datetime.fromisoformat(header["sealed_at"]),
            digest=str(trailer["digest"]),
        )
    except (OSError, ValueError, KeyError, IndexError):
        return None
