"""What every citizen page shares: who may use it and how a refusal is shown."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from motcua.accounts.access import is_citizen

# The citizen sign-in page (motcua.accounts); staff sign in at settings.LOGIN_URL.
CITIZEN_LOGIN_URL = "/tai-khoan/dang-nhap/"

View = Callable[..., HttpResponseBase]


def citizen_required(view: View) -> View:
    """Signed in (else to the citizen sign-in page) as a citizen: an officer's account (any
    role at an agency, active or switched off, or staff) files and reads nothing here."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_citizen(request.user):
            return render(request, "portal/staff_account.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped, login_url=CITIZEN_LOGIN_URL)
