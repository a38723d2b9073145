"""Accounts are linked to a provider identity by its ``sub`` only, never by email."""

from __future__ import annotations

import pytest

from motcua.accounts.models import CitizenProfile
from motcua.accounts.tests.conftest import through_provider

pytestmark = pytest.mark.django_db


def sign_in_with_provider(client):
    client.get(*through_provider(client))
    return int(client.session["_auth_user_id"])


def test_the_same_sub_signs_into_the_same_account(client, provider):
    first = sign_in_with_provider(client)
    client.logout()
    provider.person |= {"email": "mai.moi@example.vn", "name": "Nguyễn Thị Mai Anh"}

    assert sign_in_with_provider(client) == first
    profile = CitizenProfile.objects.get(user_id=first)
    assert profile.full_name == "Nguyễn Thị Mai Anh"  # the provider's name is authoritative
    assert profile.email == "mai@example.vn"  # the citizen's email is theirs to change


def test_an_account_with_the_same_email_is_not_taken_over(client, provider, citizen_binh):
    provider.person |= {"email": "binh@example.vn", "email_verified": True}
    user_id = sign_in_with_provider(client)

    assert user_id != citizen_binh.pk
    assert CitizenProfile.objects.get(user_id=user_id).email == ""  # verified by Bình's account
    assert CitizenProfile.objects.get(user=citizen_binh).oidc_subject == ""


def test_a_signed_in_citizen_links_their_account(signed_in_an, citizen_an, provider):
    response = signed_in_an.get(*through_provider(signed_in_an, purpose="link"))

    assert response["Location"] == "/tai-khoan/ho-so/"
    profile = CitizenProfile.objects.get(user=citizen_an)
    assert (profile.oidc_subject, profile.id_number, profile.id_verified) == (
        "vneid-0001",
        "087190123456",
        True,
    )
    assert profile.phone == "0912345678"  # kept: the citizen's own
    signed_in_an.logout()
    assert sign_in_with_provider(signed_in_an) == citizen_an.pk


def test_an_identity_linked_to_another_account_is_not_linked_again(
    client, signed_in_an, citizen_an, provider
):
    other = sign_in_with_provider(client)
    response = signed_in_an.get(*through_provider(signed_in_an, purpose="link"), follow=True)

    assert "đã được liên kết với một tài khoản khác" in response.content.decode()
    assert CitizenProfile.objects.get(user=citizen_an).oidc_subject == ""
    assert CitizenProfile.objects.get(oidc_subject="vneid-0001").user_id == other


def test_an_officer_linked_by_sub_is_refused(client, provider, clerk_binh):
    CitizenProfile.objects.create(
        user=clerk_binh, full_name="Bình", oidc_issuer=provider.issuer, oidc_subject="vneid-0001"
    )
    response = client.get(*through_provider(client))
    assert response.status_code == 403 and "_auth_user_id" not in client.session
