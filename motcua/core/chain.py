"""Append-only events linked by a hash chain (DESIGN.md rule 3), shared by every record that
keeps a tamper-evident history (dossiers, hotline tickets).

Each event carries the hash of the previous event of the same record and the record keeps the
chain's head (``event_seq``, ``event_head``). The application never updates or deletes an
event: ``save`` refuses an update and ``delete`` refuses outright. A subclass adds the foreign
key to its record and names it in ``record_field``; that name is also the key under which the
record's id enters the hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AppendOnlyError(RuntimeError):
    pass


class ChainedEvent(models.Model):
    record_field: ClassVar[str]

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
        return {
            self.record_field: getattr(self, f"{self.record_field}_id"),
            "seq": self.seq,
            "kind": self.kind,
            # In UTC: the same instant reads back from the database in UTC.
            "at": self.at.astimezone(dt.UTC).isoformat(),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "from": self.from_status,
            "to": self.to_status,
            "data": self.data,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )
        return hashlib.sha256(f"{self.prev_hash}{canonical}".encode()).hexdigest()


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
    )
    event.hash = event.compute_hash()
    event.save()
    # Written apart from the action's own save so neither overwrites the other.
    type(record)._default_manager.filter(pk=record.pk).update(
        event_seq=event.seq, event_head=event.hash
    )
    record.event_seq, record.event_head = event.seq, event.hash
    return event


# ---- verification (manage.py verify_audit) ----------------------------------------------


@dataclass(frozen=True)
class Problem:
    record: str  # the record's code (a dossier's, a ticket's)
    seq: int | None
    event_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"sự kiện #{self.seq} (id {self.event_id})" if self.seq is not None else "chuỗi"
        return f"{self.record}: {where}: {self.message}"


def verify_chain(record: Any, events: list[ChainedEvent]) -> list[Problem]:
    """What is wrong with one record's chain (events in ``seq`` order); [] when intact.

    A changed event no longer matches its hash; a removed one leaves a gap in the sequence or
    a head that no event has; an inserted or reordered one breaks the links.
    """
    label = str(getattr(record, "code", record.pk))
    problems: list[Problem] = []
    previous_hash = GENESIS
    expected_seq = 1
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
        if event.compute_hash() != event.hash:
            problems.append(Problem(label, event.seq, event.pk, "nội dung đã bị sửa"))
        previous_hash = event.hash
        expected_seq = event.seq + 1
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
    return problems


def chained_models() -> list[type[ChainedEvent]]:
    """Every installed event model that keeps a chain."""
    return [m for m in apps.get_models() if issubclass(m, ChainedEvent)]


def record_model(event_model: type[ChainedEvent]) -> type[models.Model]:
    """The model whose history ``event_model`` keeps (Dossier, Ticket)."""
    related = event_model._meta.get_field(event_model.record_field).related_model
    assert isinstance(related, type) and issubclass(related, models.Model)
    return related


def verify_model(event_model: type[ChainedEvent], batch: int = 500) -> Iterator[Problem]:
    """Every chain of one event model, streaming in batches of records."""
    field = event_model.record_field
    records_of = record_model(event_model)
    last_id = 0
    while True:
        records = list(records_of._default_manager.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not records:
            return
        by_record: dict[int, list[ChainedEvent]] = {r.pk: [] for r in records}
        events = event_model._default_manager.filter(**{f"{field}_id__in": list(by_record)})
        for event in events.order_by(f"{field}_id", "seq"):
            by_record[getattr(event, f"{field}_id")].append(event)
        for record in records:
            yield from verify_chain(record, by_record[record.pk])
        last_id = records[-1].pk
