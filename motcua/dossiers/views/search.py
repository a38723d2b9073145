"""Search (``/ho-so/tim/?q=``): by code, applicant name (with or without diacritics), phone
or ID number, among the dossiers the user may see (``queries.search``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from motcua.core.text import normalize
from motcua.dossiers import queries
from motcua.dossiers.access import Scope
from motcua.dossiers.views import nav
from motcua.dossiers.views.timing import Clock, rows

PER_PAGE = 50


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = normalize(request.GET.get("q", ""))[:100]
    scope = Scope.of(request.user)
    found = queries.search(scope, query)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("trang"))
    listed = list(page.object_list)
    # A whole code typed or scanned from a receipt's QR code: straight to the dossier.
    if len(listed) == 1 and listed[0].code.lower() == query.lower():
        return redirect(reverse("dossiers:detail", args=[listed[0].code]))
    context = {
        "query": query,
        "page": page,
        "rows": rows(listed, Clock()),
        "extra_query": urlencode({"q": query}),
        **nav(scope, "search"),
    }
    return render(request, "dossiers/backoffice/search.html", context)
