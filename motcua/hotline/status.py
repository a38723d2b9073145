"""Ticket kinds, channels, statuses and the one table of allowed transitions.

A ticket starts in the 1022 queue (``new``); an operator claims it, answers it from the
knowledge base or routes it to the responsible agency, whose staff answer it; the answer goes
back on the channel the ticket came from. A citizen who writes again reopens an answered
ticket; a duplicate is merged into the ticket it repeats. A feedback or petition may be
declined (closed with a legal reason, the citizen told), and any open ticket may ask the
citizen for details: it stays open, and the citizen's next message continues it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketKind(models.TextChoices):
    QUESTION = "question", _("Hỏi đáp")  # how to do something, where, how much
    FEEDBACK = "feedback", _("Phản ánh")  # on a regulation or a service
    PETITION = "petition", _("Kiến nghị")  # a proposal to change something
    COMPLAINT = "complaint", _("Khiếu nại")  # against a decision or an act of an official
    SERVICE_REQUEST = "service_request", _("Yêu cầu dịch vụ")  # postal pickup, home visit…


class TicketChannel(models.TextChoices):
    PHONE = "phone", _("Điện thoại 1022")
    ZALO = "zalo", _("Zalo")
    FACEBOOK = "facebook", _("Facebook Messenger")
    EMAIL = "email", _("Thư điện tử")
    WEB = "web", _("Cổng dịch vụ công (biểu mẫu)")
    NATIONAL_QA = "national_qa", _("Hỏi đáp Cổng DVC quốc gia")
    WALK_IN = "walk_in", _("Trực tiếp")
    DIALOGUE = "dialogue", _("Đối thoại doanh nghiệp")
    OPEN311 = "open311", _("Ứng dụng (Open311)")


class TicketStatus(models.TextChoices):
    NEW = "new", _("Mới tiếp nhận")  # in the 1022 queue, nobody holds it
    TRIAGE = "triage", _("Đang phân loại")  # an operator holds it
    ROUTED = "routed", _("Đã chuyển cơ quan")  # in the responsible agency's queue
    ANSWERED = "answered", _("Đã trả lời")  # the answer went out; the citizen may write again
    CLOSED = "closed", _("Đã đóng")  # done
    MERGED = "merged", _("Đã gộp")  # a duplicate, merged into another ticket


class DeclineReason(models.TextChoices):
    """Why an agency refuses to handle a feedback or petition (từ chối tiếp nhận xử lý; the
    grounds of Decree 20/2008/NĐ-CP, docs/rules/indicators.md "Feedback indicators")."""

    OUTSIDE_COMPETENCE = "outside_competence", _("Không thuộc thẩm quyền xử lý")
    ANONYMOUS = "anonymous", _("Không rõ họ tên, địa chỉ người phản ánh, kiến nghị")
    ALREADY_SETTLED = "already_settled", _("Đã được xem xét, xử lý và trả lời")
    BEING_SETTLED = "being_settled", _("Đang được cơ quan có thẩm quyền xem xét, xử lý")
    NOT_FEEDBACK = "not_feedback", _("Không phải phản ánh, kiến nghị về quy định hành chính")
    COMPLAINT_OR_DENUNCIATION = (
        "complaint",
        _("Là khiếu nại, tố cáo (giải quyết theo pháp luật về khiếu nại, tố cáo)"),
    )


# The kinds Decree 20/2008/NĐ-CP calls feedback and petitions (phản ánh, kiến nghị): the only
# ones the service-quality indicators of Decision 766/QĐ-TTg score, and the only ones an
# agency may decline with one of ``DeclineReason``.
FEEDBACK_KINDS = frozenset({TicketKind.FEEDBACK, TicketKind.PETITION})

T = TicketStatus
OPEN = frozenset({T.NEW, T.TRIAGE, T.ROUTED})
DONE = frozenset({T.ANSWERED, T.CLOSED})

# action → the statuses it may start from → the status it leads to (None: stays as it is).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "claim": (frozenset({T.NEW}), T.TRIAGE),
    "release": (frozenset({T.TRIAGE}), T.NEW),
    "take": (frozenset({T.ROUTED}), None),  # an agency officer takes it from the agency queue
    "classify": (OPEN, None),
    "route": (OPEN, T.ROUTED),
    "return_to_hotline": (frozenset({T.ROUTED}), T.NEW),  # "not ours": back to 1022
    "answer": (OPEN | {T.ANSWERED}, T.ANSWERED),
    "add_message": (OPEN, None),  # the citizen writes again while it is open
    "reopen": (DONE, None),  # back to the agency's queue if it has one, else to 1022
    "close": (OPEN | {T.ANSWERED}, T.CLOSED),
    "decline": (OPEN, T.CLOSED),  # refused to handle, with a legal reason; the citizen is told
    "ask_details": (OPEN, None),  # the citizen is asked to supplement or clarify
    "merge": (OPEN, T.MERGED),
    "escalate": (OPEN, None),
    "note": (OPEN | DONE, None),
    "link": (OPEN | DONE, None),
    "publish": (DONE, None),
    "unpublish": (DONE, None),
    "rate": (DONE, None),
}


def can(action: str, status: str) -> bool:
    return status in TRANSITIONS[action][0]
