"""Dossier statuses, the one table of allowed transitions, and the national codes.

Every internal status maps to exactly one status code of the National Public Service Portal
(docs/rules/statuses.md); the transitions table is the only place that says which
action may move a dossier from where to where.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Mới đăng ký")  # submitted online, not yet received (1)
    RECEIVED = "received", _("Được tiếp nhận")  # received at a desk; the clock runs (2)
    REFUSED = "refused", _("Không được tiếp nhận")  # refused at reception, Form 03 (3)
    IN_PROGRESS = "in_progress", _("Đang xử lý")  # at some workflow step (4)
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung giấy tờ")  # Form 02 (5)
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")  # (6)
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")  # withdrawn by the applicant (7)
    STOPPED = "stopped", _("Dừng xử lý")  # stopped by the agency, Form 05 (8)
    RESULT_READY = "result_ready", _("Đã xử lý xong")  # result ready to return (9)
    RETURNED = "returned", _("Đã trả kết quả")  # result returned (10)
    REVOKED = "revoked", _("Đã thu hồi kết quả")  # a returned result revoked; stays 10


NATIONAL_CODE: dict[str, int] = {
    DossierStatus.SUBMITTED: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.REFUSED: 3,
    DossierStatus.IN_PROGRESS: 4,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
    DossierStatus.AWAITING_PAYMENT: 6,
    DossierStatus.WITHDRAWN: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.RESULT_READY: 9,
    DossierStatus.RETURNED: 10,
    # The national portal has no "revoked": the result was returned, and the revocation is
    # an event of the dossier's history.
    DossierStatus.REVOKED: 10,
}

S = DossierStatus
ACTIVE = frozenset({S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT})
PAUSED = frozenset({S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT})
FINAL = frozenset({S.REFUSED, S.WITHDRAWN, S.STOPPED, S.REVOKED})

# action → the statuses it may start from → the status it leads to (None: stays as it is).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "receive": (frozenset({S.SUBMITTED}), S.RECEIVED),
    "refuse": (frozenset({S.SUBMITTED}), S.REFUSED),
    "forward": (frozenset({S.RECEIVED, S.IN_PROGRESS}), S.IN_PROGRESS),
    "record_step": (frozenset({S.RECEIVED, S.IN_PROGRESS}), None),
    "request_supplement": (frozenset({S.RECEIVED, S.IN_PROGRESS}), S.SUPPLEMENT_REQUESTED),
    "complete_supplement": (frozenset({S.SUPPLEMENT_REQUESTED}), None),  # back where it was
    "request_payment": (
        frozenset({S.RECEIVED, S.IN_PROGRESS, S.RESULT_READY}),
        S.AWAITING_PAYMENT,
    ),
    "record_payment": (frozenset({S.AWAITING_PAYMENT}), None),  # back where it was
    "stop": (frozenset(ACTIVE), S.STOPPED),
    "withdraw": (frozenset({S.SUBMITTED, *ACTIVE}), S.WITHDRAWN),
    "apologise": (frozenset({S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED}), None),
    "mark_result_ready": (frozenset({S.RECEIVED, S.IN_PROGRESS}), S.RESULT_READY),
    "return_result": (frozenset({S.RESULT_READY}), S.RETURNED),
    "revoke_result": (frozenset({S.RETURNED}), S.REVOKED),
    # A leader's personal signature on the result, before the agency's (docs/signatures.md);
    # the fees may be asked for meanwhile.
    "sign_result_personally": (frozenset({S.RESULT_READY, S.AWAITING_PAYMENT}), None),
    # The public postal service (motcua/postal/actions.py, docs/postal.md): the papers are
    # collected while there are papers to bring; the result is ordered delivered until it is
    # handed back. Neither changes the status.
    "register_postal_pickup": (frozenset({S.SUBMITTED, S.SUPPLEMENT_REQUESTED}), None),
    "register_postal_delivery": (frozenset({S.SUBMITTED, *ACTIVE, S.RESULT_READY}), None),
}


def national_code(status: str) -> int:
    return NATIONAL_CODE[status]


def allowed_from(action: str) -> frozenset[str]:
    return TRANSITIONS[action][0]


def can(action: str, status: str) -> bool:
    return status in TRANSITIONS[action][0]
