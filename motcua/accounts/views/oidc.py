"""Sign-in through the OpenID Connect provider (VNeID): the button's POST starts the flow,
the provider sends the browser back to ``/tai-khoan/oidc/callback/``.

A refused callback (see ``motcua.integrations.identity.client``) shows its message on the
sign-in page and changes nothing: no account is created, nobody is signed in.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.access import is_citizen
from motcua.accounts.actions import AccountError, link_identity, sign_in_with_identity
from motcua.accounts.forms import SignInForm
from motcua.accounts.profiles import profile_for
from motcua.accounts.views.session import safe_next, sign_in
from motcua.integrations.identity import client
from motcua.integrations.identity import config as oidc
from motcua.integrations.identity.claims import Identity
from motcua.integrations.identity.transport import ProviderError

logger = logging.getLogger(__name__)


def callback_url() -> str:
    """The redirect address registered with the provider."""
    return f"{settings.MOTCUA_PUBLIC_URL}{reverse('accounts:oidc-callback')}"


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    context = {
        "form": SignInForm(),
        "error": message,
        "oidc_enabled": oidc.enabled(),
        "provider_name": oidc.provider_name(),
        "next": "",
    }
    return render(request, "accounts/signin.html", context, status=status)


@require_POST
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider. ``purpose=link`` (from the profile page) links the
    signed-in citizen's account instead of signing in."""
    if not oidc.enabled():
        raise Http404
    linking = request.POST.get("purpose") == "link"
    if linking and not (request.user.is_authenticated and profile_for(request.user)):
        return redirect("accounts:signin")
    try:
        url = client.begin(
            request.session,
            redirect_uri=callback_url(),
            purpose="link" if linking else "signin",
            next_url=safe_next(request, request.POST.get("next")),
        )
    except ProviderError:
        logger.exception("OIDC: the provider's discovery failed")
        message = _("Chưa kết nối được với %(provider)s. Vui lòng thử lại sau.")
        return _refused(request, message % {"provider": oidc.provider_name()}, status=503)
    return HttpResponseRedirect(url)


@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    try:
        identity, flow = client.finish(request.session, request.GET)
    except client.SignInRefusedError as exc:
        logger.warning("OIDC sign-in refused: %s", exc.reason)
        return _refused(request, exc.message)
    if flow.purpose == "link":
        return _link(request, identity)
    try:
        user = sign_in_with_identity(identity=identity)
    except AccountError as exc:
        return _refused(request, str(exc), status=403)
    return HttpResponseRedirect(sign_in(request, user, flow.next_url))


def _link(request: HttpRequest, identity: Identity) -> HttpResponse:
    if not (request.user.is_authenticated and is_citizen(request.user)):
        return _refused(request, _("Vui lòng đăng nhập trước khi liên kết tài khoản."))
    try:
        link_identity(user=request.user, identity=identity)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        message = _("Đã liên kết tài khoản với %(provider)s.")
        messages.success(request, message % {"provider": oidc.provider_name()})
    return redirect("accounts:profile")
