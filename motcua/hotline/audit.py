"""Verification of the tickets' tamper-evident history (docs/architecture.md rule 3); the rules are
shared with every chained history in ``core/chain.py``."""

from __future__ import annotations

from motcua.core.chain import Problem, verify_chain
from motcua.hotline.models import Ticket


def verify_ticket(ticket: Ticket) -> list[Problem]:
    return verify_chain(ticket, list(ticket.events.order_by("seq")))
