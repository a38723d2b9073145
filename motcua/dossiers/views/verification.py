"""The public verification page, ``/xac-thuc/`` (the address on every signed result's stamp):
no login; ``?ma=<code>`` lists the dossier's results, the form judges an uploaded PDF. The
rules are ``dossiers/verification.py``.

The upload is judged and dropped: never stored, never logged. Django holds it in memory up to
``FILE_UPLOAD_MAX_MEMORY_SIZE`` and in a temporary file above, deleted when the request
ends; the project's upload limit (``core.uploads``) refuses a larger one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core import uploads
from motcua.core.clients import client_bucket
from motcua.dossiers.lookup import CODE_MAX, find_public
from motcua.dossiers.verification import VERIFICATIONS, results_of, verify_file

FIELD = "tep"


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ma", "").strip()[:CODE_MAX]
    context: dict[str, Any] = {"code": code, "max_mb": uploads.max_bytes() // (1024 * 1024)}
    if not code and request.method == "GET":
        return render(request, "dossiers/verification.html", context)
    if not VERIFICATIONS.hit(client_bucket(request)):
        context.update(limited=True, minutes=VERIFICATIONS.minutes_left())
        return render(request, "dossiers/verification.html", context, status=429)
    status = 200
    if code:
        dossier = find_public(code)
        context.update(found=dossier is not None, results=results_of(code) if dossier else [])
        context["dossier"] = dossier
        status = 200 if dossier is not None else 404
    if request.method == "POST":
        status = _judge_upload(request, context)
    return render(request, "dossiers/verification.html", context, status=status)


def _judge_upload(request: HttpRequest, context: dict[str, Any]) -> int:
    upload = request.FILES.get(FIELD)
    if upload is None:
        context["upload_error"] = _("Hãy chọn tệp PDF của kết quả cần kiểm tra.")
        return 422
    try:
        kind = uploads.check(upload)
    except ValidationError as refusal:
        context["upload_error"] = " ".join(refusal.messages)
        return 413 if refusal.code == "too_large" else 422
    if kind is not uploads.PDF:
        context["upload_error"] = _("Chỉ kiểm tra được tệp PDF.")
        return 422
    upload.seek(0)
    context["verdict"] = verify_file(upload.read())
    return 200
