"""The operator's sync screen (``/dong-bo/cong-dvc-quoc-gia/``): how the sync with the
National Public Service Portal is going, and "Gửi lại" for what failed.

It shows whether the sync is switched on, the changes waiting and being sent, the oldest of
them and how long it has waited, when the portal last accepted one, the month's sync rate per
agency (worst first: Decision 766 counts it), and the failed changes with the portal's
answer, 50 to a page. Everything comes from the outbox's partial indexes and the sync
counters (``national/overview.py``), so the page costs the same at any number of dossiers.

Administrators only (``access.may_operate_national_sync``); other officers and citizens are
told the page is not theirs (403), the public is sent to sign in. "Gửi lại" posts to
``/dong-bo/cong-dvc-quoc-gia/gui-lai/`` (one change, or every failed one), which calls the
action ``resend_national_changes`` and comes back to the screen with a message.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from motcua.core.inputs import parse_id
from motcua.core.outbox.models import OutboxStatus
from motcua.dossiers.access import Scope, may_operate_national_sync
from motcua.dossiers.actions import ActionError, resend_national_changes
from motcua.dossiers.models import NationalSyncChange
from motcua.dossiers.national import overview
from motcua.dossiers.views import nav

PAGE = "dossiers/backoffice/national_sync.html"
DENIED = "dossiers/backoffice/national_sync_denied.html"
PER_PAGE = 50


def _denied(request: HttpRequest) -> HttpResponse:
    return render(request, DENIED, nav(Scope.of(request.user), "national-sync"), status=403)


def _screen(
    request: HttpRequest,
    page_number: int | str | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    figures = overview.overview()
    page = Paginator(overview.failed_changes(), PER_PAGE).get_page(page_number)
    failed = [
        {
            "change": change,
            "kind": overview.kind_label(change.kind),
            "message": overview.portal_message(change),
        }
        for change in page
    ]
    context = {
        "figures": figures,
        "page": page,
        "failed": failed,
        "error": error,
        **nav(Scope.of(request.user), "national-sync"),
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def screen(request: HttpRequest) -> HttpResponse:
    if not may_operate_national_sync(request.user):
        return _denied(request)
    return _screen(request, request.GET.get("trang"))


@login_required
@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    """The "Gửi lại" buttons: every failed change (``tat_ca``), or one (``thay_doi``, its
    id); back to the screen (its page ``trang``) with a message."""
    if not may_operate_national_sync(request.user):
        return _denied(request)
    page_number = parse_id(request.POST.get("trang", ""))
    if request.POST.get("tat_ca"):
        changes = NationalSyncChange.objects.filter(status=OutboxStatus.FAILED)
    elif (pk := parse_id(request.POST.get("thay_doi", ""))) is not None:
        changes = NationalSyncChange.objects.filter(pk=pk)
    else:
        error = _("Chưa chọn thay đổi nào để gửi lại.")
        return _screen(request, page_number, error=error, status=422)
    try:
        ids = resend_national_changes(officer=request.user, changes=changes)
    except ActionError as refused:
        return _screen(request, page_number, error=refused.message, status=refused.status)
    if ids:
        messages.success(
            request,
            ngettext(
                "Đã đưa %(n)s thay đổi lỗi vào hàng chờ gửi lại lên Cổng DVC quốc gia.",
                "Đã đưa %(n)s thay đổi lỗi vào hàng chờ gửi lại lên Cổng DVC quốc gia.",
                len(ids),
            )
            % {"n": len(ids)},
        )
    else:
        messages.warning(
            request,
            _("Không có thay đổi nào đang lỗi để gửi lại (có thể đã được gửi hoặc đang gửi)."),
        )
    target = reverse("national-sync")
    if page_number is not None and page_number > 1:
        target += "?" + urlencode({"trang": page_number})
    return redirect(target)
