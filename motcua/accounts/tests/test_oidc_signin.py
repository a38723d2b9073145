"""Sign-in through the OpenID Connect provider (the local fake), through HTTP: the happy path
maps the claims to a new profile; every forged or invalid answer is refused with a Vietnamese
message, no account is created and nobody is signed in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from motcua.accounts.models import CitizenProfile
from motcua.accounts.tests.conftest import through_provider
from motcua.devtools.fakes.oidc import new_key

pytestmark = pytest.mark.django_db
INVALID = "Thông tin đăng nhập nhận từ VNeID không hợp lệ nên không được chấp nhận."
EXPIRED = "Phiên đăng nhập bằng VNeID đã hết hạn hoặc không hợp lệ."


def users():
    return get_user_model().objects.count()


def test_the_happy_path_creates_a_verified_profile(client, provider):
    path, query = through_provider(client, next="/ho-so-cua-toi/")
    response = client.get(path, query)

    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
    profile = CitizenProfile.objects.get(oidc_subject="vneid-0001")
    assert profile.oidc_issuer == provider.issuer
    assert (profile.full_name, profile.id_number, profile.id_verified) == (
        "Nguyễn Thị Mai",
        "087190123456",
        True,
    )
    assert profile.date_of_birth == dt.date(1990, 5, 17)
    assert (profile.phone, profile.verified_phone) == ("0912000111", True)
    assert (profile.email, profile.verified_email) == ("mai@example.vn", True)
    user = profile.user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not user.has_usable_password() and not user.is_staff


def test_the_id_number_claim_is_configurable(client, provider, settings):
    settings.OIDC_ID_NUMBER_CLAIM = "citizen.so_dinh_danh"
    provider.person = {
        "sub": "vneid-0002",
        "name": "Mai",
        "citizen": {"so_dinh_danh": "079190000001"},
    }
    client.get(*through_provider(client))
    assert CitizenProfile.objects.get(oidc_subject="vneid-0002").id_number == "079190000001"


@pytest.mark.parametrize(
    ("misbehave", "reason"),
    [
        pytest.param(
            lambda p: setattr(p, "forge_key", new_key()), "BadSignatureError", id="another-key"
        ),
        pytest.param(lambda p: setattr(p, "nonce_override", "other"), "nonce", id="wrong-nonce"),
        pytest.param(
            lambda p: setattr(p, "token_lifetime", -300), "ExpiredTokenError", id="expired"
        ),
    ],
)
def test_a_bad_id_token_is_refused(client, provider, caplog, misbehave, reason):
    misbehave(provider)
    before = users()
    response = client.get(*through_provider(client))

    assert response.status_code == 400
    page = response.content.decode()
    assert INVALID in page and 'role="alert"' in page
    assert users() == before and "_auth_user_id" not in client.session
    assert reason in caplog.text


def test_a_wrong_state_is_refused_before_the_code_is_used(client, provider):
    before = users()
    path, query = through_provider(client)
    response = client.get(path, {**query, "state": "forged-state"})

    assert response.status_code == 400 and EXPIRED in response.content.decode()
    assert users() == before
    assert provider.refused == []  # the token endpoint was never asked


def test_a_callback_is_used_once(client, provider):
    path, query = through_provider(client)
    client.get(path, query)
    client.logout()
    response = client.get(path, query)
    assert response.status_code == 400 and EXPIRED in response.content.decode()


def test_a_callback_without_a_flow_in_this_browser_is_refused(client, provider):
    path, query = through_provider(client)
    other_browser = client.__class__()
    response = other_browser.get(path, query)
    assert EXPIRED in response.content.decode()
    assert not CitizenProfile.objects.filter(oidc_subject="vneid-0001").exists()


def test_a_person_who_declines_at_the_provider_is_told_so(client, provider):
    provider.deny = True
    response = client.get(*through_provider(client))
    assert "Bạn đã hủy đăng nhập bằng VNeID." in response.content.decode()


def test_an_unreachable_provider_is_explained(client, provider, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    response = client.post("/tai-khoan/oidc/bat-dau/")
    assert response.status_code == 503
    assert "Chưa kết nối được với VNeID" in response.content.decode()


def test_the_pages_are_404_while_oidc_is_off(client, settings):
    settings.OIDC_ENABLED = False
    assert client.post("/tai-khoan/oidc/bat-dau/").status_code == 404
    assert client.get("/tai-khoan/oidc/callback/").status_code == 404
