"""Pages of the printed forms: Forms 01–06 of a dossier and a desk's Form 07 register.

Dossiers are fetched only through ``access.dossier_for_user`` (missing and forbidden are
the same 404) and the register's rows only from ``Scope.visible``. A form that does not
apply to the dossier's state is a 404 with a Vietnamese sentence; a register query with bad
dates a 400; a PDF on a server without WeasyPrint a 503, while the HTML still works.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from motcua.dossiers.access import Scope, dossier_for_user
from motcua.dossiers.printed.contexts import Context, FormNotApplicableError, build
from motcua.dossiers.printed.formatting import local
from motcua.dossiers.printed.pdf import (
    FONT_FILES,
    FONTS_DIR,
    PdfUnavailableError,
    file_fonts,
    html_to_pdf,
)
from motcua.dossiers.printed.register import (
    RegisterError,
    parse_query,
    register_context,
    register_dossiers,
    register_rows,
    register_xlsx,
    xlsx_filename,
)

MESSAGE = "dossiers/printed/message.html"
REGISTER = "dossiers/printed/register.html"
View = Callable[..., HttpResponse]


def vietnamese(view: View) -> View:
    """The forms are Vietnamese administrative documents whatever the interface language:
    the labels they take from the models (result delivery, outcome, time unit) too."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override("vi"):
            return view(request, *args, **kwargs)

    return wrapper


def _message(request: HttpRequest, text: str, *, status: int) -> HttpResponse:
    return render(request, MESSAGE, {"message": text, "status": status}, status=status)


def screen_fonts() -> dict[str, str]:
    return {key: reverse("dossier_forms:font", args=[name]) for key, name in FONT_FILES.items()}


def _pdf_response(
    request: HttpRequest, template: str, context: Context, filename: str
) -> HttpResponse:
    html = render_to_string(template, {**context, "fonts": file_fonts(), "for_pdf": True})
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailableError:
        return _message(
            request,
            _(
                "Máy chủ chưa có thư viện tạo tệp PDF (WeasyPrint). Vui lòng mở bản HTML của "
                "mẫu và dùng chức năng In của trình duyệt."
            ),
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _dossier_form(request: HttpRequest, code: str, number: str) -> tuple[str, Context]:
    dossier = dossier_for_user(request.user, code)
    form, context = build(number, dossier)
    return form.template, context


@login_required
@require_GET
@vietnamese
def form_page(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """Form ``number`` (01–06) of the dossier, for the screen and the browser's print."""
    try:
        template, context = _dossier_form(request, code, number)
    except FormNotApplicableError as exc:
        return _message(request, exc.message, status=404)
    pdf_url = reverse("dossier_forms:form-pdf", kwargs={"code": code, "number": number})
    return render(request, template, {**context, "fonts": screen_fonts(), "pdf_url": pdf_url})


@login_required
@require_GET
@vietnamese
def form_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """Form ``number`` (01–06) of the dossier as PDF (WeasyPrint)."""
    try:
        template, context = _dossier_form(request, code, number)
    except FormNotApplicableError as exc:
        return _message(request, exc.message, status=404)
    return _pdf_response(request, template, context, f"mau-{number}-{context['code']}.pdf")


@login_required
@require_GET
@vietnamese
def register_page(request: HttpRequest) -> HttpResponse:
    """Form 07, the desk's register for a date range: HTML, or PDF / XLSX (``dinh-dang``)."""
    scope = Scope.of(request.user)
    try:
        query = parse_query(request.GET, scope, today=local(timezone.now()).date())
    except RegisterError as exc:
        return _message(request, exc.message, status=exc.status)
    rows = register_rows(register_dossiers(scope, query))
    if query.fmt == "xlsx":
        return register_xlsx(query, rows).response(xlsx_filename(query))
    context = register_context(query, rows)
    if query.fmt == "pdf":
        filename = xlsx_filename(query).removesuffix(".xlsx") + ".pdf"
        return _pdf_response(request, REGISTER, context, filename)
    params = request.GET.copy()
    params["dinh-dang"] = "pdf"
    pdf_url = f"{request.path}?{params.urlencode()}"
    params["dinh-dang"] = "xlsx"
    xlsx_url = f"{request.path}?{params.urlencode()}"
    return render(
        request,
        REGISTER,
        {**context, "fonts": screen_fonts(), "pdf_url": pdf_url, "xlsx_url": xlsx_url},
    )


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def font_file(request: HttpRequest, name: str) -> FileResponse:
    """The forms' font for browsers (the same file the PDFs embed)."""
    if name not in FONT_FILES.values():
        raise Http404(name)
    return FileResponse((FONTS_DIR / name).open("rb"), content_type="font/ttf")
