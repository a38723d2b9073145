"""Rating a returned dossier (``/ho-so-cua-toi/<code>/danh-gia/``): once per dossier."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.dossiers.actions import ActionError, rate_dossier
from motcua.dossiers.models import Dossier, Rating, RatingCriterion
from motcua.portal.citizens import dossier_for_citizen
from motcua.portal.forms import RatingForm
from motcua.portal.views.common import citizen_required


def _page(
    request: HttpRequest, dossier: Dossier, form: RatingForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "dossier": dossier,
        "form": form,
        "criteria_fields": [form[f"criterion_{c.pk}"] for c in form.criteria],
        "rating": Rating.objects.filter(dossier=dossier).first(),
        "errors": ([("", error)] if error else []) + (form.error_list() if form.is_bound else []),
    }
    return render(request, "portal/rate.html", context, status=status)


@citizen_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for_citizen(request.user, code)
    criteria = list(RatingCriterion.objects.filter(active=True).order_by("order", "id"))
    if request.method == "GET":
        return _page(request, dossier, RatingForm(criteria=criteria))
    form = RatingForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _page(request, dossier, form, status=422)
    try:
        with transaction.atomic():
            locked = dossier_for_citizen(request.user, code, for_update=True)
            rate_dossier(
                dossier=locked,
                citizen=request.user,
                level=form.cleaned_data["level"],
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
            )
    except ActionError as refusal:
        return _page(request, dossier, form, error=refusal.message, status=refusal.status)
    messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect(reverse("portal:dossier", args=[code]))
