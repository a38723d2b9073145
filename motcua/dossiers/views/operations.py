"""The actions the dossier page offers: each one's label, inputs and action function.

Which are shown is decided by the two rules the actions themselves enforce: the user's role
at the dossier's current step (``permissions.Scope.may``) and the status
(``status.TRANSITIONS``). The page only hides what would be refused; the action still
checks, under its row lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.access import Scope
from motcua.dossiers.actions import (
    accept_submission,
    apologise,
    complete_supplement,
    forward_dossier,
    mark_result_ready,
    record_payment,
    record_step,
    refuse_submission,
    request_payment,
    request_supplement,
    return_result,
    revoke_result,
    sign_result_personally,
    stop_processing,
    withdraw_dossier,
)
from motcua.dossiers.forms import (
    ActionForm,
    ApologyForm,
    ForwardForm,
    NoteForm,
    OpinionForm,
    PaymentForm,
    PersonalSignatureForm,
    ReasonForm,
    RequestPaymentForm,
    ResultReadyForm,
    ReturnForm,
    SupplementForm,
)
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.permissions import next_step
from motcua.dossiers.status import can

Run = Callable[..., Dossier]


@dataclass(frozen=True)
class Operation:
    name: str  # the action's key in status.TRANSITIONS and Scope.may
    label: str | Promise
    form: type[ActionForm]
    run: Run
    done: str | Promise
    danger: bool = False

    def make_form(
        self, dossier: Dossier, data: Any = None, files: Any = None, scope: Scope | None = None
    ) -> ActionForm:
        return self.form(data, files, dossier=dossier, scope=scope, prefix=self.name)


class ConfirmForm(ActionForm):
    """An action with nothing to type."""


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "receive",
        _("Tiếp nhận hồ sơ nộp trực tuyến"),
        ConfirmForm,
        accept_submission,
        _("Đã tiếp nhận hồ sơ; thời hạn giải quyết bắt đầu tính."),
    ),
    Operation(
        "refuse",
        _("Từ chối tiếp nhận"),
        ReasonForm,
        refuse_submission,
        _("Đã từ chối tiếp nhận hồ sơ."),
        danger=True,
    ),
    Operation(
        "forward",
        _("Chuyển bước tiếp theo"),
        ForwardForm,
        forward_dossier,
        _("Đã chuyển hồ sơ sang bước tiếp theo."),
    ),
    Operation("record_step", _("Ghi ý kiến xử lý"), OpinionForm, record_step, _("Đã ghi ý kiến.")),
    Operation(
        "mark_result_ready",
        _("Đã có kết quả giải quyết"),
        ResultReadyForm,
        mark_result_ready,
        _("Đã ghi nhận có kết quả; hồ sơ chờ trả kết quả."),
    ),
    Operation(
        "sign_result_personally",
        _("Ký số"),
        PersonalSignatureForm,
        sign_result_personally,
        _("Đã ký số kết quả; kết quả chờ cơ quan ký số."),
    ),
    Operation(
        "return_result",
        _("Trả kết quả"),
        ReturnForm,
        return_result,
        _("Đã trả kết quả cho chủ hồ sơ."),
    ),
    Operation(
        "request_supplement",
        _("Yêu cầu bổ sung hồ sơ"),
        SupplementForm,
        request_supplement,
        _("Đã yêu cầu bổ sung; thời gian giải quyết tạm dừng."),
    ),
    Operation(
        "complete_supplement",
        _("Đã nhận hồ sơ bổ sung"),
        NoteForm,
        complete_supplement,
        _("Đã nhận bổ sung; thời gian giải quyết tính tiếp."),
    ),
    Operation(
        "request_payment",
        _("Yêu cầu nộp phí, lệ phí"),
        RequestPaymentForm,
        request_payment,
        _("Đã yêu cầu nộp phí, lệ phí."),
    ),
    Operation(
        "record_payment",
        _("Ghi nhận đã nộp phí, lệ phí"),
        PaymentForm,
        record_payment,
        _("Đã ghi nhận khoản nộp."),
    ),
    Operation(
        "apologise",
        _("Xin lỗi, hẹn lại ngày trả"),
        ApologyForm,
        apologise,
        _("Đã ghi văn bản xin lỗi và ngày hẹn trả mới."),
    ),
    Operation(
        "withdraw",
        _("Rút hồ sơ theo yêu cầu"),
        ReasonForm,
        withdraw_dossier,
        _("Đã rút hồ sơ."),
        danger=True,
    ),
    Operation(
        "stop",
        _("Dừng xử lý"),
        ReasonForm,
        stop_processing,
        _("Đã dừng xử lý hồ sơ."),
        danger=True,
    ),
    Operation(
        "revoke_result",
        _("Thu hồi kết quả"),
        ReasonForm,
        revoke_result,
        _("Đã thu hồi kết quả."),
        danger=True,
    ),
)
BY_NAME = {operation.name: operation for operation in OPERATIONS}


def available(dossier: Dossier, scope: Scope, steps: list[DossierStep]) -> list[Operation]:
    """What this user may do to this dossier now."""
    following = next_step(steps)
    return [
        op
        for op in OPERATIONS
        if can(op.name, dossier.status)
        and scope.may(dossier, op.name, steps)
        # At the step that decides there is nowhere to forward to.
        and (op.name != "forward" or following is not None)
    ]


def perform(operation: Operation, dossier: Dossier, officer: Any, form: ActionForm) -> Dossier:
    return operation.run(dossier=dossier, officer=officer, **form.arguments())
