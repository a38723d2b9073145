"""Simplification review pages (``/ra-soat/``; docs/reform.md "The pages"): the cycles, opening
one, a cycle's proposals, a proposal with its cost and history, the agency's edit form with a
live cost preview, and the cycle's report (printable HTML, PDF, XLSX).

Who sees what is ``access.ReviewAccess``: the reform office and the province's readers see
every proposal, an agency's specialists and leaders their agency's (and the cycles they
have proposals in); anyone else gets the 404 of a page that does not exist, the anonymous
are sent to sign in. A page that exists for the user but whose action their role does not
allow (opening a cycle, editing another's draft) answers 403 with the reason. Every change
goes through an action of ``actions.reviews``; what it refuses is shown, never a 500.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog.models import ExecutionMethod, Procedure, Sector
from motcua.core.actions import ActionError, invalid
from motcua.core.inputs import parse_day
from motcua.dossiers.printed.pdf import PdfUnavailableError, file_fonts, html_to_pdf
from motcua.org.models import Agency
from motcua.reform.access import ReviewAccess, cycle_for, proposal_for
from motcua.reform.actions import (
    add_to_cycle,
    approve_proposal,
    enact_proposal,
    open_cycle,
    return_proposal,
    submit_proposal,
)
from motcua.reform.actions.reviews import EDITABLE
from motcua.reform.costing import catalogue_fees
from motcua.reform.models import Proposal, ProposalStatus, ReviewCycle
from motcua.reform.review_forms import (
    AddProcedureForm,
    CycleForm,
)
from motcua.reform.review_report import report_context, report_xlsx
from motcua.reform.review_sheets import (
    breakdown,
    changes_prefetch,
    changes_shown,
    history,
    processing_time,
)
from motcua.reform.totals import Row, row_of, rows_of, totals, with_counts

PER_PAGE = 50
FORBIDDEN = "reform/review/forbidden.html"
NO_PROCEDURES = gettext_lazy(
    "Các cơ quan đã chọn không có thủ tục nào đang áp dụng (trong lĩnh vực đã chọn)."
)


def staff_access(user: object) -> ReviewAccess:
    """What ``user`` may do in reviews; Http404 for anyone who takes no part in them."""
    access = ReviewAccess.of(user)
    if not access.staff:
        raise Http404
    return access


def forbidden(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, FORBIDDEN, {"message": message}, status=status)


# -- cycles -----------------------------------------------------------------------------------


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    access = staff_access(request.user)
    cycles = access.cycles().order_by("-year", "-id")
    page = Paginator(cycles, 30).get_page(request.GET.get("trang"))
    rows: dict[int, list[Row]] = defaultdict(list)
    for proposal in with_counts(access.proposals().filter(cycle__in=[c.pk for c in page])):
        rows[proposal.cycle_id].append(row_of(proposal))
    listed = [(cycle, totals(rows[cycle.pk])) for cycle in page]
    context = {"page": page, "rows": listed, "access": access}
    return render(request, "reform/review/cycle_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    access = staff_access(request.user)
    if not access.office:
        return forbidden(
            request,
            _("Chỉ bộ phận kiểm soát thủ tục hành chính của tỉnh mở đợt rà soát."),
        )
    status = 200
    form = CycleForm(request.POST or None)
    if request.method == "POST":
        status = 422
        if form.is_valid():
            procedures = list(form.procedures())
            if not procedures:
                form.add_error(
                    "agencies",
                    NO_PROCEDURES,
                )
            else:
                data = form.cleaned_data
                try:
                    cycle = open_cycle(
                        year=data["year"],
                        title=data["title"],
                        deadline=data["deadline"],
                        plan_number=data["plan_number"],
                        scope=data["scope"],
                        items=[(p, p.competent_agency) for p in procedures],  # type: ignore[misc]
                        user=request.user,
                    )
                except ActionError as refused:
                    _form_error(form, refused)
                    status = refused.status
                else:
                    messages.success(
                        request,
                        _("Đã mở đợt rà soát với %(n)s thủ tục.") % {"n": len(procedures)},
                    )
                    return redirect("review:cycle", pk=cycle.pk)
    return render(request, "reform/review/cycle_form.html", {"form": form}, status=status)


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


@login_required
@require_http_methods(["GET", "POST"])
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's proposals the user sees, filtered by agency, status and sector, with
    their totals; the reform office adds a procedure here."""
    access = staff_access(request.user)
    cycle = cycle_for(request.user, pk)
    status = 200
    add_form = AddProcedureForm()
    if request.method == "POST":
        if not access.office:
            return forbidden(
                request, _("Chỉ bộ phận kiểm soát thủ tục hành chính của tỉnh thêm thủ tục.")
            )
        add_form = AddProcedureForm(request.POST)
        status = 422
        if add_form.is_valid():
            data = add_form.cleaned_data
            try:
                proposal = add_to_cycle(
                    cycle=cycle,
                    procedure=data["procedure"],
                    agency=data["agency"],
                    user=request.user,
                )
            except ActionError as refused:
                _form_error(add_form, refused)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("Đã thêm thủ tục %(code)s (phương án %(proposal)s).")
                    % {"code": data["procedure"].code, "proposal": proposal.code},
                )
                return redirect("review:cycle", pk=cycle.pk)

    visible = access.proposals().filter(cycle=cycle)
    chosen = {
        "agency": _int(request.GET.get("co-quan")),
        "sector": _int(request.GET.get("linh-vuc")),
        "status": request.GET.get("trang-thai") or "",
    }
    filtered = visible
    if chosen["agency"]:
        filtered = filtered.filter(agency_id=chosen["agency"])
    if chosen["sector"]:
        filtered = filtered.filter(procedure__sector_id=chosen["sector"])
    if chosen["status"] in ProposalStatus.values:
        filtered = filtered.filter(status=chosen["status"])
    else:
        chosen["status"] = ""
    page = Paginator(with_counts(filtered).order_by("number"), PER_PAGE).get_page(
        request.GET.get("trang")
    )
    params = request.GET.copy()
    params.pop("trang", None)
    context = {
        "cycle": cycle,
        "access": access,
        "page": page,
        "totals": totals(rows_of(filtered)),
        "filtered": any(chosen.values()),
        "chosen": chosen,
        "query": params.urlencode(),
        "agencies": Agency.objects.filter(pk__in=visible.values("agency")).order_by("name"),
        "sectors": Sector.objects.filter(pk__in=visible.values("procedure__sector")).order_by(
            "name"
        ),
        "statuses": ProposalStatus.choices,
        "add_form": add_form,
    }
    return render(request, "reform/review/cycle_detail.html", context, status=status)


