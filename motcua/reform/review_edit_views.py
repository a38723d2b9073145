"""The agency's edit form of a proposal and its live cost preview (``/ra-soat/phuong-an/<id>/sua/``
and ``xem-truoc/``; docs/reform.md "The pages"). Drafters of the proposal's agency only, while
it is a draft or returned; the form calls ``save_proposal``, the preview computes with
``cost.py`` and saves nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.catalog.models import RequiredDocument
from motcua.core.actions import ActionError
from motcua.reform.access import ReviewAccess
from motcua.reform.actions import (
    save_proposal,
)
from motcua.reform.actions.reviews import EDITABLE
from motcua.reform.cost import saving
from motcua.reform.costing import catalogue_fees, cost_of, income_on, volume_of
from motcua.reform.models import Proposal
from motcua.reform.review_change_forms import ChangeFormSet, specs_of
from motcua.reform.review_forms import (
    ProposalForm,
    StepFormSet,
    is_valid,
    steps_of,
)
from motcua.reform.review_sheets import (
    processing_time,
)
from motcua.reform.review_views import _form_error, _proposal, forbidden

# The applicant's typical steps offered when the agency has entered none (hours to adjust).
SUGGESTED_DOCUMENT_HOURS = "1"
SUGGESTED_STEPS = (
    (gettext_lazy("Đi lại đến bộ phận một cửa (hai lượt: nộp hồ sơ, nhận kết quả)"), "2"),
    (gettext_lazy("Chờ đợi, nộp hồ sơ và nhận kết quả tại bộ phận một cửa"), "1"),
)
MAX_SUGGESTED_DOCUMENTS = 30


def _initial(proposal: Proposal) -> dict[str, Any]:
    before = proposal.cost_before or {}
    after = proposal.cost_after or {}
    saved = bool(proposal.monthly_income_vnd)
    fees = catalogue_fees(proposal.procedure)
    return {
        "description": proposal.description,
        "reason": proposal.reason,
        "fees_before": before.get("fees_vnd", 0) if saved else fees,
        "service_before": before.get("service_costs_vnd", 0),
        "other_before": before.get("other_costs_vnd", 0),
        "fees_after": after.get("fees_vnd", 0) if saved else fees,
        "service_after": after.get("service_costs_vnd", 0),
        "other_after": after.get("other_costs_vnd", 0),
        "volume_override": proposal.volume_source == "override",
        "executions_per_subject": proposal.executions_per_subject,
        "subjects_per_year": proposal.subjects_per_year
        if proposal.volume_source == "override"
        else None,
        "volume_note": proposal.volume_note if proposal.volume_source == "override" else "",
    }


def suggested_steps(proposal: Proposal) -> list[dict[str, str]]:
    """Typical steps of an applicant: preparing each required document, travelling to the
    desk and waiting there (the agency adjusts the hours)."""
    documents = RequiredDocument.objects.filter(procedure=proposal.procedure).order_by(
        "position", "pk"
    )[:MAX_SUGGESTED_DOCUMENTS]
    steps = [
        {"name": (_("Chuẩn bị: %(name)s") % {"name": d.name})[:255], "hours": "1"}
        for d in documents
    ]
    steps += [{"name": str(name), "hours": hours} for name, hours in SUGGESTED_STEPS]
    return steps


def _steps_initial(side: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": s.get("name", ""), "hours": s.get("hours", "")}
        for s in (side.get("steps") or [])
        if isinstance(s, dict)
    ]


def _forms(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    procedure = proposal.procedure
    kwargs = {"procedure": procedure}
    if request.method == "POST":
        data = request.POST
        return {
            "form": ProposalForm(data),
            "changes": ChangeFormSet(data, prefix="nd", form_kwargs=kwargs),
            "before": StepFormSet(data, prefix="truoc"),
            "after": StepFormSet(data, prefix="sau"),
        }
    before = _steps_initial(proposal.cost_before or {})
    after = _steps_initial(proposal.cost_after or {})
    suggested = False
    if not before and not after:
        before = suggested_steps(proposal)
        after = [dict(step) for step in before]
        suggested = True
    changes = [
        {
            "kind": c.kind,
            "detail": c.detail,
            "new_time_value": c.new_time_value,
            "document": c.document_id,
            "fee": c.fee_id,
            "new_fee_vnd": c.new_fee_vnd,
            "merged_with": c.merged_with.code if c.merged_with else "",
        }
        for c in proposal.changes.select_related("merged_with")
    ]
    return {
        "form": ProposalForm(initial=_initial(proposal)),
        "changes": ChangeFormSet(initial=changes, prefix="nd", form_kwargs=kwargs),
        "before": StepFormSet(initial=before, prefix="truoc"),
        "after": StepFormSet(initial=after, prefix="sau"),
        "suggested": suggested,
    }


def _editable(request: HttpRequest, pk: int) -> tuple[Proposal, HttpResponse | None]:
    proposal = _proposal(request, pk)
    access = ReviewAccess.of(request.user)
    if not access.may_draft(proposal):
        return proposal, forbidden(
            request, _("Chỉ chuyên viên, lãnh đạo cơ quan rà soát soạn phương án này.")
        )
    if proposal.status not in EDITABLE:
        return proposal, forbidden(
            request,
            _("Phương án %(code)s đang ở trạng thái “%(status)s”, không sửa được.")
            % {"code": proposal.code, "status": proposal.get_status_display()},
            status=409,
        )
    return proposal, None


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, refused_page = _editable(request, pk)
    if refused_page is not None:
        return refused_page
    forms = _forms(request, proposal)
    status = 200
    if request.method == "POST":
        status = 422
        form = forms["form"]
        if is_valid(form, forms["changes"], forms["before"], forms["after"]):
            try:
                save_proposal(
                    proposal=proposal,
                    description=form.cleaned_data["description"],
                    reason=form.cleaned_data["reason"],
                    changes=specs_of(forms["changes"]),
                    before=form.side("before", steps_of(forms["before"])),
                    after=form.side("after", steps_of(forms["after"])),
                    volume=form.volume(),
                    user=request.user,
                )
            except ActionError as refused:
                _form_error(form, refused)
                status = refused.status
            else:
                messages.success(request, _("Đã lưu phương án và tính chi phí tuân thủ."))
                return redirect("review:proposal", pk=proposal.pk)
    context = {
        "proposal": proposal,
        **forms,
        "processing_time": processing_time(proposal.procedure),
        "catalogue_fees": catalogue_fees(proposal.procedure),
    }
    return render(request, "reform/review/proposal_form.html", context, status=status)


@login_required
@require_POST
def proposal_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The cost of what the form holds, computed as saving would (the income and volume of
    today), without saving anything."""
    proposal, refused_page = _editable(request, pk)
    if refused_page is not None:
        return refused_page
    forms = _forms(request, proposal)
    form = forms["form"]
    context: dict[str, Any] = {"proposal": proposal}
    if not is_valid(form, forms["changes"], forms["before"], forms["after"]):
        context["invalid"] = True
        return render(request, "reform/review/_preview.html", context)
    today = timezone.localdate()
    income = income_on(today)
    volume = form.volume()
    if volume is None:
        found = volume_of(proposal.procedure, end=today)
        executions, subjects = found.executions_per_subject, found.subjects
    else:
        executions, subjects = volume.executions_per_subject, volume.subjects_per_year
    costs = [
        cost_of(
            form.side(which, steps_of(forms[which])),
            income=income,
            executions_per_subject=executions,
            subjects_per_year=subjects,
        )
        for which in ("before", "after")
    ]
    context.update(
        {
            "before": costs[0],
            "after": costs[1],
            "income": income,
            "executions": executions,
            "subjects": subjects,
            "per_execution_saving": saving(costs[0].per_execution_vnd, costs[1].per_execution_vnd),
            "annual_saving": saving(costs[0].annual_vnd, costs[1].annual_vnd),
        }
    )
    return render(request, "reform/review/_preview.html", context)
