"""The code page (``/tai-khoan/xac-minh/``): enter the 6-digit code, or ask for a new one.

Two kinds of visitor use it: someone who just signed up, or signed in with a phone or email
not verified yet (kept in the session as pending: a right code signs them in), and a
signed-in citizen proving a phone or email they changed on their profile (``?kenh=phone``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from motcua.accounts.access import is_citizen
from motcua.accounts.forms import CodeForm
from motcua.accounts.models import Channel
from motcua.accounts.profiles import profile_for
from motcua.accounts.verification import (
    VerificationError,
    check_code,
    seconds_until_resend,
    send_verification_code,
)
from motcua.accounts.views.session import pending_user, sign_in


def _subject(request: HttpRequest) -> tuple[Any, str, bool] | None:
    """(user, channel, pending) for this visitor, or None if there is nothing to verify."""
    if request.user.is_authenticated:
        profile = profile_for(request.user)
        if profile is None or not is_citizen(request.user):
            return None
        asked = request.POST.get("kenh") or request.GET.get("kenh")
        channels = [asked] if asked in Channel.values else list(Channel.values)
        for channel in channels:
            if profile.address_of(channel) and not profile.is_verified(channel):
                return request.user, channel, False
        return None
    pending = pending_user(request)
    return (*pending, True) if pending else None


@sensitive_post_parameters("code")  # the typed code stays out of error reports
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Enter the code (``action=verify``) or ask for a new one (``action=resend``); the rules
    are ``motcua.accounts.verification``'s. A right code for a pending sign-in signs in."""
    subject = _subject(request)
    if subject is None:
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return redirect("accounts:signin")
    user, channel, pending = subject
    form = CodeForm(request.POST if request.POST.get("action") == "verify" else None)
    status, error = 200, ""
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            send_verification_code(user=user, channel=channel)
            messages.success(request, _("Đã gửi mã xác minh mới."))
        except VerificationError as exc:
            error, status = str(exc), 429
    elif form.is_bound:
        if form.is_valid():
            try:
                check_code(user=user, channel=channel, code=form.cleaned_data["code"])
            except VerificationError as exc:
                form.add_error("code", str(exc))
            else:
                messages.success(request, _verified_message(channel))
                if pending:
                    return redirect(sign_in(request, user))
                return redirect("accounts:profile")
        status = 400
    form.focus("code")
    context = {
        "form": form,
        "error": error,
        "channel": channel,
        "address": _masked(user.citizen_profile.address_of(channel), channel),
        "wait": seconds_until_resend(user, channel),
    }
    return render(request, "accounts/verify.html", context, status=status)


def _verified_message(channel: str) -> str:
    if channel == Channel.PHONE:
        return _("Đã xác minh số điện thoại.")
    return _("Đã xác minh địa chỉ thư điện tử.")


def _masked(address: str, channel: str) -> str:
    """Enough for the owner to recognise it: "091****678", "a***@example.vn"."""
    if channel == Channel.PHONE:
        return f"{address[:3]}****{address[-3:]}"
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"
