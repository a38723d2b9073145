"""The post office's check of a pickup's papers at the applicant's door (Decision 45/2016/QĐ-TTg,
Article 8: the postal worker checks the papers against the procedure's list, guides the
applicant to complete them, both sign the slip; docs/postal.md "The post office's check";
docs/architecture.md rules 1–2).

``checklist`` is the list the worker checks against: the procedure's required documents in
the catalogue, with the originals and copies each asks for. ``check_pickup_documents`` records
one check: complete (the parcel is ready to hand over; the order becomes ``collected`` unless
the carrier said so already) or incomplete (what is missing and the guidance given; the order
waits for the applicant and may be checked again). Either way the photo or scan of the signed
slip is kept (``core/uploads.py``: PDF, JPEG or PNG, checked by content, at most
``PORTAL_UPLOAD_MAX_MB``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core import uploads
from motcua.core.actions import ActionError, User, invalid, now, person
from motcua.dossiers.actions.transitions import append_event, lock
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import forbidden
from motcua.dossiers.status import can
from motcua.postal.access import WORKED, in_area, post_offices_of
from motcua.postal.counters import set_status
from motcua.postal.handover import NOTES_MAX
from motcua.postal.models import (
    HandoverItem,
    HandoverOutcome,
    OrderStatus,
    PickupCheck,
    PostalOrder,
    PostalService,
)

# A document's name as the catalogue gives it can be long (the catalogue's names are free
# text: the national catalogue has some of over 7,000 characters); one the officer types is
# at most EXTRA_NAME_MAX. Counts as the catalogue asks them reach 181 originals.
NAME_MAX = 20_000
EXTRA_NAME_MAX = 500
MAX_COUNT = 999
MAX_DOCUMENTS = 200  # rows received (with a count); the catalogue's rows left at 0 are dropped


@dataclass(frozen=True)
class ChecklistItem:
    """A document the procedure asks for, as the catalogue lists it."""

    name: str
    originals: int
    copies: int
    mandatory: bool
    group: str = ""


@dataclass(frozen=True)
class CheckedDocument:
    """A document the worker received: how many originals and copies."""

    name: str
    originals: int = 0
    copies: int = 0
    mandatory: bool = True


def checklist(dossier: Dossier) -> list[ChecklistItem]:
    """The procedure's required documents (catalogue), in the catalogue's order."""
    return [
        ChecklistItem(d.name, d.originals, d.copies, d.mandatory, d.group)
        for d in dossier.procedure.documents.in_force().order_by("position", "pk")
    ]


def may_check(order: PostalOrder, actor: User | None) -> bool:
    """A postal officer of a post office whose area holds the pickup address."""
    offices = post_offices_of(actor)
    return bool(offices) and in_area(order, offices)


def in_handover(order: PostalOrder) -> bool:
    """The order's parcel is in a hand-over not found missing."""
    return (
        HandoverItem.objects.filter(order=order).exclude(outcome=HandoverOutcome.MISSING).exists()
    )


