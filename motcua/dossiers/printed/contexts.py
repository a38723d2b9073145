"""Builders of Forms 01–06: pure functions from a dossier to the dict its template renders.

A builder reads the dossier and its related rows (documents, steps, events, supplement
requests, apologies) and nothing of the request. A form that does not apply to the dossier's
state raises ``FormNotApplicableError`` with the Vietnamese sentence the page shows (a 404).

Field lists follow docs/rules/forms.md (Circular 03/2025/TT-VPCP, Appendix I, whose form list
is unconfirmed; the wording is close to Circular 01/2018/TT-VPCP's forms).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, ResultDelivery
from motcua.dossiers.printed.formatting import (
    Header,
    agency_header,
    dated_line,
    desk_header,
    lookup,
    money,
    person_name,
    processing_time,
    vn_date,
    vn_time,
)
from motcua.dossiers.status import DossierStatus

Context = dict[str, Any]


class FormNotApplicableError(Exception):
    """The form does not exist for the dossier in its present state."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PrintedForm:
    number: str
    title: str
    template: str
    build: Callable[[Dossier], Context]


def _base(dossier: Dossier, number: str, header: Header, issued_at: dt.datetime | None) -> Context:
    """What every form of a dossier prints: header, title, code, applicant, QR code."""
    form = FORMS[number]
    return {
        "number": number,
        "title": form.title,
        "header": header,
        "dated": dated_line(header.place, issued_at) if issued_at else "",
        "dossier": dossier,
        "code": dossier.code,
        "procedure": dossier.procedure,
        "request": dossier.summary or dossier.procedure.name,
        "applicant": {
            "name": dossier.applicant_name,
            "address": dossier.applicant_address,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "id_number": dossier.applicant_id_number,
        },
        "submitter": dossier.submitter_name,
        **lookup(dossier),
    }


def _last_event(dossier: Dossier, kind: str) -> DossierEvent | None:
    return dossier.events.filter(kind=kind).order_by("-seq").first()


def _first_event(dossier: Dossier, kind: str) -> DossierEvent | None:
    return dossier.events.filter(kind=kind).order_by("seq").first()


def _not_received(dossier: Dossier, title: str) -> FormNotApplicableError:
    return FormNotApplicableError(
        _("Hồ sơ %(code)s chưa được tiếp nhận nên chưa có %(form)s.")
        % {"code": dossier.code, "form": title}
    )


