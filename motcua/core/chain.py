"""Append-only events linked by a keyed hash chain (docs/architecture.md rule 3,
docs/decisions/audit.md), shared by every record that keeps a tamper-evident history (dossiers,
hotline tickets).

Each event carries the HMAC-SHA256, under a key kept outside the database
(``core/chain_keys.py``), of the previous event's hash and its own content; the record keeps
the chain's head (``event_seq``, ``event_head``). Events chained before the key existed have
no ``key_id`` and an unkeyed SHA-256 ("legacy"); they stay verifiable. The application never
updates or deletes an event: ``save`` refuses an update and ``delete`` refuses outright, and on
PostgreSQL a trigger refuses it to everyone else (``core/append_only.py``). A subclass adds the
foreign key to its record and names it in ``record_field``; that name is also the key under
which the record's id enters the hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.core.chain_keys import UnknownKeyError, keyring

GENESIS = "0" * 64


class AppendOnlyError(RuntimeError):
    pass


class ChainedEvent(models.Model):
    record_field: ClassVar[str]
    # Event kinds that move the record's due moment: each records the resulting moment as
    # ``due_at`` in its data, so verify_audit can hold the record's ``due_at`` to its history.
    due_kinds: ClassVar[frozenset[str]] = frozenset()

    seq = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("hành động"), max_length=40)
    at = models.DateTimeField(_("lúc"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=255, blank=True)
    from_status = models.CharField(_("từ trạng thái"), max_length=24, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=24, blank=True)
    data = models.JSONField(_("nội dung"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Which HMAC key chained this event (chain_keys.key_id_of); empty for legacy events.
    key_id = models.CharField(max_length=16, blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Events are never deleted.")

    def payload(self) -> dict[str, Any]:
        """Everything the hash covers."""
        return event_payload(
            record_field=self.record_field,
            record_id=getattr(self, f"{self.record_field}_id"),
            seq=self.seq,
            kind=self.kind,
            at=self.at,
            actor_id=self.actor_id,
            actor_name=self.actor_name,
            from_status=self.from_status,
            to_status=self.to_status,
            data=self.data,
            key_id=self.key_id,
        )

    def compute_hash(self) -> str:
        """HMAC-SHA256 under the event's key; plain SHA-256 for a legacy event (no key id).
        Raises UnknownKeyError when no configured key has the event's key id."""
        return chain_hash(self.prev_hash, self.payload(), self.key_id)


def event_payload(
    *,
    record_field: str,
    record_id: int,
    seq: int,
    kind: str,
    at: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    from_status: str,
    to_status: str,
    data: Any,
    key_id: str,
) -> dict[str, Any]:
    """What an event's hash covers. A function of the column values alone, so rows written
    without model instances (``simulate --bulk``) chain exactly as ``append`` does."""
    payload = {
        record_field: record_id,
        "seq": seq,
        "kind": kind,
        # In UTC: the same instant reads back from the database in UTC.
        "at": at.astimezone(dt.UTC).isoformat(),
        "actor": actor_id,
        "actor_name": actor_name,
        "from": from_status,
        "to": to_status,
        "data": data,
    }
    if key_id:
        # Bound into the MAC, so an event cannot be passed off under another key.
        payload["key_id"] = key_id
    return payload


def canonical(value: Any) -> str:
    """The one JSON text a payload hashes as: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, payload: dict[str, Any], key_id: str) -> str:
    """The hash of an event whose predecessor's hash is ``prev_hash``: HMAC-SHA256 under the
    key ``key_id`` names, plain SHA-256 for a legacy event (no key id)."""
    message = f"{prev_hash}{canonical(payload)}".encode()
    if not key_id:
        return hashlib.sha256(message).hexdigest()
    return keyring().mac(key_id, message)


def actor_of(user: object | None) -> tuple[int | None, str]:
    """The id and display name recorded for whoever acted (none for the public or a system
    callback)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    full_name = getattr(user, "get_full_name", lambda: "")() or user.get_username()  # type: ignore[attr-defined]
    return getattr(user, "pk", None), full_name


