"""Reception (``/ho-so/tiep-nhan/``): a dossier received at the desk in under a minute.

Pick the procedure (search as you type, or one of the desk's frequent ones), tick the
documents of the catalogue's checklist, type or recall the applicant, and "Tiếp nhận" calls
``receive_dossier`` (Form 01 is then printed from the dossier page); "Từ chối tiếp nhận"
calls ``refuse_at_desk`` with the reason (Form 03). Nothing is created unless every field is
valid.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
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
from motcua.core.actions import now
from motcua.core.inputs import parse_id
from motcua.core.phones import phone_or_blank
from motcua.core.ratelimit import Limit
from motcua.core.text import normalize
from motcua.dossiers.access import Scope
from motcua.dossiers.actions import ActionError, receive_dossier, refuse_at_desk
from motcua.dossiers.forms import ApplicantForm, ReceptionForm
from motcua.dossiers.forms.reception import reuse_offers
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.store import StoreOffer, store_offer
from motcua.dossiers.views import nav
from motcua.dossiers.views.dossier import is_htmx
from motcua.org.models import Desk

RESULTS = 20
REUSABLE = 20
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


def reusable_documents(scope: Scope, id_number: str) -> list[DossierDocument]:
    """The documents digitised in the applicant's earlier dossiers the user may see, the
    latest first, one per stored file."""
    if not id_number:
        return []
    documents = (
        DossierDocument.objects.filter(
            dossier__in=scope.visible(),
            dossier__applicant_id_number=id_number,
            # Only what a desk checked: an online submission could carry anyone's number.
            dossier__received_at__isnull=False,
        )
        .exclude(file="")
        .select_related("dossier")
        .order_by("-dossier__received_at", "-dossier__submitted_at", "position")
    )
    seen: set[str] = set()
    found = []
    for doc in documents[: REUSABLE * 3]:
        if doc.file.name not in seen:
            seen.add(doc.file.name)
            found.append(doc)
    return found[:REUSABLE]


def _id_number(request: HttpRequest) -> str:
    return "".join(request.POST.get("applicant_id_number", "").split())


def _receive(
    request: HttpRequest, procedure: Procedure, desks: QuerySet[Desk], scope: Scope
) -> HttpResponse:
    refusing = request.POST.get("action") == "refuse"
    status = 200
    reusable: list[DossierDocument] = []
    offer = StoreOffer(None, [])
    checked: set[int] = set()
    if request.method == "POST":
        reusable = reusable_documents(scope, _id_number(request))
        offer = store_offer(_id_number(request), now())
        checked = {i for i in map(parse_id, request.POST.getlist("reuse")) if i is not None}
        applicant = ApplicantForm(request.POST)
        form = ReceptionForm(
            request.POST,
            procedure=procedure,
            desks=desks,
            refusing=refusing,
            reusable=reusable,
            stored=offer.items,
        )
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
    context["reusable"] = reuse_offers(reusable, [d.name for d in form.documents], checked)
    context["store_offer"] = offer
    context["store_checked"] = {
        i for i in map(parse_id, request.POST.getlist("from_store")) if i is not None
    }
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


def _phone(request: HttpRequest) -> str:
    return phone_or_blank(request.POST.get("applicant_phone", ""))


def _profile_initial(number: str, phone: str) -> dict[str, str]:
    """The applicant fields from the citizen's profile with this ID number or phone."""
    from motcua.accounts.profiles import find_profile  # accounts imports dossiers

    profile = find_profile(id_number=number or None, phone=phone or None)
    if profile is None:
        return {}
    return {
        "profile_id": str(profile.pk),
        "applicant_kind": "citizen",
        "applicant_id_number": profile.id_number,
        "applicant_name": profile.full_name,
        "applicant_phone": profile.phone,
        "applicant_email": profile.email,
        "applicant_address": profile.address,
    }


# A desk officer recalls an applicant at most this often: enough for a busy counter, too
# few to read the province's citizens one by one (docs/security.md).
RECALLS = Limit("applicant-recall", per=lambda: settings.RECEPTION_RECALLS_PER_HOUR, seconds=3600)
logger = logging.getLogger(__name__)


@login_required
@require_POST
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """ "Công dân không viết": fill the applicant's empty fields from the citizen's profile
    with the ID number (or else the phone) typed, then from the latest dossier of the
    applicant that the user may see, and offer the documents digitised in the applicant's
    earlier dossiers for reuse (htmx partial; 204 when nothing is known).

    Only an officer who receives at a desk may recall, as often as ``RECALLS`` allows; a
    recall is logged with who asked and which profile answered (no personal data)."""
    scope = Scope.of(request.user)
    if not desks_of(scope):
        return _denied(request)
    if not RECALLS.hit(str(request.user.pk)):
        return render(
            request,
            "dossiers/backoffice/_recall_limited.html",
            {"minutes": RECALLS.minutes_left()},
            status=429,
        )
    number, phone = _id_number(request), _phone(request)
    number = number if len(number) >= 9 else ""
    known = _profile_initial(number, phone)
    profile_id = known.pop("profile_id", "-")
    number = number or known.get("applicant_id_number", "")
    # Recalled only from dossiers a desk received (and so checked who the applicant is).
    visible = scope.visible().filter(received_at__isnull=False).order_by("-received_at")
    earlier = (
        visible.filter(applicant_id_number=number).first()
        if number
        else visible.filter(applicant_phone=phone).first()
        if phone
        else None
    )
    if (earlier is None and not known) or not is_htmx(request):
        return HttpResponse(status=204)
    logger.info(
        "applicant recall by user %s: profile %s, dossier %s",
        request.user.pk,
        profile_id,
        earlier.pk if earlier is not None else "-",
    )
    recalled = ApplicantForm.initial_from(earlier) if earlier is not None else {}
    typed = {name: request.POST.get(name, "") for name in ApplicantForm.base_fields}
    typed.pop("applicant_kind")  # always set (a select); the profile or dossier knows better
    initial = {
        name: typed.get(name) or known.get(name) or recalled.get(name, "")
        for name in {**recalled, **known}
    }
    initial.update({k: v for k, v in typed.items() if k.startswith("submitter_")})
    number = initial.get("applicant_id_number", "")
    code = normalize(request.POST.get("procedure", ""))
    procedure = Procedure.objects.filter(code=code).first() if code else None
    checklist = [d.name for d in procedure.documents.in_force()] if procedure else []
    context = {
        "applicant": ApplicantForm(initial=initial),
        "recalled": earlier,
        "profiled": bool(known),
        "reusable": reuse_offers(reusable_documents(scope, number), checklist, set()),
        "store_offer": store_offer(number, now()),
    }
    return render(request, "dossiers/backoffice/_applicant_fields.html", context)
