from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.models import Membership, Role
from motcua.reports.ontime import on_time_by_agency

READERS = {Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR}


def _date(raw: str | None, default: dt.date) -> dt.date | None:
    if not raw:
        return default
    try:
        return dt.datetime.strptime(raw, "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar date
    except ValueError:
        return None


@login_required
def on_time(request: HttpRequest) -> HttpResponse:
    """The leaders' first dashboard: on-time rate by agency over a period."""
    user = request.user
    assert user.is_authenticated  # login_required let only signed-in users through
    if not Membership.objects.active().filter(user=user, role__in=READERS).exists():
        return render(request, "reports/forbidden.html", status=403)
    today = timezone.localdate()
    start = _date(request.GET.get("tu"), today.replace(day=1))
    end = _date(request.GET.get("den"), today)
    if start is None or end is None or start > end:
        error = _("Khoảng thời gian không hợp lệ (dd/mm/yyyy, từ ngày trước đến ngày).")
        return render(request, "reports/on_time.html", {"error": error}, status=400)
    rows = on_time_by_agency(start=start, end=end)
    return render(request, "reports/on_time.html", {"rows": rows, "start": start, "end": end})