def jsonable(value: Any) -> Any:
    """Event data as JSON keeps it: datetimes in local time with offset, decimals as text."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


E = TypeVar("E", bound=ChainedEvent)


def append(
    event_model: type[E],
    record: Any,
    *,
    kind: str,
    actor: object | None,
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any],
) -> E:
    """Append an event to ``record``'s chain and move the chain head. The caller holds the
    record's row lock (or has just created it), so ``event_seq``/``event_head`` are current."""
    event = chain_event(
        event_model,
        record,
        kind=kind,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )
    # Written apart from the action's own save so neither overwrites the other.
    type(record)._default_manager.filter(pk=record.pk).update(
        event_seq=event.seq, event_head=event.hash
    )
    return event


def chain_event(
    event_model: type[E],
    record: Any,
    *,
    kind: str,
    actor: object | None,
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any],
) -> E:
    """Write the next event of ``record``'s chain and move the head on ``record`` in memory
    only: the caller writes ``event_seq`` and ``event_head`` with its own update of the row,
    in the same transaction (a reception writes them with the dossier's current step)."""
    actor_id, actor_name = actor_of(actor)
    event = event_model(
        **{event_model.record_field: record},
        seq=record.event_seq + 1,
        kind=kind,
        at=at,
        actor_id=actor_id,
        actor_name=actor_name,
        from_status=from_status,
        to_status=to_status,
        data=jsonable(data),
        prev_hash=record.event_head or GENESIS,
        key_id=keyring().current_id,
    )
    event.hash = event.compute_hash()
    event.save()
    record.event_seq, record.event_head = event.seq, event.hash
    return event


# ---- verification (manage.py verify_audit) ----------------------------------------------


@dataclass(frozen=True)
class Problem:
    record: str  # the record's code (a dossier's, a ticket's), or a seal's name
    seq: int | None
    event_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"sự kiện #{self.seq} (id {self.event_id})" if self.seq is not None else "chuỗi"
        return f"{self.record}: {where}: {self.message}"


@dataclass
class Tally:
    """What a verification went through: records, events, and legacy (unkeyed) events."""

    records: int = 0
    events: int = 0
    legacy: int = 0
    key_ids: set[str] = field(default_factory=set)


def record_label(record: Any) -> str:
    return str(getattr(record, "code", record.pk))


def verify_chain(
    record: Any, events: list[ChainedEvent], *, legacy_up_to: int | None = None
) -> list[Problem]:
    """What is wrong with one record's chain (events in ``seq`` order); [] when intact.

    A changed event no longer matches its MAC; a removed one leaves a gap in the sequence or
    a head that no event has; an inserted or reordered one breaks the links. An unkeyed event
    after a keyed one, or (``legacy_up_to``: the last legacy event id the first seal saw) one
    written after sealing began, is a chain downgraded to dodge the key. Last, the record's
    status and due moment must be those its last events recorded (docs/decisions/audit.md).
    """
    label = record_label(record)
    problems: list[Problem] = []
    previous_hash = GENESIS
    expected_seq = 1
    keyed = False
    for event in events:
        if event.seq != expected_seq:
            problems.append(
                Problem(
                    label,
                    event.seq,
                    event.pk,
                    f"thiếu sự kiện #{expected_seq}–#{event.seq - 1} (đã bị xóa)",
                )
            )
        if event.prev_hash != previous_hash:
            problems.append(Problem(label, event.seq, event.pk, "không nối với sự kiện liền trước"))
        if event.key_id:
            keyed = True
        elif keyed or (legacy_up_to is not None and event.pk > legacy_up_to):
            problems.append(
                Problem(
                    label,
                    event.seq,
                    event.pk,
                    gettext("sự kiện không khóa ghi sau khi đã dùng khóa (chuỗi bị hạ cấp)"),
                )
            )
        try:
            changed = event.compute_hash() != event.hash
        except UnknownKeyError as exc:
            problems.append(
                Problem(
                    label,
                    event.seq,
                    event.pk,
                    gettext("khóa «%(key)s» không có trong AUDIT_KEY/AUDIT_KEY_FILE")
                    % {"key": exc.key_id},
                )
            )
        else:
            if changed:
                problems.append(Problem(label, event.seq, event.pk, "nội dung đã bị sửa"))
        previous_hash = event.hash
        expected_seq = event.seq + 1
    if not events and record.event_seq == 0:
        # Every action appends an event, the creating one too: a record without any was
        # written around the application.
        problems.append(
            Problem(label, None, None, gettext("không có sự kiện nào (được ghi ngoài ứng dụng)"))
        )
    if record.event_seq != len(events) or (events and record.event_head != events[-1].hash):
        problems.append(
            Problem(
                label,
                None,
                None,
                f"ghi {record.event_seq} sự kiện, còn {len(events)} (sự kiện cuối bị xóa"
                " hoặc đầu chuỗi bị sửa)",
            )
        )
    problems.extend(state_problems(record, events))
    return problems


