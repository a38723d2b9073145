"""What every action shares, whatever record it changes (docs/architecture.md rules 1–3,
docs/decisions/dossiers.md "Actions").

An action refuses with ``ActionError`` (a machine code, a Vietnamese message and the HTTP
answer views and the API give). A record with a status (a dossier, a hotline ticket) has a
``Workflow``: the three steps every transition takes on it the same way, inside the action's
transaction: lock the row, check the action against the status table, append the
hash-chained event (``core/chain.py``). The action then saves with ``update_fields`` and
queues its side effects with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, Protocol, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Person
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from motcua.core.chain import ChainedEvent, append, chain_event

# Whoever acts: a signed-in person, or the public (``AnonymousUser``); None for a system
# callback.
User = Person | AnonymousUser

# action → (the statuses it may start from, the status it leads to; None: it stays)
Transitions = Mapping[str, tuple[frozenset[str], str | None]]


class ActionError(Exception):
    """An action refused; ``status`` is the HTTP answer (409 state conflict, 422 bad input)."""

    def __init__(
        self, code: str, message: str, *, status: int = 409, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}


def invalid(code: str, message: str, **details: Any) -> ActionError:
    """Bad input (422), as opposed to a state conflict."""
    return ActionError(code, message, status=422, details=details)


def require_text(value: str, field: str, message: str) -> str:
    """``value`` without surrounding spaces; ``message`` (422) when nothing is left."""
    value = (value or "").strip()
    if not value:
        raise invalid("required", message, field=field)
    return value


def person(user: User | None) -> Person | None:
    """The signed-in person behind an action, or None (the public, a system callback)."""
    return user if isinstance(user, Person) else None


# The moment actions happen at, when it is not the wall clock's: set by ``acting_at``.
_acting_at: ContextVar[dt.datetime | None] = ContextVar("motcua_acting_at", default=None)


def now() -> dt.datetime:
    """The moment an action happens (one call per action, so its rows agree): the wall clock,
    or the moment ``acting_at`` set."""
    return _acting_at.get() or timezone.now()


@contextmanager
def acting_at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Take the actions inside the block at ``moment`` (timezone-aware): replaying history,
    such as ``manage.py simulate``, records every event, due moment, counter day and notice
    as if it happened then. The moment belongs to the current thread or task only, and the
    previous one is back when the block ends."""
    if timezone.is_naive(moment):
        raise ValueError("acting_at needs a timezone-aware moment")
    token = _acting_at.set(moment)
    try:
        yield moment
    finally:
        _acting_at.reset(token)


class _Stateful(Protocol):
    """What a workflow reads on its record besides the row: its code and status."""

    code: str
    status: str

    def get_status_display(self) -> str: ...


R = TypeVar("R", bound=models.Model)
E = TypeVar("E", bound=ChainedEvent)


class Workflow(Generic[R, E]):
    """The transitions of one kind of record: ``model`` locked, checked against
    ``transitions``, its history appended to ``events``. ``refusal`` is the message for an
    action the status does not allow, with ``%(code)s`` and ``%(status)s``."""

    def __init__(
        self,
        *,
        model: type[R],
        events: type[E],
        transitions: Transitions,
        refusal: str | Promise,
    ) -> None:
        self.model = model
        self.events = events
        self.transitions = transitions
        self.refusal = refusal

    def lock(self, record: R) -> R:
        """The record's row, locked until the transaction ends, with its current state."""
        return self.model._default_manager.select_for_update().get(pk=record.pk)

    def ensure(self, record: R, action: str) -> str | None:
        """Refuse an action the current status does not allow; return the status it leads to."""
        allowed, target = self.transitions[action]
        state = cast(_Stateful, record)
        if state.status not in allowed:
            raise ActionError(
                "invalid_transition",
                str(self.refusal) % {"code": state.code, "status": state.get_status_display()},
                details={"status": state.status, "action": action},
            )
        return target

    def append_event(
        self,
        record: R,
        *,
        kind: str,
        actor: User | None,
        at: dt.datetime,
        from_status: str = "",
        to_status: str = "",
        **data: Any,
    ) -> E:
        """Append an event to the record's chain (``core.chain.append``)."""
        return append(
            self.events,
            record,
            kind=kind,
            actor=actor,
            at=at,
            from_status=from_status,
            to_status=to_status,
            data=data,
        )

    def chain_event(
        self,
        record: R,
        *,
        kind: str,
        actor: User | None,
        at: dt.datetime,
        from_status: str = "",
        to_status: str = "",
        **data: Any,
    ) -> E:
        """Write the next event, leaving the head's write to the caller's own update of the
        record (``core.chain.chain_event``)."""
        return chain_event(
            self.events,
            record,
            kind=kind,
            actor=actor,
            at=at,
            from_status=from_status,
            to_status=to_status,
            data=data,
        )