def _clean(
    documents: Sequence[CheckedDocument], complete: bool, missing: str, guidance: str
) -> tuple[list[dict[str, object]], str, str]:
    missing, guidance = (missing or "").strip(), (guidance or "").strip()
    for value, field in ((missing, "missing"), (guidance, "guidance")):
        if len(value) > NOTES_MAX:
            raise invalid(
                "too_long",
                _("Nội dung dài tối đa %(max)s ký tự.") % {"max": NOTES_MAX},
                field=field,
            )
    if not complete and not missing:
        raise invalid(
            "missing_required",
            _("Hồ sơ chưa đủ: cần ghi rõ giấy tờ còn thiếu và nội dung đã hướng dẫn."),
            field="missing",
        )
    documents = [d for d in documents if d.originals or d.copies]
    if len(documents) > MAX_DOCUMENTS:
        raise invalid("too_many", _("Tối đa %(max)s giấy tờ.") % {"max": MAX_DOCUMENTS})
    received: list[dict[str, object]] = []
    for doc in documents:
        name = (doc.name or "").strip()
        if not name or len(name) > NAME_MAX:
            raise invalid(
                "bad_document",
                _("Tên giấy tờ phải có, dài tối đa %(max)s ký tự.") % {"max": NAME_MAX},
            )
        if not (0 <= doc.originals <= MAX_COUNT and 0 <= doc.copies <= MAX_COUNT):
            raise invalid(
                "bad_count",
                _("Số bản chính, bản sao của mỗi giấy tờ từ 0 đến %(max)s.") % {"max": MAX_COUNT},
            )
        if doc.originals or doc.copies:
            received.append(
                {
                    "name": name,
                    "originals": doc.originals,
                    "copies": doc.copies,
                    "mandatory": doc.mandatory,
                }
            )
    if complete and not received:
        raise invalid(
            "nothing_received", _("Hồ sơ đủ thì phải ghi số bản của các giấy tờ đã nhận.")
        )
    return received, missing, guidance


@transaction.atomic
def check_pickup_documents(
    *,
    order: PostalOrder,
    officer: User,
    complete: bool,
    documents: Sequence[CheckedDocument],
    slip: File,
    missing: str = "",
    guidance: str = "",
) -> PickupCheck:
    """Record the postal worker's check of a pickup's papers (Decision 45/2016/QĐ-TTg,
    Article 8). Complete: the order is ready to hand over (``collected``, if the carrier's
    tracking has not said so already). Incomplete: what is missing and the guidance given;
    the order waits for the applicant, and a later check may find it complete. The dossier's
    event ``postal_documents_checked`` carries the outcome and the counts, nothing personal."""
    if not may_check(order, officer):
        raise forbidden(order.dossier.code)
    received, missing, guidance = _clean(documents, complete, missing, guidance)
    try:
        kind = uploads.check(slip)
    except ValidationError as exc:
        raise invalid("bad_slip", " ".join(exc.messages), field="slip") from None
    dossier = lock(order.dossier)
    order = PostalOrder.objects.select_for_update().get(pk=order.pk)
    if not may_check(order, officer):
        raise forbidden(dossier.code)
    if order.service != PostalService.PICKUP:
        raise invalid("not_a_pickup", _("Chỉ kiểm tra hồ sơ của đơn thu gom."))
    if order.status not in WORKED or not can("register_postal_pickup", dossier.status):
        raise ActionError(
            "postal_not_checkable",
            _("Đơn bưu chính đang ở trạng thái «%(status)s», không kiểm tra hồ sơ được.")
            % {"status": order.get_status_display()},
            details={"status": order.status, "dossier_status": dossier.status},
        )
    if in_handover(order):
        raise ActionError(
            "already_in_handover", _("Hồ sơ đã nằm trong biên bản bàn giao, không kiểm tra lại.")
        )
    at = now()
    check = PickupCheck(
        order=order,
        checked_by=person(officer),
        checked_at=at,
        complete=complete,
        documents=received,
        missing=missing,
        guidance=guidance,
    )
    check.slip.save(uploads.stored_name(kind=kind), slip, save=True)
    if complete and order.status in (OrderStatus.REGISTERED, OrderStatus.COLLECTING):
        set_status(order, OrderStatus.COLLECTED)
    append_event(
        dossier,
        kind="postal_documents_checked",
        actor=officer,
        at=at,
        order=order.pk,
        check=check.pk,
        complete=complete,
        documents=len(received),
        originals=check.originals,
        copies=check.copies,
        order_status=order.status,
    )
    return check


def latest_check(order: PostalOrder) -> PickupCheck | None:
    return order.checks.order_by("-checked_at", "-pk").first()


__all__ = [
    "CheckedDocument",
    "ChecklistItem",
    "check_pickup_documents",
    "checklist",
    "in_handover",
    "latest_check",
    "may_check",
]
