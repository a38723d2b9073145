from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from motcua.org.models import Membership, Role
from motcua.reports.ontime import on_time_by_agency
from motcua.reports.postal import postal_report

READERS = {Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR}


def _date(raw: str | None, default: dt.date) -> dt.date | None:
    if not raw:
        return default
    try:
        return dt.datetime.strptime(raw, "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar date
    except ValueError:
        return None


def _reader(request: HttpRequest) -> bool:
    user = request.user
    assert user.is_authenticated  # login_required let only signed-in users through
    return Membership.objects.active().filter(user=user, role__in=READERS).exists()


def _period(request: HttpRequest) -> tuple[dt.date, dt.date] | None:
    """The period asked (``tu``, ``den``: dd/mm/yyyy), this month so far by default; None
    when it cannot be read or ends before it starts."""
    today = timezone.localdate()
    start = _date(request.GET.get("tu"), today.replace(day=1))
    end = _date(request.GET.get("den"), today)
    if start is None or end is None or start > end:
        return None
    return start, end


BAD_PERIOD = _lazy("Khoảng thời gian không hợp lệ (dd/mm/yyyy, từ ngày trước đến ngày).")


@login_required
def on_time(request: HttpRequest) -> HttpResponse:
    """The leaders' first dashboard: on-time rate by agency over a period."""
    if not _reader(request):
        return render(request, "reports/forbidden.html", status=403)
    period = _period(request)
    if period is None:
        return render(request, "reports/on_time.html", {"error": BAD_PERIOD}, status=400)
    start, end = period
    rows = on_time_by_agency(start=start, end=end)
    return render(request, "reports/on_time.html", {"rows": rows, "start": start, "end": end})


@login_required
def postal(request: HttpRequest) -> HttpResponse:
    """The public postal service over a period (``reports/postal.py``)."""
    if not _reader(request):
        return render(request, "reports/forbidden.html", status=403)
    period = _period(request)
    if period is None:
        return render(request, "reports/postal.html", {"error": BAD_PERIOD}, status=400)
    start, end = period
    return render(request, "reports/postal.html", {"report": postal_report(start=start, end=end)})
