"""The citizen's document store ("Kho giấy tờ", ``/kho-giay-to/``): the results and the
digitised documents of their dossiers, to download, delete, or attach to a new application;
and the consent that lets a desk use them (docs/document-store.md).

Every item comes through ``store.stored_for_citizen``: another citizen's item, a deleted one
and one that does not exist are the same 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core import files
from motcua.core.actions import now
from motcua.dossiers.actions import ActionError
from motcua.dossiers.actions.store import (
    CONSENT_HOURS,
    delete_stored_document,
    grant_store_consent,
    withdraw_store_consent,
)
from motcua.dossiers.store import citizen_store, stored_file, stored_for_citizen
from motcua.portal.documents import PER_PAGE, consent_in_force, store_rows
from motcua.portal.views.common import citizen_required


@citizen_required
@require_GET
def document_store(request: HttpRequest) -> HttpResponse:
    page = Paginator(citizen_store(request.user), PER_PAGE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "rows": store_rows(list(page)),
        "consent": consent_in_force(request.user, now()),
        "consent_hours": CONSENT_HOURS,
    }
    return render(request, "portal/store.html", context)


@citizen_required
@require_GET
def stored_download(request: HttpRequest, item_id: int) -> HttpResponseBase:
    item = stored_for_citizen(request.user, item_id)
    stored = stored_file(item)
    if not stored:
        raise Http404(str(item_id))
    return files.download(stored=stored, title=f"{item.dossier.code} {item.name}")


@citizen_required
@require_POST
def stored_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    """Take the item out of the store; the dossier keeps its document or result."""
    item = stored_for_citizen(request.user, item_id)
    try:
        delete_stored_document(item=item, citizen=request.user)
    except ActionError as refusal:
        messages.error(request, refusal.message)
        return redirect(reverse("portal:store"))
    messages.success(
        request,
        _("Đã xóa «%(name)s» khỏi Kho giấy tờ. Hồ sơ %(code)s vẫn được cơ quan lưu giữ.")
        % {"name": item.name, "code": item.dossier.code},
    )
    return redirect(reverse("portal:store"))


@citizen_required
@require_POST
def store_consent(request: HttpRequest) -> HttpResponse:
    """Give (``action=grant``) or withdraw (``action=withdraw``) the consent for the desks."""
    action = request.POST.get("action")
    if action == "grant":
        grant_store_consent(citizen=request.user)
        messages.success(
            request,
            _("Cán bộ tiếp nhận được dùng giấy tờ trong kho của bạn trong %(hours)s giờ.")
            % {"hours": CONSENT_HOURS},
        )
    elif action == "withdraw":
        withdraw_store_consent(citizen=request.user)
        messages.success(request, _("Đã rút lại sự đồng ý cho dùng giấy tờ trong kho."))
    else:
        messages.error(request, _("Yêu cầu không hợp lệ."))
    return redirect(reverse("portal:store"))
