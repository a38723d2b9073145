"""The public lookup page, ``/tra-cuu/<code>/``: no login, personal data masked (the rules are
``dossiers/lookup.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.dossiers.lookup import CODE_MAX, LOOKUPS, look_up
from motcua.dossiers.verification import HANDED_OUT


@require_http_methods(["GET", "POST"])
def lookup_page(request: HttpRequest, code: str = "") -> HttpResponse:
    """``GET /tra-cuu/<code>/`` (``?k=`` from the QR code); the four digits are POSTed, so
    they never reach an address bar or an access log."""
    code = (code or request.GET.get("ma", "")).strip()
    check = request.POST.get("kiem_tra", "") if request.method == "POST" else ""
    check = check or request.GET.get("k", "")
    answer = look_up(request, code, check[:64])
    if answer.limited:
        limited = {"limited": True, "minutes": LOOKUPS.minutes_left()}
        return render(request, "dossiers/public_lookup.html", limited, status=429)
    context: dict[str, object] = {
        "code": code[:CODE_MAX],
        "dossier": answer.dossier,
        "shown": answer.shown,
        "locked": answer.locked,
        "wrong": bool(check) and not answer.shown and not answer.locked,
        "applicant": answer.applicant,
        # A dossier whose result was handed out links to its verification (``/xac-thuc/``).
        "verifiable": bool(answer.dossier and answer.dossier.status in HANDED_OUT),
        "check_hint": _(
            "Nhập 4 số cuối số điện thoại hoặc số định danh của chủ hồ sơ để xem thêm thủ tục "
            "và tên chủ hồ sơ (đã che), hoặc quét mã QR trên giấy tiếp nhận."
        ),
    }
    status = 200 if answer.dossier or not code else 404
    return render(request, "dossiers/public_lookup.html", context, status=status)
