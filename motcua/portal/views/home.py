"""The home page (a search box) and the procedure finder's results with filters."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.catalog.queries import search_procedures
from motcua.portal.forms import SearchForm

PER_PAGE = 20
# What people most often come for, as they say it (links to the finder).
COMMON_QUESTIONS = (
    "làm giấy khai sinh",
    "sao y giấy tờ",
    "đăng ký kết hôn",
    "sổ đỏ",
    "lý lịch tư pháp",
    "báo tử",
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"common": COMMON_QUESTIONS})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    procedures = search_procedures(
        q=filters.get("q", ""),
        level=filters.get("level"),
        sector=filters.get("sector"),
        agency=filters.get("agency"),
    )
    if filters.get("online"):
        procedures = procedures.filter(online_mode=filters["online"])
    page = Paginator(procedures, PER_PAGE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "q": filters.get("q", ""),
            "page": page,
            "filtered": any(k != "q" for k in filters),
            "query": query.urlencode(),
        },
    )