_UNKNOWN = object()


def _recorded_due(events: list[ChainedEvent]) -> object:
    """The due moment the history gives the record: the ``due_at`` of the last event that
    recorded one, None when none did; ``_UNKNOWN`` when a later event moved it without
    recording it (a legacy event, written before every such event recorded it)."""
    due_kinds = type(events[0]).due_kinds
    for event in reversed(events):
        data = event.data if isinstance(event.data, dict) else {}
        if "due_at" in data:
            value = data["due_at"]
            try:
                return dt.datetime.fromisoformat(value) if value else None
            except (TypeError, ValueError):
                return _UNKNOWN
        if event.kind in due_kinds:
            return _UNKNOWN
    return None


def _moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S") if value else "—"


def state_problems(record: Any, events: list[ChainedEvent]) -> list[Problem]:
    """The record's ``status`` and ``due_at`` against its history: only actions move them, and
    every action records the result (``to_status``; ``due_at`` in the data), so a difference
    was written around the application."""
    if not events:
        return []
    label = record_label(record)
    problems = []
    status = next((event.to_status for event in reversed(events) if event.to_status), "")
    actual_status = getattr(record, "status", None)
    if status and actual_status is not None and actual_status != status:
        problems.append(
            Problem(
                label,
                None,
                None,
                gettext(
                    "trạng thái «%(actual)s» khác trạng thái «%(recorded)s» mà sự kiện cuối"
                    " ghi (bị sửa ngoài ứng dụng)"
                )
                % {"actual": actual_status, "recorded": status},
            )
        )
    if hasattr(record, "due_at"):
        due = _recorded_due(events)
        if due is not _UNKNOWN and record.due_at != due:
            assert due is None or isinstance(due, dt.datetime)
            problems.append(
                Problem(
                    label,
                    None,
                    None,
                    gettext(
                        "hạn %(actual)s khác hạn %(recorded)s mà sự kiện cuối ghi (bị sửa"
                        " ngoài ứng dụng)"
                    )
                    % {"actual": _moment(record.due_at), "recorded": _moment(due)},
                )
            )
    return problems


def chained_models() -> list[type[ChainedEvent]]:
    """Every installed event model that keeps a chain."""
    return [m for m in apps.get_models() if issubclass(m, ChainedEvent)]


def record_model(event_model: type[ChainedEvent]) -> type[models.Model]:
    """The model whose history ``event_model`` keeps (Dossier, Ticket)."""
    related = event_model._meta.get_field(event_model.record_field).related_model
    assert isinstance(related, type) and issubclass(related, models.Model)
    return related


def verify_model(
    event_model: type[ChainedEvent],
    batch: int = 500,
    *,
    tally: Tally | None = None,
    legacy_up_to: int | None = None,
) -> Iterator[Problem]:
    """Every chain of one event model, streaming in batches of records (memory and query
    count stay flat at millions of records)."""
    tally = tally if tally is not None else Tally()
    field_name = event_model.record_field
    records_of = record_model(event_model)
    last_id = 0
    while True:
        records = list(records_of._default_manager.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not records:
            return
        by_record: dict[int, list[ChainedEvent]] = {r.pk: [] for r in records}
        events = event_model._default_manager.filter(**{f"{field_name}_id__in": list(by_record)})
        for event in events.order_by(f"{field_name}_id", "seq"):
            by_record[getattr(event, f"{field_name}_id")].append(event)
            tally.events += 1
            if event.key_id:
                tally.key_ids.add(event.key_id)
            else:
                tally.legacy += 1
        for record in records:
            tally.records += 1
            yield from verify_chain(record, by_record[record.pk], legacy_up_to=legacy_up_to)
        last_id = records[-1].pk
