"""Every change to a ticket is one of these functions (docs/architecture.md rule 1): lock, guard
against the transitions table in ``status.py``, append the hash-chained event, save with
``update_fields``, queue side effects on commit."""

from motcua.core.actions import ActionError
from motcua.hotline.actions.feedback import ask_for_details, decline_ticket
from motcua.hotline.actions.handling import (
    add_note,
    answer_ticket,
    claim_ticket,
    classify_ticket,
    close_ticket,
    escalate_ticket,
    link_dossier,
    merge_ticket,
    release_ticket,
    reopen_ticket,
    return_to_hotline,
    route_ticket,
    take_ticket,
)
from motcua.hotline.actions.intake import ReceiveResult, log_call, open_ticket, receive_message
from motcua.hotline.actions.publication import (
    merge_contacts,
    publish_answer,
    rate_ticket,
    unpublish_answer,
)

__all__ = [
    "ActionError",
    "ReceiveResult",
    "add_note",
    "answer_ticket",
    "ask_for_details",
    "claim_ticket",
    "classify_ticket",
    "close_ticket",
    "decline_ticket",
    "escalate_ticket",
    "link_dossier",
    "log_call",
    "merge_contacts",
    "merge_ticket",
    "open_ticket",
    "publish_answer",
    "rate_ticket",
    "receive_message",
    "release_ticket",
    "reopen_ticket",
    "return_to_hotline",
    "route_ticket",
    "take_ticket",
    "unpublish_answer",
]
