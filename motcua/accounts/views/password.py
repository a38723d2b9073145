"""Sign-up, sign-in and sign-out with a phone or email and a password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import throttle
from motcua.accounts.actions import AccountError, register_citizen
from motcua.accounts.authentication import authenticate_citizen
from motcua.accounts.forms import SignInForm, SignUpForm
from motcua.accounts.identifiers import parse_identifier
from motcua.accounts.verification import VerificationError, send_verification_code
from motcua.accounts.views.session import set_pending, sign_in
from motcua.integrations.identity import config as oidc

BAD_CREDENTIALS = gettext_lazy("Số điện thoại, thư điện tử hoặc mật khẩu không đúng.")


def _signin_page(
    request: HttpRequest,
    form: SignInForm,
    *,
    error: str = "",
    status: int = 200,
    focus: str = "identifier",
) -> HttpResponse:
    form.focus(focus)
    context = {
        "form": form,
        "error": error,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "oidc_enabled": oidc.enabled(),
        "provider_name": oidc.provider_name(),
    }
    return render(request, "accounts/signin.html", context, status=status)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Open an account with a phone or email and a password; the code page follows."""
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if throttle.signup_over_limit(request):
            form.add_error(
                None, _("Có quá nhiều lượt đăng ký từ mạng của bạn. Vui lòng thử lại sau.")
            )
            status = 429
        else:
            identifier = form.cleaned_data["identifier"]
            try:
                user = register_citizen(
                    full_name=form.cleaned_data["full_name"],
                    identifier=identifier,
                    password=form.cleaned_data["password1"],
                )
            except (AccountError, VerificationError) as exc:
                form.add_error("identifier", str(exc))
            else:
                set_pending(request, user, identifier.channel, request.POST.get("next", ""))
                return redirect("accounts:verify")
    if form.errors and status == 200:
        status = 400
    form.focus("full_name")
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    """Sign in with a phone or email and the password. Officers are refused here (they use
    the staff page); too many failures lock the identifier and the address for a while."""
    form = SignInForm(request.POST or None)
    if request.method != "POST":
        return _signin_page(request, form)
    if not form.is_valid():
        return _signin_page(request, form, status=400)
    raw = form.cleaned_data["identifier"]
    try:
        identifier = parse_identifier(raw)
        key = f"{identifier.channel}:{identifier.value}"
    except ValidationError:
        identifier, key = None, " ".join(raw.lower().split())
    minutes = throttle.signin_locked_minutes(request, key)
    if minutes:
        error = _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {
            "minutes": minutes
        }
        return _signin_page(request, SignInForm(), error=error, status=429)
    user = authenticate_citizen(identifier, form.cleaned_data["password"]) if identifier else None
    if user is None:
        throttle.signin_failed(request, key)
        form = SignInForm(initial={"identifier": raw})
        error = str(BAD_CREDENTIALS)
        return _signin_page(request, form, error=error, status=400, focus="password")
    throttle.signin_succeeded(key)
    assert identifier is not None
    next_url = request.POST.get("next", "")
    profile = user.citizen_profile
    if not profile.is_verified(identifier.channel):
        set_pending(request, user, identifier.channel, next_url)
        try:
            send_verification_code(user=user, channel=identifier.channel)
        except VerificationError as exc:  # e.g. a code sent a moment ago still works
            messages.info(request, str(exc))
        return redirect("accounts:verify")
    return HttpResponseRedirect(sign_in(request, user, next_url))


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("home"))
