"""The post office's pages, for a phone (docs/postal.md "The post office's check", "The
hand-over", "The receipt and the clock"): the pickup orders to work, an order's check, the
hand-overs (list, record, print, PDF) and the desk's receipt.

Orders and hand-overs are fetched through ``access.py`` (404 for missing and forbidden
alike); a signed-in person whose role has no such page gets 403. Every change is an action
(``checking.py``, ``handing_over.py``); a refusal is shown with its Vietnamese message and
its status, nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.core.actions import ActionError
from motcua.core.files import download
from motcua.core.inputs import parse_id
from motcua.dossiers.permissions import Scope
from motcua.dossiers.printed.formatting import money
from motcua.dossiers.printed.pdf import PdfUnavailableError
from motcua.dossiers.printed.views import screen_fonts, vietnamese
from motcua.org.models import DeskKind, Role
from motcua.postal.access import (
    handover_for,
    handovers_for,
    may_receive_handover,
    pickup_order_for,
    pickup_orders_for,
    post_offices_of,
)
from motcua.postal.checking import check_pickup_documents, checklist, in_handover
from motcua.postal.forms import CheckForm, ReceiveForm
from motcua.postal.handing_over import (
    MAX_PARCELS,
    PAPERS_AWAITED,
    create_handover,
    receive_handover,
)
from motcua.postal.models import (
    HandoverItem,
    HandoverOutcome,
    OrderStatus,
    PickupCheck,
)
from motcua.postal.printing import TEMPLATE, handover_context, handover_pdf

PAGE_SIZE = 30
READY = "ready"
FILTERS = {
    "": None,
    OrderStatus.REGISTERED: [OrderStatus.REGISTERED],
    OrderStatus.COLLECTING: [OrderStatus.COLLECTING],
    READY: [OrderStatus.COLLECTED],
}


def _postal_officer(request: HttpRequest) -> None:
    if not post_offices_of(request.user):
        raise PermissionDenied(_("Trang này dành cho nhân viên bưu điện."))


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], section: str, status: int = 200
) -> HttpResponse:
    context = {**context, "section": section, "is_postal": bool(post_offices_of(request.user))}
    return render(request, template, context, status=status)


def _annotated(orders: Any) -> Any:
    latest = PickupCheck.objects.filter(order=OuterRef("pk")).order_by("-checked_at", "-pk")
    live = HandoverItem.objects.filter(order=OuterRef("pk")).exclude(
        outcome=HandoverOutcome.MISSING
    )
    return orders.annotate(
        last_complete=Subquery(latest.values("complete")[:1]),
        in_handover=Exists(live),
    )


@login_required
@require_GET
def orders_page(request: HttpRequest) -> HttpResponse:
    """The pickup orders of the officer's area, the most recent first; ``trang-thai``
    filters (registered, collecting, ready to hand over), ``q`` finds a dossier code."""
    _postal_officer(request)
    status = request.GET.get("trang-thai", "")
    query = request.GET.get("q", "").strip()[:40]
    orders = _annotated(pickup_orders_for(request.user)).filter(in_handover=False)
    if FILTERS.get(status):
        orders = orders.filter(status__in=FILTERS[status])
    if status == READY:
        orders = orders.filter(last_complete=True)
    if query:
        orders = orders.filter(dossier__code__icontains=query)
    page = Paginator(orders.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return _render(
        request,
        "postal/orders.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "filters": [
                ("", _("Tất cả")),
                (OrderStatus.REGISTERED, _("Mới đăng ký")),
                (OrderStatus.COLLECTING, _("Đang thu gom")),
                (READY, _("Sẵn sàng bàn giao")),
            ],
        },
        "orders",
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One pickup order: the dossier's checklist, the checks so far, and the check form."""
    _postal_officer(request)
    order = pickup_order_for(request.user, pk)
    items = checklist(order.dossier)
    form = CheckForm(checklist=items)
    status = 200
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES, checklist=items)
        if form.is_valid():
            try:
                check_pickup_documents(
                    order=order,
                    officer=request.user,
                    complete=form.cleaned_data["complete"],
                    documents=form.documents(),
                    slip=form.cleaned_data["slip"],
                    missing=form.cleaned_data["missing"],
                    guidance=form.cleaned_data["guidance"],
                )
            except ActionError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Đã ghi nhận kết quả kiểm tra hồ sơ."))
                return redirect("postal:order", pk=order.pk)
        else:
            status = 422
    checks = list(order.checks.select_related("checked_by").order_by("-checked_at", "-pk"))
    return _render(
        request,
        "postal/order.html",
        {
            "order": order,
            "cod": money(order.cod_vnd),
            "form": form,
            "checks": checks,
            "handed": in_handover(order),
            "checkable": order.status
            in (
                OrderStatus.REGISTERED,
                OrderStatus.COLLECTING,
                OrderStatus.COLLECTED,
            ),
        },
        "orders",
        status,
    )