# -- a proposal -------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    access = ReviewAccess.of(request.user)
    editable = proposal.status in EDITABLE
    return {
        "proposal": proposal,
        "access": access,
        "breakdown": breakdown(proposal),
        "changes": changes_shown(proposal),
        "history": history(proposal),
        "processing_time": processing_time(proposal.procedure),
        "catalogue_fees": catalogue_fees(proposal.procedure),
        "may_edit": editable and access.may_draft(proposal),
        "may_submit": editable and access.may_submit(proposal),
        "may_decide": access.office and proposal.status == ProposalStatus.SUBMITTED,
        "may_return": access.office
        and proposal.status in (ProposalStatus.SUBMITTED, ProposalStatus.APPROVED),
        "may_enact": access.office
        and proposal.status == ProposalStatus.APPROVED
        and proposal.simplifies,
    }


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    staff_access(request.user)
    proposal = proposal_for(request.user, pk)
    prefetch_related_objects([proposal], changes_prefetch())
    methods = Prefetch("methods", queryset=ExecutionMethod.objects.order_by("pk"))
    procedures = Procedure.objects.select_related("sector").prefetch_related(methods)
    proposal.procedure = procedures.get(pk=proposal.procedure_id)
    return proposal


@login_required
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    return render(request, "reform/review/proposal_detail.html", _detail_context(request, proposal))


