"""The visiting officer's page of one home visit: the full address and contact (the officer
only), and the outcome, the reception of the dossier, or the return of the result
(docs/appointments.md "The outcome", "Reception at home")."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from motcua.appointments.access import signed_in as _me
from motcua.appointments.access import visit_for
from motcua.appointments.feeds import full_address
from motcua.appointments.models import NOTE_MAX, AppointmentStatus
from motcua.appointments.visits import (
    OUTCOMES,
    receive_at_visit,
    record_visit_outcome,
    return_at_visit,
)
from motcua.core.actions import ActionError
from motcua.dossiers.actions.application import ReceivedDocument
from motcua.org.access import officer_required

DOCUMENT_MAX = 500
DOCUMENTS_MAX = 50


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_lazy("Kết quả"),
        choices=[(o.value, o.label) for o in OUTCOMES],
    )
    note = forms.CharField(
        label=_lazy("Ghi chú"), max_length=NOTE_MAX, required=False, widget=forms.Textarea
    )


class ReceiveForm(forms.Form):
    documents = forms.CharField(
        label=_lazy("Thành phần hồ sơ đã nhận (mỗi dòng một giấy tờ)"),
        widget=forms.Textarea,
        max_length=DOCUMENTS_MAX * (DOCUMENT_MAX + 1),
    )
    id_number = forms.CharField(label=_lazy("Số định danh cá nhân"), max_length=12, required=False)
    note = forms.CharField(label=_lazy("Ghi chú"), max_length=NOTE_MAX, required=False)

    def clean_documents(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["documents"].splitlines()]
        names = [line for line in lines if line]
        if not names or len(names) > DOCUMENTS_MAX or any(len(n) > DOCUMENT_MAX for n in names):
            raise forms.ValidationError(
                _("Cần từ 1 đến %(n)s giấy tờ, mỗi tên tối đa %(max)s ký tự.")
                % {"n": DOCUMENTS_MAX, "max": DOCUMENT_MAX}
            )
        return names


def _page(
    request: HttpRequest, appointment_id: int, status: int = 200, **forms_: object
) -> HttpResponse:
    appointment = visit_for(request.user, appointment_id)
    context = {
        "appointment": appointment,
        "address": full_address(appointment),
        "booked": appointment.status == AppointmentStatus.BOOKED,
        "outcome_form": forms_.get("outcome_form") or OutcomeForm(),
        "receive_form": forms_.get("receive_form") or ReceiveForm(),
        "events": appointment.events.select_related("actor").order_by("id")[:50],
    }
    return render(request, "appointments/visit.html", context, status=status)


@officer_required
def page(request: HttpRequest, appointment_id: int) -> HttpResponse:
    return _page(request, appointment_id)


def _refused(
    request: HttpRequest, appointment_id: int, exc: ActionError, **forms_: object
) -> HttpResponse:
    messages.error(request, exc.message)
    return _page(request, appointment_id, status=exc.status, **forms_)


@officer_required
@require_POST
def outcome(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = visit_for(request.user, appointment_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _page(request, appointment_id, status=422, outcome_form=form)
    try:
        record_visit_outcome(
            appointment=appointment,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            actor=_me(request),
        )
    except ActionError as exc:
        return _refused(request, appointment_id, exc, outcome_form=form)
    messages.success(request, _("Đã ghi nhận kết quả lượt đến nhà."))
    return redirect("appointments:visit", appointment_id=appointment.pk)


@officer_required
@require_POST
def receive(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = visit_for(request.user, appointment_id)
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        return _page(request, appointment_id, status=422, receive_form=form)
    try:
        dossier = receive_at_visit(
            appointment=appointment,
            officer=_me(request),
            documents=[
                ReceivedDocument(name=name, originals=1) for name in form.cleaned_data["documents"]
            ],
            id_number=form.cleaned_data["id_number"],
            note=form.cleaned_data["note"],
        )
    except ActionError as exc:
        return _refused(request, appointment_id, exc, receive_form=form)
    messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s tại nhà.") % {"code": dossier.code})
    return redirect("appointments:visit", appointment_id=appointment.pk)


@officer_required
@require_POST
def return_result_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = visit_for(request.user, appointment_id)
    try:
        dossier = return_at_visit(
            appointment=appointment,
            officer=_me(request),
            note=request.POST.get("note", "")[:NOTE_MAX],
        )
    except ActionError as exc:
        return _refused(request, appointment_id, exc)
    messages.success(request, _("Đã trả kết quả hồ sơ %(code)s tại nhà.") % {"code": dossier.code})
    return redirect("appointments:visit", appointment_id=appointment.pk)
