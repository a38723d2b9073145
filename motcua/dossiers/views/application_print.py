"""The application for signing (``/ho-so/<code>/don/``): "Công dân không viết".

The desk typed the application from the citizen's profile and earlier dossiers; this page
prints it ("Đơn đề nghị") with the applicant, the procedure and the documents (reused
digitised copies marked), so the citizen only checks and signs. The dossier comes through
``access.dossier_for_user`` (missing and forbidden alike are a 404).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.dossiers.access import dossier_for_user
from motcua.dossiers.printed.formatting import dated_line, desk_header, vn_date
from motcua.dossiers.printed.views import screen_fonts, vietnamese

TEMPLATE = "dossiers/backoffice/application_print.html"


def _date_of_birth(id_number: str) -> str:
    """From the citizen's profile with the ID number, when there is one."""
    if not id_number:
        return ""
    from motcua.accounts.profiles import find_profile  # accounts imports dossiers

    profile = find_profile(id_number=id_number)
    return vn_date(profile.date_of_birth) if profile and profile.date_of_birth else ""


@login_required
@require_GET
@vietnamese
def application_page(request: HttpRequest, code: str) -> HttpResponse:
    """The prefilled application of the dossier, for the browser's print and the signature."""
    dossier = dossier_for_user(request.user, code)
    header = desk_header(dossier.desk)
    context = {
        "header": header,
        "dated": dated_line(header.place, dossier.received_at or timezone.now()),
        "title": "Đơn đề nghị",
        "code": dossier.code,
        "dossier": dossier,
        "procedure": dossier.procedure,
        "date_of_birth": _date_of_birth(dossier.applicant_id_number),
        "documents": list(dossier.documents.all()),
        "fonts": screen_fonts(),
    }
    return render(request, TEMPLATE, context)
