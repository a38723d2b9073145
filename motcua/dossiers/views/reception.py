"""Reception (``/ho-so/tiep-nhan/``): a dossier received at the desk in under a minute.

Pick the procedure (search as you type, or one of the desk's frequent ones), tick the
documents of the catalogue's checklist, type or recall the applicant, and "Tiếp nhận" calls
``receive_dossier`` (Form 01 is then printed from the dossier page); "Từ chối tiếp nhận"
calls ``refuse_at_desk`` with the reason (Form 03). Nothing is created unless every field is
valid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog.models import Procedure
from motcua.catalog.queries import search_procedures
from motcua.core.text import normalize
from motcua.dossiers.access import Scope
from motcua.dossiers.actions import ActionError, receive_dossier, refuse_at_desk
from motcua.dossiers.models import Dossier
from motcua.dossiers.views import nav
from motcua.dossiers.views.dossier import is_htmx
from motcua.dossiers.views.inputs import ApplicantForm, ReceptionForm
from motcua.org.models import Desk

RESULTS = 20
FREQUENT = 8
FREQUENT_WINDOW = dt.timedelta(days=30)


def desks_of(scope: Scope) -> QuerySet[Desk]:
    return Desk.objects.filter(pk__in=scope.desks, active=True).order_by("name")


def accepted(desks: QuerySet[Desk]) -> QuerySet[Procedure]:
    """Active procedures at least one of the user's desks accepts."""
    return Procedure.objects.filter(active=True, desks__in=desks).distinct()


def find_procedures(desks: QuerySet[Desk], text: str) -> list[Procedure]:
    if not text:
        return []
    return list(search_procedures(q=text).filter(desks__in=desks).distinct()[:RESULTS])


def frequent(desks: QuerySet[Desk]) -> list[Procedure]:
    """The procedures the desk received most in the last 30 days: one click to start."""
    since = timezone.now() - FREQUENT_WINDOW
    # Only procedure ids and counts of the user's own desks' dossiers: no dossier is read.
    top = (
        Dossier.objects.filter(desk__in=desks, received_at__gte=since)
        .values("procedure")
        .annotate(n=Count("id"))
        .order_by("-n")[:FREQUENT]
    )
    ids = [row["procedure"] for row in top]
    found = {p.pk: p for p in accepted(desks).filter(pk__in=ids).select_related("sector")}
    return [found[pk] for pk in ids if pk in found]


def _denied(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/backoffice/reception_denied.html", status=403)


@login_required
@require_GET
def procedure_results(request: HttpRequest) -> HttpResponse:
    """The search-as-you-type list (htmx partial)."""
    desks = desks_of(Scope.of(request.user))
    if not desks:
        return _denied(request)
    text = normalize(request.GET.get("q", ""))[:200]
    context = {"q": text, "procedures": find_procedures(desks, text)}
    return render(request, "dossiers/backoffice/_procedure_results.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reception(request: HttpRequest) -> HttpResponse:
    scope = Scope.of(request.user)
    desks = desks_of(scope)
    if not desks:
        return _denied(request)
    code = normalize(request.POST.get("procedure") or request.GET.get("thu_tuc", ""))
    procedure = (
        accepted(desks)
        .filter(code=code)
        .select_related("sector", "competent_agency")
        .prefetch_related("methods__fees", "documents")
        .first()
        if code
        else None
    )
    if procedure is None:
        text = normalize(request.GET.get("q", ""))[:200]
        found = find_procedures(desks, text)
        exact = [p for p in found if p.code == text] or (found if len(found) == 1 else [])
        if exact and not code:
            # Enter on a code, or on a search with one answer: straight to the checklist.
            return redirect(
                f"{reverse('dossiers:reception')}?{urlencode({'thu_tuc': exact[0].code})}"
            )
        context = {
            "q": text,
            "procedures": found,
            "frequent": frequent(desks),
            "unknown": code,
            **nav(scope, "reception"),
        }
        status = 404 if code else 200
        return render(request, "dossiers/backoffice/reception_pick.html", context, status=status)
    return _receive(request, procedure, desks, scope)


def _receive(
    request: HttpRequest, procedure: Procedure, desks: QuerySet[Desk], scope: Scope
) -> HttpResponse:
    refusing = request.POST.get("action") == "refuse"
    status = 200
    if request.method == "POST":
        applicant = ApplicantForm(request.POST)
        form = ReceptionForm(request.POST, procedure=procedure, desks=desks, refusing=refusing)
        if applicant.is_valid() and form.is_valid():
            data = applicant.cleaned_data
            application = form.application(
                applicant.applicant(), submitter=(data["submitter_name"], data["submitter_phone"])
            )
            try:
                if refusing:
                    reason = form.cleaned_data["refuse_reason"]
                    dossier = refuse_at_desk(
                        application=application, officer=request.user, reason=reason
                    )
                    messages.success(
                        request, _("Đã từ chối tiếp nhận, hồ sơ %(code)s.") % {"code": dossier.code}
                    )
                else:
                    dossier = receive_dossier(application=application, officer=request.user)
                    messages.success(
                        request,
                        _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận (Mẫu 01) cho công dân.")
                        % {"code": dossier.code},
                    )
            except ActionError as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                return redirect(reverse("dossiers:detail", args=[dossier.code]))
        else:
            status = 422
    else:
        applicant = ApplicantForm()
        form = ReceptionForm(procedure=procedure, desks=desks)
    if not applicant.focus() and not form.focus():
        applicant.focus("applicant_id_number")
    context = _procedure_context(procedure)
    context.update({"applicant": applicant, "form": form, "refusing": refusing})
    context.update(nav(scope, "reception"))
    return render(request, "dossiers/backoffice/reception.html", context, status=status)


def _procedure_context(procedure: Procedure) -> dict[str, Any]:
    methods = list(procedure.methods.all())
    direct = next((m for m in methods if m.channel == "direct"), methods[0] if methods else None)
    return {
        "procedure": procedure,
        "method": direct,
        "fees": list(direct.fees.all()) if direct else [],
    }


@login_required
@require_POST
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """ "Công dân không viết": fill the applicant's empty fields from the latest dossier with
    the same ID number that the user may see (htmx partial; 204 when there is none)."""
    scope = Scope.of(request.user)
    number = "".join(request.POST.get("applicant_id_number", "").split())
    earlier = (
        scope.visible().filter(applicant_id_number=number).order_by("-received_at").first()
        if len(number) >= 9
        else None
    )
    if earlier is None or not is_htmx(request):
        return HttpResponse(status=204)
    typed = {name: request.POST.get(name, "") for name in ApplicantForm.base_fields}
    typed.pop("applicant_kind")  # always set (a select); the earlier dossier knows better
    initial = {
        name: typed.get(name) or value
        for name, value in ApplicantForm.initial_from(earlier).items()
    }
    initial.update({k: v for k, v in typed.items() if k.startswith("submitter_")})
    context = {"applicant": ApplicantForm(initial=initial), "recalled": earlier}
    return render(request, "dossiers/backoffice/_applicant_fields.html", context)