def form_01(dossier: Dossier) -> Context:
    """Form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả: dossier code; receiving desk;
    applicant, address, phone, email; request; documents received (name, originals, copies,
    count); number of sets; statutory time; received at and return at (hh giờ mm phút, ngày
    dd/mm/yyyy); where and how the result is returned; tracking-book number; signatures of
    the submitter and of the receiving officer. Also the fees, when the procedure has any.

    The tracking-book number is the dossier's daily sequence (the last part of its code),
    the order in which the desk's Form 07 lists it for that day."""
    if dossier.received_at is None:
        raise _not_received(dossier, _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
    received = _first_event(dossier, "receive")
    documents = [
        {
            "name": doc.name,
            "originals": doc.originals,
            "copies": doc.copies,
            "count": doc.originals + doc.copies,
        }
        for doc in dossier.documents.order_by("position")
    ]
    delivery = ResultDelivery(dossier.result_delivery)
    return {
        **_base(dossier, "01", desk_header(dossier.desk), dossier.received_at),
        "desk": dossier.desk,
        "documents": documents,
        "sets": dossier.sets,
        "processing_time": processing_time(dossier),
        "received_at": vn_time(dossier.received_at),
        # The appointment as given at reception, whatever moved it since (Forms 02, 04).
        "due_at": vn_time(dossier.original_due_at or dossier.due_at),
        "delivery": delivery.label,
        "delivery_address": dossier.delivery_address if delivery == ResultDelivery.POSTAL else "",
        "book_number": dossier.code.rsplit("-", 1)[-1],
        "book_day": vn_date(dossier.received_at),
        "fees": [{"name": f.name, "amount": money(f.amount_vnd)} for f in dossier.fees.all()],
        "officer": received.actor_name if received else "",
    }


def form_02(dossier: Dossier) -> Context:
    """Form 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: dossier code; applicant; what to
    supplement (items) and why (reason); contact (the desk, its address and phone); the
    officer who asked. The latest supplement request of the dossier is printed, with the
    appointment it interrupted."""
    request = dossier.supplements.select_related("requested_by").order_by("-requested_at").first()
    if request is None:
        raise FormNotApplicableError(
            _("Hồ sơ %(code)s không có yêu cầu bổ sung, hoàn thiện hồ sơ nào.")
            % {"code": dossier.code}
        )
    return {
        **_base(dossier, "02", desk_header(dossier.desk), request.requested_at),
        "received_at": vn_time(dossier.received_at),
        "requested_at": vn_time(request.requested_at),
        "items": [str(item) for item in request.items],
        "reason": request.reason,
        "due_before": vn_date(request.due_before),
        "due_after": vn_date(request.due_after),
        "completed_at": vn_time(request.completed_at),
        "contact": dossier.desk,
        "officer": person_name(request.requested_by),
    }


def form_03(dossier: Dossier) -> Context:
    """Form 03, Phiếu từ chối tiếp nhận giải quyết hồ sơ: applicant (address, phone,
    email); request; the reasons for refusal (the 'refuse' event's reason); the officer."""
    refusal = _last_event(dossier, "refuse")
    if dossier.status != DossierStatus.REFUSED or refusal is None:
        raise FormNotApplicableError(
            _("Hồ sơ %(code)s không bị từ chối tiếp nhận nên không có Phiếu từ chối.")
            % {"code": dossier.code}
        )
    return {
        **_base(dossier, "03", desk_header(dossier.desk), refusal.at),
        "submitted_at": vn_time(dossier.submitted_at),
        "refused_at": vn_time(refusal.at),
        "reason": str(refusal.data.get("reason", "")),
        "officer": refusal.actor_name,
    }


def form_04(dossier: Dossier) -> Context:
    """Form 04, Văn bản xin lỗi và đề nghị gia hạn: addressee (the applicant); received
    date; original due date; reason for the delay; new due date. Issued by the competent
    agency; the latest apology of the dossier is printed."""
    apology = dossier.apologies.order_by("-at").first()
    if apology is None:
        raise FormNotApplicableError(
            _("Hồ sơ %(code)s không có văn bản xin lỗi và hẹn lại ngày trả kết quả.")
            % {"code": dossier.code}
        )
    return {
        **_base(dossier, "04", agency_header(dossier.competent_agency), apology.at),
        "agency": dossier.competent_agency,
        "received_on": vn_date(dossier.received_at),
        "received_at": vn_time(dossier.received_at),
        "due_before": vn_time(apology.due_before),
        "due_after": vn_time(apology.due_after),
        "reason": apology.reason,
    }


def form_05(dossier: Dossier) -> Context:
    """Form 05, Thông báo dừng giải quyết hồ sơ: the dossier (code, applicant, request,
    received date) and the reason for stopping (the 'stop' event's reason). Issued by the
    competent agency."""
    stop = _last_event(dossier, "stop")
    if dossier.status != DossierStatus.STOPPED or stop is None:
        raise FormNotApplicableError(
            _("Hồ sơ %(code)s không bị dừng giải quyết.") % {"code": dossier.code}
        )
    return {
        **_base(dossier, "05", agency_header(dossier.competent_agency), stop.at),
        "agency": dossier.competent_agency,
        "received_at": vn_time(dossier.received_at),
        "due_at": vn_date(dossier.due_at),
        "stopped_at": vn_time(stop.at),
        "reason": str(stop.data.get("reason", "")),
    }


def _party(step: DossierStep) -> dict[str, str]:
    return {"agency": step.agency.name, "step": step.name, "person": person_name(step.handled_by)}


def handovers(dossier: Dossier) -> list[Context]:
    """Form 06's rows: one per hand-over between the started steps (from, to, time, the
    giving step's early / on time / late result, its note), then the return to the
    applicant if the result was returned."""
    steps = sorted(
        dossier.steps.filter(started_at__isnull=False).select_related("agency", "handled_by"),
        key=lambda s: (s.started_at, s.position),
    )
    rows = []
    for giver, taker in itertools.pairwise(steps):
        rows.append(
            {
                "giver": _party(giver),
                "taker": _party(taker),
                "at": vn_time(taker.started_at),
                "outcome": giver.get_outcome_display(),
                "note": giver.note,
            }
        )
    if steps and dossier.returned_at is not None:
        last = steps[-1]
        rows.append(
            {
                "giver": _party(last),
                "taker": {"agency": _("Tổ chức, cá nhân"), "step": "", "person": ""},
                "at": vn_time(dossier.returned_at),
                "outcome": last.get_outcome_display(),
                "note": last.note,
            }
        )
    return rows


def form_06(dossier: Dossier) -> Context:
    """Form 06, Phiếu kiểm soát quá trình giải quyết hồ sơ: the dossier (code, applicant,
    received at, due at, competent and coordinating agencies) and, per hand-over, the
    agency and person handing over and receiving, the time, the result of the step handed
    over (early / on time / late) and a note."""
    if dossier.received_at is None:
        raise _not_received(dossier, _("Phiếu kiểm soát quá trình giải quyết hồ sơ"))
    rows = handovers(dossier)
    involved = {s.agency.name for s in dossier.steps.select_related("agency")}
    coordinating = sorted(
        involved - {dossier.competent_agency.name, dossier.desk.agency.name}, key=str.casefold
    )
    return {
        **_base(dossier, "06", desk_header(dossier.desk), dossier.received_at),
        "received_at": vn_time(dossier.received_at),
        "due_at": vn_time(dossier.due_at),
        "original_due_at": vn_time(dossier.original_due_at)
        if dossier.original_due_at != dossier.due_at
        else "",
        "competent": dossier.competent_agency,
        "coordinating": coordinating,
        "rows": rows,
    }


FORMS: dict[str, PrintedForm] = {
    form.number: form
    for form in (
        PrintedForm(
            "01",
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            "dossiers/printed/form_01.html",
            form_01,
        ),
        PrintedForm(
            "02",
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            "dossiers/printed/form_02.html",
            form_02,
        ),
        PrintedForm(
            "03",
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            "dossiers/printed/form_03.html",
            form_03,
        ),
        PrintedForm(
            "04", "Văn bản xin lỗi và đề nghị gia hạn", "dossiers/printed/form_04.html", form_04
        ),
        PrintedForm(
            "05", "Thông báo dừng giải quyết hồ sơ", "dossiers/printed/form_05.html", form_05
        ),
        PrintedForm(
            "06",
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            "dossiers/printed/form_06.html",
            form_06,
        ),
    )
}


def build(number: str, dossier: Dossier) -> tuple[PrintedForm, Context]:
    form = FORMS[number]
    return form, form.build(dossier)