@login_required
@require_GET
def slip_file(request: HttpRequest, pk: int, check: int) -> HttpResponseBase:
    """The signed slip of one check, to the post office that works the order."""
    _postal_officer(request)
    order = pickup_order_for(request.user, pk)
    record = order.checks.filter(pk=check).first()
    if record is None:
        raise Http404(check)
    return download(stored=record.slip, title=f"phieu-{order.dossier.code}-{record.pk}")


def _ready_by_desk(request: HttpRequest) -> list[dict[str, Any]]:
    orders = (
        _annotated(pickup_orders_for(request.user))
        .filter(status=OrderStatus.COLLECTED, last_complete=True, in_handover=False)
        .filter(dossier__status__in=PAPERS_AWAITED)
        # Received at a post-office desk: received there, never handed over.
        .exclude(dossier__desk__kind=DeskKind.POST_OFFICE)
        .select_related("dossier__desk__agency")
        .order_by("dossier__desk__name", "created_at")
    )
    groups: dict[int, dict[str, Any]] = {}
    for order in orders:
        desk = order.dossier.desk
        group = groups.setdefault(desk.pk, {"desk": desk, "orders": []})
        if len(group["orders"]) < MAX_PARCELS:  # one record's worth per desk at a time
            group["orders"].append(order)
    return list(groups.values())


@login_required
@require_GET
def handovers_page(request: HttpRequest) -> HttpResponse:
    """The hand-overs the user sees; for a postal officer, the parcels ready to hand over,
    by desk, to put into a new record."""
    handovers = handovers_for(request.user)
    officer = bool(post_offices_of(request.user))
    if not officer and not _receives_any(request):
        raise PermissionDenied(_("Trang này dành cho bưu điện và bộ phận tiếp nhận."))
    page = Paginator(handovers.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return _render(
        request,
        "postal/handovers.html",
        {"page": page, "officer": officer, "ready": _ready_by_desk(request) if officer else []},
        "handovers",
    )


def _receives_any(request: HttpRequest) -> bool:
    return any(m.role == Role.RECEPTIONIST for m in Scope.of(request.user).memberships)


@login_required
@require_POST
def handover_create(request: HttpRequest) -> HttpResponse:
    """Put the ticked parcels (``don``) into a new hand-over record."""
    _postal_officer(request)
    posted = request.POST.getlist("don")[: MAX_PARCELS + 1]
    ids = [pk for pk in (parse_id(v) for v in posted) if pk is not None]
    orders = list(pickup_orders_for(request.user).filter(pk__in=ids))
    try:
        if len(ids) != len(posted) or len(orders) != len(set(ids)):
            raise ActionError("not_found", _("Có hồ sơ không thuộc phạm vi của bạn."), status=404)
        handover = create_handover(officer=request.user, orders=orders)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("postal:handovers")
    messages.success(
        request, _("Đã lập biên bản bàn giao %(number)s.") % {"number": handover.number}
    )
    return redirect("postal:handover", pk=handover.pk)


@login_required
@require_GET
def handover_page(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_for(request.user, pk)
    context = _handover_page_context(request, handover)
    return _render(request, "postal/handover.html", context, "handovers")


def _handover_page_context(request: HttpRequest, handover: Any, form: Any = None) -> dict[str, Any]:
    items = list(handover.items.select_related("dossier", "order").order_by("position"))
    receiver = may_receive_handover(request.user, handover) and not handover.received
    if receiver and form is None:
        form = ReceiveForm(choices=[(i.order_id, i.dossier.code) for i in items])
    return {
        "handover": handover,
        "items": items,
        "form": form if receiver else None,
        **{k: v for k, v in handover_context(handover).items() if k in {"cod_total", "remitted"}},
    }


@login_required
@require_POST
def handover_receive(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk confirms receipt of the parcels (``missing``: those not in the bag)."""
    handover = handover_for(request.user, pk)
    items = list(handover.items.select_related("dossier").order_by("position"))
    form = ReceiveForm(request.POST, choices=[(i.order_id, i.dossier.code) for i in items])
    status = 422
    if form.is_valid():
        try:
            receive_handover(
                handover=handover,
                officer=request.user,
                missing=form.cleaned_data["missing"],
                note=form.cleaned_data["note"],
            )
        except ActionError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Đã xác nhận nhận hồ sơ từ bưu điện."))
            return redirect("postal:handover", pk=handover.pk)
    context = _handover_page_context(request, handover, form)
    return _render(request, "postal/handover.html", context, "handovers", status)


@login_required
@require_GET
@vietnamese
def handover_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The record for the screen and the browser's print (A4)."""
    handover = handover_for(request.user, pk)
    pdf_url = reverse("postal:handover-pdf", kwargs={"pk": handover.pk})
    return render(
        request,
        TEMPLATE,
        {**handover_context(handover), "fonts": screen_fonts(), "pdf_url": pdf_url},
    )


@login_required
@require_GET
@vietnamese
def handover_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The record as PDF (WeasyPrint); 503 with a sentence when the server cannot."""
    handover = handover_for(request.user, pk)
    try:
        pdf = handover_pdf(handover)
    except PdfUnavailableError:
        return HttpResponse(
            _("Máy chủ chưa có thư viện tạo tệp PDF; hãy dùng bản in HTML."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-{handover.number}.pdf"'
    return response
