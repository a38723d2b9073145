"""Seals: signed digests of the event chains' heads, kept outside the database
(docs/decisions/audit.md).

The keyed chain stops someone who can write the database but does not hold the HMAC key. A
seal stops the one who holds it too: ``manage.py seal_audit`` (hourly) writes to
``AUDIT_SEAL_DIR`` the head (seq, hash) of every record whose chain advanced since the
previous seal, signs the file with an Ed25519 key the database never sees, and chains it to
the previous seal by that seal's digest. Re-chaining sealed events, deleting a sealed record or
removing a seal from the middle of the folder then shows in ``verify_audit``; removing the
*latest* seal shows against its digest, published on ``/thong-ke/``.

**Files.** ``00000001.seal``, ``00000002.seal`` … in order, UTF-8 JSON lines, each created once
and never overwritten (written to a ``.part`` file opened with ``O_EXCL``, then published under
its name with ``os.link``, which fails rather than replace an existing seal)::

    {"format": …, "number": 7, "sealed_at": …, "previous": <digest of seal 6>, "key_id": …}
    ["dossiers.dossierevent", <record id>, "<code>", <seq>, "<hash>"]     one line per head
    {"state": {"watermarks": …, "pending": …, "legacy_up_to": …, "heads": <count>}}
    {"digest": <SHA-256 of every line above>, "signature": <Ed25519 of the digest, base64>}

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.apps import apps
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from motcua.core.chain import GENESIS, ChainedEvent, Problem, chained_models, record_model

FORMAT = "motcua-audit-seal/1"
SUFFIX = ".seal"
BATCH = 2000


class SealError(RuntimeError):
    """Sealing cannot go on: misconfiguration, or a previous seal that does not verify."""


# ---- keys ---------------------------------------------------------------------------------


def new_key_pair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as PEM: (private, public)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


def public_key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def private_key() -> Ed25519PrivateKey | None:
    """The signing key (``AUDIT_SEAL_KEY``/``AUDIT_SEAL_KEY_FILE``), None when not set."""
    pem = settings.AUDIT_SEAL_KEY
    if not pem:
        return None
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise SealError(f"AUDIT_SEAL_KEY is not a PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SealError("AUDIT_SEAL_KEY is not an Ed25519 key")
    return key


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key that may verify a seal, by id: the signing key's own, and the PEM blocks of
    ``AUDIT_SEAL_PUBLIC_KEY`` (a verifier's copy; old keys after the seal key is replaced)."""
    keys: dict[str, Ed25519PublicKey] = {}
    signing = private_key()
    if signing is not None:
        keys[public_key_id(signing.public_key())] = signing.public_key()
    marker = "-----BEGIN PUBLIC KEY-----"
    for block in settings.AUDIT_SEAL_PUBLIC_KEY.split(marker)[1:]:
        try:
            key = serialization.load_pem_public_key(f"{marker}{block}".encode())
        except ValueError as exc:
            raise SealError(f"AUDIT_SEAL_PUBLIC_KEY holds an unreadable key: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise SealError("AUDIT_SEAL_PUBLIC_KEY holds a key that is not Ed25519")
        keys[public_key_id(key)] = key
    return keys


def _signed_message(digest: str) -> bytes:
    return f"{FORMAT}\n{digest}".encode()


# ---- files --------------------------------------------------------------------------------


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


def _line(value: object) -> bytes:
    return (
        json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode()


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
            key.verify(base64.b64decode(self.signature), _signed_message(self.digest))
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


# ---- writing ------------------------------------------------------------------------------


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
            signature = base64.b64encode(key.sign(_signed_message(digest))).decode()
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


# ---- verification (manage.py verify_audit) ------------------------------------------------


@dataclass
class SealCheck:
    """What the seal check found: problems, how many seals, the newest one, and the legacy
    bounds of the first seal (for the chain check)."""

    problems: list[Problem] = field(default_factory=list)
    seals: int = 0
    heads: int = 0
    latest: Seal | None = None
    legacy_up_to: dict[str, int] | None = None


class _HeadChecker:
    """Checks sealed heads against the database in batches: the record still there, its event
    at the sealed seq still there with the sealed hash."""

    def __init__(self, check: SealCheck) -> None:
        self.check = check
        self.batch: list[Head] = []
        self.number = 0
        self.reported: set[tuple[str, int, int | None]] = set()

    def add(self, head: Head) -> None:
        self.batch.append(head)
        if len(self.batch) >= BATCH:
            self.flush()

    def _report(self, head: Head, seq: int | None, message: str) -> None:
        key = (head.model, head.record_id, seq)
        if key not in self.reported:
            self.reported.add(key)
            self.check.problems.append(Problem(head.code, seq, None, message))

    def flush(self) -> None:
        by_model: dict[str, list[Head]] = {}
        for head in self.batch:
            by_model.setdefault(head.model, []).append(head)
        self.batch = []
        for label, heads in by_model.items():
            self._check(label, heads)

    def _check(self, label: str, heads: list[Head]) -> None:
        self.check.heads += len(heads)
        try:
            event_model = apps.get_model(label)
        except (LookupError, ValueError):
            for head in heads:
                self._report(head, None, gettext("loại nhật ký «%(m)s» không còn") % {"m": label})
            return
        record_id = f"{event_model.record_field}_id"
        ids = {head.record_id for head in heads}
        present = set(
            record_model(event_model)
            ._default_manager.filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        current = {
            (record, seq): digest
            for record, seq, digest in event_model._default_manager.filter(
                **{f"{record_id}__in": ids}, seq__in={head.seq for head in heads}
            ).values_list(record_id, "seq", "hash")
        }
        for head in heads:
            sealed = {"n": self.number, "seq": head.seq}
            if head.record_id not in present:
                self._report(
                    head,
                    None,
                    gettext(
                        "không còn trong cơ sở dữ liệu (bị xóa); niêm phong #%(n)s ghi nhận đến"
                        " sự kiện #%(seq)s"
                    )
                    % sealed,
                )
            elif (head.record_id, head.seq) not in current:
                self._report(
                    head,
                    head.seq,
                    gettext("sự kiện đã niêm phong (#%(n)s) không còn (bị xóa)") % sealed,
                )
            elif current[(head.record_id, head.seq)] != head.hash:
                self._report(
                    head,
                    head.seq,
                    gettext(
                        "khác bản đã niêm phong #%(n)s: chuỗi đã bị tính lại sau khi niêm phong"
                    )
                    % sealed,
                )


def verify_seals(directory: Path) -> SealCheck:
    """Every seal in ``directory``: readable, its digest, its signature, its link to the
    previous seal, numbers without gaps, and each sealed head against the database."""
    check = SealCheck()
    files = seal_files(directory)
    if not files:
        return check
    keys = public_keys()
    if not keys:
        check.problems.append(
            Problem(
                "AUDIT_SEAL_DIR",
                None,
                None,
                gettext(
                    "không có khóa công khai để kiểm tra chữ ký niêm phong"
                    " (AUDIT_SEAL_KEY_FILE hoặc AUDIT_SEAL_PUBLIC_KEY_FILE)"
                ),
            )
        )
    checker = _HeadChecker(check)
    previous_digest, expected = GENESIS, 1
    for number, path in files:
        name = gettext("niêm phong %(name)s") % {"name": path.name}
        if number != expected:
            missing = (
                gettext("thiếu niêm phong #%(a)s (chuỗi niêm phong bị đứt)")
                if number - 1 == expected
                else gettext("thiếu niêm phong #%(a)s–#%(b)s (chuỗi niêm phong bị đứt)")
            )
            check.problems.append(
                Problem(name, None, None, missing % {"a": expected, "b": number - 1})
            )
        checker.number = number
        try:
            found = read_seal(path, visit=checker.add)
        except SealError as exc:
            check.problems.append(
                Problem(name, None, None, gettext("không đọc được: %(e)s") % {"e": exc})
            )
            previous_digest, expected = "", number + 1
            continue
        checker.flush()
        check.seals += 1
        check.latest = found
        if found.number != number:
            check.problems.append(
                Problem(name, None, None, gettext("số trong tệp khác tên tệp (bị đổi tên)"))
            )
        if not found.intact:
            check.problems.append(
                Problem(name, None, None, gettext("nội dung không khớp mã của nó (bị sửa)"))
            )
        signed = found.signed_by(keys)
        if keys and not signed:
            check.problems.append(
                Problem(name, None, None, gettext("chữ ký không hợp lệ (bị sửa hoặc giả)"))
            )
        # A gap in the numbers was reported above; a seal that follows its predecessor's
        # number must also carry its digest.
        if number == expected and found.previous != previous_digest:
            check.problems.append(
                Problem(
                    name,
                    None,
                    None,
                    gettext("không nối với niêm phong liền trước (chuỗi niêm phong bị đứt)"),
                )
            )
        if number == 1 and found.intact and signed:
            tables = found.state.get("tables", {})
            check.legacy_up_to = {
                label: int(table.get("legacy_up_to", 0)) for label, table in tables.items()
            }
        previous_digest, expected = found.digest, number + 1
    return check
