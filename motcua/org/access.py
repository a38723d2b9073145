"""Who is an officer at work: the door of the back-office pages that are not about one object
(the staff home, worklists, searches). Object pages have their own doors, which answer 404
for what a user may not see (docs/security.md "Nobody sees or changes what is not theirs").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from motcua.org.models import Membership

View = Callable[..., HttpResponseBase]


def is_working_officer(user: Any) -> bool:
    """An active account with at least one active role at an agency. Remembered on the user
    object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    known = getattr(user, "_motcua_working_officer", None)
    if known is None:
        known = Membership.objects.active().filter(user_id=user.pk).exists()
        user._motcua_working_officer = known
    return bool(known)


def officer_required(view: View) -> View:
    """Signed in (else to the staff sign-in page) with an active role: a citizen, or an
    officer whose every role was switched off, gets 403 and a page that says why."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_working_officer(request.user):
            return render(request, "org/officers_only.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)
