"""The public statistics page (``/thong-ke/``): no sign-in. Province-wide figures from the
counters, and the latest audit seal's digest, published so that anyone can hold the province
to it (docs/decisions/audit.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.core.seals import latest_seal
from motcua.reports.statistics import flows, in_progress


@require_GET
def public_statistics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "today": today,
        "month": flows(start=today.replace(day=1), end=today),
        "year": flows(start=today.replace(month=1, day=1), end=today),
        "stock": in_progress(),
        "seal": latest_seal(),
    }
    return render(request, "reports/statistics.html", context)
