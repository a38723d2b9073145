"""Citizen accounts: ``path("tai-khoan/", include("motcua.accounts.urls"))``."""

from django.urls import path

from motcua.accounts.views import oidc, password, profile, verify

app_name = "accounts"
urlpatterns = [
    path("dang-ky/", password.signup, name="signup"),
    path("dang-nhap/", password.signin, name="signin"),
    path("dang-xuat/", password.signout, name="signout"),
    path("xac-minh/", verify.verify, name="verify"),
    path("ho-so/", profile.profile, name="profile"),
    path("oidc/bat-dau/", oidc.oidc_start, name="oidc-start"),
    path("oidc/callback/", oidc.oidc_callback, name="oidc-callback"),
]
