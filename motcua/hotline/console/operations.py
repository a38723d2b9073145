"""The actions the ticket page offers: each one's label, inputs, action function and message.

Which are shown follows the two rules the actions enforce: who the user is
(``HotlineScope.may``) and the ticket's status (``status.TRANSITIONS``). The page only hides
what would be refused; the action still checks, under its row lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.hotline import actions, replies
from motcua.hotline.access import HotlineScope
from motcua.hotline.actions import ActionError
from motcua.hotline.console import forms
from motcua.hotline.models import Ticket
from motcua.hotline.status import FEEDBACK_KINDS, TRANSITIONS, can

Run = Callable[[Ticket, Any, Any], object]


@dataclass(frozen=True)
class Operation:
    name: str  # the key in status.TRANSITIONS (when it has one) and in HotlineScope.may
    label: str | Promise
    form: type[forms.TicketForm]
    run: Run
    done: str | Promise
    danger: bool = False
    # Shown in the side panel; the others have their own place on the page.
    panel: bool = True
    # Whether it applies to this ticket beyond the status table (who holds it, what it is).
    applies: Callable[[Ticket, Any], bool] = lambda ticket, user: True

    def make_form(
        self, ticket: Ticket, hotline: HotlineScope, user: Any, data: Any = None
    ) -> forms.TicketForm:
        return self.form(data, ticket=ticket, hotline=hotline, user=user, prefix=self.name)

    def allowed(self, ticket: Ticket, hotline: HotlineScope, user: Any) -> bool:
        in_table = self.name not in TRANSITIONS or can(self.name, ticket.status)
        return (
            in_table and hotline.may(ticket, permission(self.name)) and self.applies(ticket, user)
        )


def _plain(action: Callable[..., object]) -> Run:
    return lambda ticket, user, form: action(ticket=ticket, user=user, **form.arguments())


def _merge_contacts(ticket: Ticket, user: Any, form: forms.TicketForm) -> object:
    return actions.merge_contacts(keep=ticket.contact, user=user, **form.arguments())


def _resend(ticket: Ticket, user: Any, form: forms.TicketForm) -> object:
    message = form.cleaned_data["message"]
    if not replies.resend(message):
        raise ActionError("not_failed", _("Tin trả lời này không ở trạng thái gửi lỗi."))
    transaction.on_commit(partial(replies.deliver_reply.enqueue, message.pk), robust=True)
    return message


def _is_feedback(ticket: Ticket, user: Any) -> bool:
    return ticket.kind in FEEDBACK_KINDS


def _not_holding(ticket: Ticket, user: Any) -> bool:
    return ticket.assignee_id != getattr(user, "pk", None)


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "claim",
        gettext_lazy("Nhận xử lý"),
        forms.ConfirmForm,
        _plain(actions.claim_ticket),
        gettext_lazy("Bạn đang xử lý phản ánh này."),
    ),
    Operation(
        "take",
        gettext_lazy("Nhận xử lý (cơ quan)"),
        forms.ConfirmForm,
        _plain(actions.take_ticket),
        gettext_lazy("Bạn đang xử lý phản ánh này cho cơ quan."),
        applies=_not_holding,
    ),
    Operation(
        "answer",
        gettext_lazy("Trả lời"),
        forms.AnswerForm,
        _plain(actions.answer_ticket),
        gettext_lazy("Đã trả lời; câu trả lời được gửi qua kênh người dân đã dùng."),
        panel=False,
    ),
    Operation(
        "ask_details",
        gettext_lazy("Đề nghị bổ sung, làm rõ"),
        forms.AskDetailsForm,
        _plain(actions.ask_for_details),
        gettext_lazy("Đã gửi đề nghị bổ sung, làm rõ qua kênh người dân đã dùng."),
    ),
    Operation(
        "route",
        gettext_lazy("Chuyển cơ quan xử lý"),
        forms.RouteForm,
        _plain(actions.route_ticket),
        gettext_lazy("Đã chuyển phản ánh đến cơ quan xử lý."),
    ),
    Operation(
        "classify",
        gettext_lazy("Phân loại"),
        forms.ClassifyForm,
        _plain(actions.classify_ticket),
        gettext_lazy("Đã cập nhật phân loại."),
    ),
    Operation(
        "note",
        gettext_lazy("Ghi chú nội bộ"),
        forms.NoteForm,
        _plain(actions.add_note),
        gettext_lazy("Đã thêm ghi chú."),
    ),
    Operation(
        "link",
        gettext_lazy("Liên kết hồ sơ"),
        forms.LinkForm,
        _plain(actions.link_dossier),
        gettext_lazy("Đã liên kết hồ sơ."),
    ),
    Operation(
        "escalate",
        gettext_lazy("Báo cáo lãnh đạo (nâng mức)"),
        forms.ReasonForm,
        _plain(actions.escalate_ticket),
        gettext_lazy("Đã nâng mức nhắc của phản ánh."),
    ),
    Operation(
        "release",
        gettext_lazy("Trả lại hàng chờ 1022"),
        forms.ConfirmForm,
        _plain(actions.release_ticket),
        gettext_lazy("Phản ánh đã trở lại hàng chờ."),
    ),
    Operation(
        "return_to_hotline",
        gettext_lazy("Chuyển trả Tổng đài 1022 (không thuộc thẩm quyền)"),
        forms.ReasonForm,
        _plain(actions.return_to_hotline),
        gettext_lazy("Đã chuyển trả phản ánh về Tổng đài 1022."),
        danger=True,
    ),
    Operation(
        "decline",
        gettext_lazy("Từ chối tiếp nhận xử lý"),
        forms.DeclineForm,
        _plain(actions.decline_ticket),
        gettext_lazy("Đã từ chối tiếp nhận xử lý; người dân được báo lý do qua kênh đã dùng."),
        danger=True,
        applies=_is_feedback,
    ),
    Operation(
        "merge",
        gettext_lazy("Gộp vào phản ánh khác (trùng lặp)"),
        forms.MergeForm,
        _plain(actions.merge_ticket),
        gettext_lazy("Đã gộp phản ánh."),
        danger=True,
    ),
    Operation(
        "publish",
        gettext_lazy("Công khai hỏi đáp"),
        forms.PublishForm,
        _plain(actions.publish_answer),
        gettext_lazy("Đã công khai câu hỏi và trả lời tại trang Hỏi đáp."),
    ),
    Operation(
        "reopen",
        gettext_lazy("Mở lại"),
        forms.ReasonForm,
        _plain(actions.reopen_ticket),
        gettext_lazy("Đã mở lại phản ánh."),
    ),
    Operation(
        "close",
        gettext_lazy("Đóng phản ánh"),
        forms.OptionalReasonForm,
        _plain(actions.close_ticket),
        gettext_lazy("Đã đóng phản ánh."),
        danger=True,
    ),
    Operation(
        "merge_contacts",
        gettext_lazy("Gộp người liên hệ trùng"),
        forms.MergeContactForm,
        _merge_contacts,
        gettext_lazy("Đã gộp hai người liên hệ."),
        panel=False,
    ),
    Operation(
        "resend",
        gettext_lazy("Gửi lại"),
        forms.ResendForm,
        _resend,
        gettext_lazy("Đã xếp tin trả lời vào hàng gửi lại."),
        panel=False,
    ),
)
BY_NAME = {operation.name: operation for operation in OPERATIONS}

# What each operation is called in ``HotlineScope.may`` when it has no name of its own there:
# resending a failed reply is part of answering.
PERMISSION = {"resend": "answer"}


def permission(name: str) -> str:
    return PERMISSION.get(name, name)
