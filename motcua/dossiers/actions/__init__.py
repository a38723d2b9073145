"""Every state change of a dossier is one of these functions (docs/architecture.md rule 1);
the statuses they move between: docs/rules/statuses.md."""

from motcua.core.actions import ActionError
from motcua.dossiers.actions.application import Applicant, Application, ReceivedDocument
from motcua.dossiers.actions.national import resend_national_changes
from motcua.dossiers.actions.processing import (
    SuppliedDocument,
    apologise,
    complete_supplement,
    forward_dossier,
    record_payment,
    record_step,
    request_payment,
    request_supplement,
    stop_processing,
    withdraw_dossier,
)
from motcua.dossiers.actions.rating import rate_dossier
from motcua.dossiers.actions.reception import accept_submission, receive_dossier, submit_online
from motcua.dossiers.actions.refusals import refuse_at_desk, refuse_submission
from motcua.dossiers.actions.results import (
    mark_result_ready,
    return_result,
    revoke_result,
    sign_result_personally,
)

__all__ = [
    "ActionError",
    "Applicant",
    "Application",
    "ReceivedDocument",
    "SuppliedDocument",
    "accept_submission",
    "apologise",
    "complete_supplement",
    "forward_dossier",
    "mark_result_ready",
    "rate_dossier",
    "receive_dossier",
    "record_payment",
    "record_step",
    "refuse_at_desk",
    "refuse_submission",
    "request_payment",
    "request_supplement",
    "resend_national_changes",
    "return_result",
    "revoke_result",
    "sign_result_personally",
    "stop_processing",
    "submit_online",
    "withdraw_dossier",
]
