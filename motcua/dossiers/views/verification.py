"""The public verification page, ``/xac-thuc/`` (the address on every signed result's stamp):
no login; ``?ma=<code>`` lists the dossier's results, the form judges an uploaded PDF. The
rules are ``dossiers/verification.py``.

The upload is held in memory only (``_InMemory``): never written to a temporary file, never
stored, never logged; a request larger than the upload limit is refused before it is read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from motcua.core import uploads
from motcua.core.clients import client_bucket
from motcua.dossiers.lookup import CODE_MAX, find_public
from motcua.dossiers.verification import VERIFICATIONS, results_of, verify_file

FIELD = "tep"
# Room for the form's other fields and the multipart boundaries around the file.
ENVELOPE_BYTES = 64 * 1024


class _InMemory(MemoryFileUploadHandler):
    """Every upload in memory, whatever its size (bounded by the request's), so none reaches
    the disk; one larger than the upload limit is skipped and flagged."""

    too_large = False

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > uploads.max_bytes():
            self.too_large = True
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


def _too_large_message() -> str:
    return _("Tệp vượt quá giới hạn %(max)s MB.") % {"max": uploads.max_bytes() // (1024 * 1024)}


@csrf_exempt  # the upload handlers are set before the token is read, then checked below
@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    handler = _InMemory(request)
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > uploads.max_bytes() + ENVELOPE_BYTES:
            handler.too_large = True
            # Not parsed at all: the body is left unread.
            request.upload_handlers = []
        else:
            request.upload_handlers = [handler]
    return _page(request, handler)


@csrf_protect
def _page(request: HttpRequest, handler: _InMemory) -> HttpResponse:
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
        status = _judge_upload(request, handler, context)
    return render(request, "dossiers/verification.html", context, status=status)


def _judge_upload(request: HttpRequest, handler: _InMemory, context: dict[str, Any]) -> int:
    if handler.too_large:
        context["upload_error"] = _too_large_message()
        return 413
    upload = request.FILES.get(FIELD)
    if upload is None:
        context["upload_error"] = _("Hãy chọn tệp PDF của kết quả cần kiểm tra.")
        return 422
    try:
        kind = uploads.check(upload)
    except ValidationError as refusal:
        context["upload_error"] = " ".join(refusal.messages)
        return 422
    if kind is not uploads.PDF:
        context["upload_error"] = _("Chỉ kiểm tra được tệp PDF.")
        return 422
    upload.seek(0)
    context["verdict"] = verify_file(upload.read())
    return 200
