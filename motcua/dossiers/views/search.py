"""Search (``/ho-so/tim/``): by code, applicant name (with or without diacritics), phone or
ID number, among the dossiers the user may see (``queries.search``).

The words searched are posted, never put in the address: a phone or an ID number in a URL
ends up in the access logs of every proxy on the way (docs/decisions/dossiers.md "Access").
A GET shows the empty form whatever its parameters; the result pages are posted too (the
words and the page number).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from motcua.core.text import normalize
from motcua.dossiers import queries
from motcua.dossiers.access import Scope
from motcua.dossiers.views import nav
from motcua.dossiers.views.timing import Clock, rows
from motcua.org.access import officer_required

PER_PAGE = 50


@officer_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    scope = Scope.of(request.user)
    if request.method == "GET":  # parameters ignored: a search is only read from a POST
        context = {"query": "", "page": None, "rows": [], **nav(scope, "search")}
        return render(request, "dossiers/backoffice/search.html", context)
    query = normalize(request.POST.get("q", ""))[:100]
    found = queries.search(scope, query)
    page = Paginator(found, PER_PAGE).get_page(request.POST.get("trang"))
    listed = list(page.object_list)
    # A whole code typed or scanned from a receipt's QR code: straight to the dossier.
    if len(listed) == 1 and listed[0].code.lower() == query.lower():
        return redirect(reverse("dossiers:detail", args=[listed[0].code]))
    context = {
        "query": query,
        "page": page,
        "rows": rows(listed, Clock()),
        **nav(scope, "search"),
    }
    return render(request, "dossiers/backoffice/search.html", context)
