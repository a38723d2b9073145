"""The citizen's profile (``/tai-khoan/ho-so/``): see it, correct it, verify a changed phone
or email, link the account to the identity provider."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.access import citizen_required
from motcua.accounts.actions import AccountError, update_profile
from motcua.accounts.forms import ProfileForm
from motcua.accounts.models import CitizenProfile
from motcua.accounts.verification import VerificationError, send_verification_code
from motcua.integrations.identity import config as oidc


@citizen_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Show and save the profile. A changed phone or email is unverified until its code is
    entered (the code page follows); an ID number asserted by the provider is read-only."""
    current: CitizenProfile = request.profile  # type: ignore[attr-defined]
    form = ProfileForm(request.POST or None, profile=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                unverified = update_profile(user=request.user, changes=form.changes())
            except AccountError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu hồ sơ."))
                if unverified:
                    return _verify_changed(request, unverified[0])
                return redirect("accounts:profile")
        status = 400
    form.focus()
    context = {
        "form": form,
        "profile": current,
        "oidc_enabled": oidc.enabled(),
        "provider_name": oidc.provider_name(),
    }
    return render(request, "accounts/profile.html", context, status=status)


def _verify_changed(request: HttpRequest, channel: str) -> HttpResponse:
    """Send a code to the changed phone or email and go to the code page."""
    try:
        send_verification_code(user=request.user, channel=channel)
    except VerificationError as exc:
        messages.warning(request, str(exc))
    return redirect(f"{reverse('accounts:verify')}?{urlencode({'kenh': channel})}")
