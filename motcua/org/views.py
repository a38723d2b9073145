from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.org.access import officer_required
from motcua.org.menu import menu_for
from motcua.org.models import Membership


@officer_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The signed-in officer's page: who they are, where they work, in which roles, and the
    pages those roles open (``menu.py``)."""
    user = request.user
    assert user.is_authenticated  # login_required let only signed-in users through
    memberships = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("agency", "desk")
        .order_by("agency__name", "role")
    )
    context = {"memberships": memberships, "menu": menu_for(memberships)}
    return render(request, "org/staff_home.html", context)
