"""Who is a citizen, and the door to the citizen's own pages.

Officers (``is_staff``, superusers, anyone with a role at an agency) sign in at the staff
page only: the citizen pages never sign them in, and citizens are never made staff.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from motcua.accounts.models import CitizenProfile
from motcua.accounts.profiles import profile_for
from motcua.org.models import Membership


def is_citizen(user: Any) -> bool:
    """True for an active, signed-in user who is not an officer in any way: not staff, and
    no role at any agency, even a switched-off one (an officer's account stays an officer's).
    Remembered on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, "_motcua_is_citizen", None)
    if known is None:
        known = bool(
            user.is_active
            and not user.is_staff
            and not user.is_superuser
            and not Membership.objects.filter(user_id=user.pk).exists()
        )
        user._motcua_is_citizen = known
    return bool(known)


def signin_url(next_path: str) -> str:
    return f"{reverse('accounts:signin')}?{urlencode({'next': next_path})}"


View = Callable[..., HttpResponseBase]


def citizen_required(view: View) -> View:
    """A page for the signed-in citizen: anonymous visitors go to the citizen sign-in page
    (and come back), officers get 403. The view finds the profile as ``request.profile``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(signin_url(request.get_full_path()))
        profile: CitizenProfile | None = profile_for(request.user)
        if profile is None or not is_citizen(request.user):
            return render(request, "accounts/citizens_only.html", status=403)
        request.profile = profile  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