ACTIONS = ("submit", "return", "approve", "enact")


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    """Submit (the agency's leader), return with a note or approve (the reform office)."""
    proposal = _proposal(request, pk)
    if op not in ACTIONS:
        raise Http404
    note = request.POST.get("note", "")
    try:
        if op == "submit":
            submit_proposal(proposal=proposal, user=request.user)
            done = _("Đã gửi phương án %(code)s để thẩm định.")
        elif op == "return":
            return_proposal(proposal=proposal, note=note, user=request.user)
            done = _("Đã trả phương án %(code)s để hoàn thiện.")
        elif op == "approve":
            approve_proposal(proposal=proposal, note=note, user=request.user)
            done = _("Đã thông qua phương án %(code)s.")
        else:
            effective_from = parse_day(request.POST.get("effective_from", ""))
            if effective_from is None:
                raise invalid(
                    "effective_from",
                    _("Nhập ngày có hiệu lực dạng dd/mm/yyyy (năm 2000 đến 2099)."),
                    field="effective_from",
                )
            enact_proposal(
                proposal=proposal,
                decision_number=request.POST.get("decision_number", "")[:1000],
                effective_from=effective_from,
                user=request.user,
            )
            done = _("Đã ghi nhận quyết định ban hành phương án %(code)s.")
    except ActionError as refused:
        context = _detail_context(request, proposal)
        context.update(
            {
                "error": refused.message,
                "note": note[:4000],
                "failed_op": op,
                "decision_number": request.POST.get("decision_number", "")[:100],
                "effective_from": request.POST.get("effective_from", "")[:10],
            }
        )
        return render(request, "reform/review/proposal_detail.html", context, status=refused.status)
    messages.success(request, done % {"code": proposal.code})
    return redirect("review:proposal", pk=proposal.pk)


def _form_error(form: Any, refused: ActionError) -> None:
    field = refused.details.get("field")
    form.add_error(field if field in form.fields else None, refused.message)


# -- the report -------------------------------------------------------------------------------


def _report(request: HttpRequest, pk: int) -> tuple[ReviewCycle, dict[str, Any]]:
    access = staff_access(request.user)
    cycle = cycle_for(request.user, pk)
    proposals: QuerySet[Proposal] = access.proposals().filter(cycle=cycle)
    return cycle, report_context(cycle, proposals, at=timezone.now())


REPORT = "reform/review/report.html"


@login_required
@require_GET
def cycle_report(request: HttpRequest, pk: int) -> HttpResponse:
    with translation.override("vi"):
        cycle, context = _report(request, pk)
        fonts = {
            key: reverse("dossier_forms:font", args=[name])
            for key, name in (
                ("regular", "NotoSerif-Regular.ttf"),
                ("bold", "NotoSerif-Bold.ttf"),
                ("italic", "NotoSerif-Italic.ttf"),
            )
        }
        context.update(
            {
                "fonts": fonts,
                "pdf_url": reverse("review:report-pdf", args=[cycle.pk]),
                "xlsx_url": reverse("review:report-xlsx", args=[cycle.pk]),
            }
        )
        return render(request, REPORT, context)


@login_required
@require_GET
def cycle_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    with translation.override("vi"):
        cycle, context = _report(request, pk)
        html = render_to_string(REPORT, {**context, "fonts": file_fonts(), "for_pdf": True})
        try:
            pdf = html_to_pdf(html)
        except PdfUnavailableError:
            return forbidden(
                request,
                _(
                    "Máy chủ chưa có thư viện tạo tệp PDF (WeasyPrint). Vui lòng mở bản HTML của "
                    "báo cáo và dùng chức năng In của trình duyệt."
                ),
                status=503,
            )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-ra-soat-{cycle.pk}.pdf"'
    return response


@login_required
@require_GET
def cycle_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    with translation.override("vi"):
        cycle, context = _report(request, pk)
        return report_xlsx(context).response(f"bao-cao-ra-soat-{cycle.year}-{cycle.pk}.xlsx")
