"""Verification of the dossiers' tamper-evident history (docs/architecture.md rule 3); the rules are
shared with every chained history in ``core/chain.py``."""

from __future__ import annotations

from collections.abc import Iterator

from motcua.core.chain import Problem, verify_model
from motcua.core.chain import verify_chain as _verify_chain
from motcua.dossiers.models import Dossier, DossierEvent

__all__ = ["Problem", "verify_all", "verify_chain"]


def verify_chain(dossier: Dossier, events: list[DossierEvent] | None = None) -> list[Problem]:
    events = events if events is not None else list(dossier.events.order_by("seq"))
    return _verify_chain(dossier, list(events))


def verify_all(batch: int = 500) -> Iterator[Problem]:
    return verify_model(DossierEvent, batch)
