"""The 1022 console: one module per screen, server-rendered, enhanced with htmx."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from motcua.hotline.access import HotlineScope

# HttpResponseBase: a streamed file (views/files.py) is a response too.
View = Callable[..., HttpResponseBase]


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def nav(scope: HotlineScope, section: str) -> dict[str, Any]:
    return {"section": section, "is_operator": scope.is_operator}


def denied(request: HttpRequest, scope: HotlineScope) -> HttpResponse:
    return render(request, "hotline/console/denied.html", nav(scope, ""), status=403)


def hotline_staff(*, operators_only: bool = False) -> Callable[[View], View]:
    """Signed in (else to /dang-nhap/), and working the hotline: 1022 operators, or staff of
    an agency that answers routed tickets (``operators_only``: operators alone). The scope is
    handed to the view as ``scope``."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            scope = HotlineScope.of(request.user)
            allowed = scope.is_operator if operators_only else scope.is_staff_of_hotline
            if not allowed:
                return denied(request, scope)
            return view(request, *args, scope=scope, **kwargs)

        return wrapped

    return decorate
