"""The online application (``/thu-tuc/<code>/nop/``): fill, save a draft, submit once.

"Lưu nháp" keeps what was typed and uploaded without demanding anything; "Nộp hồ sơ"
checks everything and creates the dossier (status 1) through the dossier actions. Files
are checked by content on both; a refused file stores nothing. Invalid forms answer 422.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.catalog.models import OnlineMode, Procedure
from motcua.catalog.queries import procedure_detail
from motcua.core import uploads
from motcua.dossiers.actions import ActionError
from motcua.dossiers.models import ResultDelivery
from motcua.portal.applications import (
    AlreadySubmittedError,
    open_draft,
    save_draft,
    submit_draft,
)
from motcua.portal.citizens import prefill
from motcua.portal.documents import store_choices
from motcua.portal.forms import ApplicationForm, store_key
from motcua.portal.models import Draft
from motcua.portal.procedures import (
    Slot,
    accepting_desks,
    applies_online,
    channel_facts,
    is_commune_procedure,
    upload_slots,
)
from motcua.portal.views.common import citizen_required

TEMPLATE = "portal/apply.html"


def _procedure(code: str) -> Procedure:
    procedure = procedure_detail(code)
    if procedure is None or not applies_online(procedure):
        raise Http404(code)
    return procedure


def _initial(user: Any, procedure: Procedure, draft: Draft, desks: list[Any]) -> dict[str, Any]:
    known = {f"applicant_{key}": value for key, value in prefill(user).items()}
    initial: dict[str, Any] = {
        **known,
        "result_delivery": ResultDelivery.ONLINE
        if procedure.online_mode == OnlineMode.FULL
        else ResultDelivery.DESK,
    }
    if len(desks) == 1:
        initial["desk"] = str(desks[0].pk)
    initial.update({k: v for k, v in (draft.data or {}).items() if v})
    initial["token"] = draft.submit_token
    return initial


def _render(
    request: HttpRequest,
    procedure: Procedure,
    draft: Draft,
    form: ApplicationForm,
    *,
    slots: list[Slot],
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    held = draft.files.exists()
    online = next((c for c in channel_facts(procedure) if c.channel == "online"), None)
    rows = [
        (slot, form[slot.key], form[store_key(slot)] if form.stored else None) for slot in slots
    ]
    context = {
        "procedure": procedure,
        "form": form,
        "rows": rows,
        "errors": ([("", error)] if error else []) + form.error_list(),
        "commune": is_commune_procedure(procedure),
        "full_online": procedure.online_mode == OnlineMode.FULL,
        "online": online,
        "saved_at": draft.updated_at if draft.data or held else None,
        "max_mb": uploads.max_bytes() // (1024 * 1024),
    }
    return render(request, TEMPLATE, context, status=status)


@citizen_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _procedure(code)
    desks = accepting_desks(procedure)
    slots = upload_slots(procedure)
    user = request.user
    if request.method == "GET":
        draft = open_draft(user, procedure)
        form = ApplicationForm(
            initial=_initial(user, procedure, draft, desks),
            desks=desks,
            slots=slots,
            held=_held(draft),
            stored=store_choices(user),
        )
        form.fields["token"].initial = draft.submit_token
        return _render(request, procedure, draft, form, slots=slots)

    draft, _created = Draft.objects.get_or_create(user=user, procedure=procedure)
    submitting = request.POST.get("action") == "submit"
    form = ApplicationForm(
        request.POST,
        request.FILES,
        desks=desks,
        slots=slots,
        held=_held(draft),
        complete=submitting,
        stored=store_choices(user),
    )
    if not form.is_valid():
        _keep_good_files(draft, form, slots)
        return _render(request, procedure, draft, form, slots=slots, status=422)
    if not submitting:
        save_draft(draft, values=form.values(), files=form.uploads())
        messages.success(request, _("Đã lưu nháp. Bạn có thể quay lại hoàn thành sau."))
        return redirect(reverse("portal:apply", args=[procedure.code]))
    desk = next(d for d in desks if str(d.pk) == form.cleaned_data["desk"])
    try:
        dossier = submit_draft(
            draft,
            token=form.cleaned_data["token"] or "",
            citizen=user,
            values=form.values(),
            files=form.uploads(),
            slots=slots,
            desk=desk,
            picked=form.picked(),
        )
    except AlreadySubmittedError as done:
        if done.dossier is not None:
            return redirect(reverse("portal:submitted", args=[done.dossier.code]))
        return _render(
            request,
            procedure,
            draft,
            form,
            slots=slots,
            error=_("Biểu mẫu này đã được gửi hoặc đã cũ. Hãy mở lại trang nộp hồ sơ."),
            status=409,
        )
    except ActionError as refusal:
        save_draft(draft, values=form.values(), files=form.uploads())
        return _render(
            request, procedure, draft, form, slots=slots, error=refusal.message, status=422
        )
    return redirect(reverse("portal:submitted", args=[dossier.code]))


def _held(draft: Draft) -> dict[int, str]:
    return {f.document_id: f.original_name for f in draft.files.all()}


def _keep_good_files(draft: Draft, form: ApplicationForm, slots: list[Slot]) -> None:
    """When only typed fields are wrong, keep the (checked) files so a phone user need not
    pick them again; when any file is refused, keep nothing."""
    errors = form.errors.as_data()
    if any(error.code for slot in slots for error in errors.get(slot.key, [])):
        return  # a refused file (too large, not PDF/JPEG/PNG…); a missing one has no code
    files = {
        slot.document.pk: form.cleaned_data[slot.key]
        for slot in slots
        if form.cleaned_data.get(slot.key)
    }
    if files:
        save_draft(draft, values=draft.data or {}, files=files)
        form.mark_held(_held(draft))
