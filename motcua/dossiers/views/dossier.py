"""The dossier page (``/ho-so/<code>/``): everything about one dossier and what to do next.

The dossier comes through the one door (``access.dossier_for_user`` / ``dossier_for_action``);
every change goes through an action function. Actions are small forms posted to
``/ho-so/<code>/thao-tac/<action>/``: with htmx the page body is swapped in place, without
JavaScript the browser follows a redirect back to the page (or sees the page again with the
error, with the refusal's HTTP status).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from motcua.dossiers.access import Scope, dossier_for_action, dossier_for_user
from motcua.dossiers.actions import ActionError
from motcua.dossiers.forms import ActionForm
from motcua.dossiers.models import Dossier, DossierResult
from motcua.dossiers.national.overview import dossier_sync
from motcua.dossiers.signatures import signing_troubles
from motcua.dossiers.status import national_code
from motcua.dossiers.views import nav
from motcua.dossiers.views.operations import BY_NAME, available, perform
from motcua.dossiers.views.timeline import timeline
from motcua.dossiers.views.timing import Clock

PAGE = "dossiers/backoffice/dossier.html"
BODY = "dossiers/backoffice/_dossier_body.html"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _results(dossier: Dossier) -> list[DossierResult]:
    """The results, each with ``signing_trouble``: (failed for good, last error) of its
    signing job when it has met an error, else None (docs/signatures.md)."""
    troubles = signing_troubles(dossier.pk)
    results = list(dossier.results.select_related("personal_step"))
    for result in results:
        setattr(result, "signing_trouble", troubles.get(result.pk))  # noqa: B010
    return results


def _context(
    dossier: Dossier,
    scope: Scope,
    *,
    bound: tuple[str, ActionForm] | None = None,
    error: str = "",
    notice: str = "",
) -> dict[str, Any]:
    steps = list(dossier.steps.select_related("agency", "handled_by").order_by("position"))
    entries = timeline(list(dossier.events.order_by("seq")))
    operations = []
    for op in available(dossier, scope, steps):
        form = bound[1] if bound and bound[0] == op.name else op.make_form(dossier, scope=scope)
        operations.append({"op": op, "form": form, "open": bool(bound and bound[0] == op.name)})
    return {
        "dossier": dossier,
        "national_code": national_code(dossier.status),
        "left": Clock().left(dossier),
        "steps": steps,
        "entries": entries,
        "kinds": {entry.event.kind for entry in entries},
        "documents": list(dossier.documents.all()),
        "fees": list(dossier.fees.all()),
        "payments": list(dossier.payments.order_by("paid_at")),
        "results": _results(dossier),
        "operations": operations,
        "error": error,
        "notice": notice,
        "owed": max(dossier.fee_total_vnd - dossier.paid_vnd, 0),
        "national_sync": dossier_sync(dossier.pk),
        **nav(scope, "dossier"),
    }


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    partial = is_htmx(request)
    context["partial"] = partial
    return render(request, BODY if partial else PAGE, context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = Scope.of(request.user)
    dossier = dossier_for_user(request.user, code, scope)
    return _page(request, _context(dossier, scope))


@sensitive_post_parameters("sign_result_personally-pin")  # a leader's PIN, never in a report
@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Take one action; a refusal shows its Vietnamese message with its status (403, 409,
    422), never a 500."""
    operation = BY_NAME.get(action)
    if operation is None:
        raise Http404(action)
    scope = Scope.of(request.user)
    dossier = dossier_for_user(request.user, code, scope)
    if not scope.may(dossier, action):
        error = _("Bạn không có quyền thực hiện thao tác này với hồ sơ %(code)s.") % {"code": code}
        return _page(request, _context(dossier, scope, error=error), 403)
    form = operation.make_form(dossier, request.POST, request.FILES, scope=scope)
    if not form.is_valid():
        form.focus()
        context = _context(dossier, scope, bound=(action, form), error=_invalid())
        return _page(request, context, 422)
    try:
        # Permission is decided again on the locked row, in the action's transaction.
        with transaction.atomic():
            locked = dossier_for_action(request.user, code, action)
            dossier = perform(operation, locked, request.user, form)
    except ActionError as refused:
        dossier = dossier_for_user(request.user, code, scope)
        context = _context(dossier, scope, bound=(action, form), error=refused.message)
        return _page(request, context, refused.status)
    if is_htmx(request):
        dossier = dossier_for_user(request.user, code, scope)
        return _page(request, _context(dossier, scope, notice=str(operation.done)))
    messages.success(request, str(operation.done))
    return redirect(reverse("dossiers:detail", args=[dossier.code]))


def _invalid() -> str:
    return _("Thông tin chưa hợp lệ, xem lỗi ở từng ô bên dưới.")
