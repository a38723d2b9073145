"""An agency's signing key as configuration (motcua/signing, docs/signatures.md): the fields
each kind needs, one active key per agency, and a secret that never reaches the screen."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from motcua.signing.models import KeyKind, SigningKey
from motcua.signing.queries import active_key

pytestmark = pytest.mark.django_db


def p12(agency, **fields) -> SigningKey:
    values = {
        "agency": agency,
        "kind": KeyKind.PKCS12,
        "pkcs12_path": "/etc/motcua/keys/stp.p12",
        "secret_env": "MOTCUA_KEY_STP",
        "signer_name": "Sở Tư pháp tỉnh Đồng Tháp",
    } | fields
    return SigningKey(**values)


def test_each_kind_needs_its_own_fields(justice):
    with pytest.raises(ValidationError) as p12_refused:
        p12(justice, pkcs12_path="").full_clean()
    assert "pkcs12_path" in p12_refused.value.message_dict
    with pytest.raises(ValidationError) as hsm_refused:
        p12(justice, kind=KeyKind.PKCS11, pkcs12_path="").full_clean()
    assert {"pkcs11_module", "token_label", "key_label"} <= set(hsm_refused.value.message_dict)
    with pytest.raises(ValidationError) as env_refused:
        p12(justice, secret_env="mat khau 123").full_clean()
    assert "secret_env" in env_refused.value.message_dict


def test_one_active_key_per_agency_rotating_is_switch_off_then_add(justice):
    old = p12(justice)
    old.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        p12(justice, pkcs12_path="/etc/motcua/keys/stp-2027.p12").save()
    old.active = False
    old.save()
    new = p12(justice, pkcs12_path="/etc/motcua/keys/stp-2027.p12")
    new.save()
    assert active_key(justice.pk) == new


def test_the_admin_says_whether_the_secret_is_set_never_what_it_is(justice, admin_anh, monkeypatch):
    monkeypatch.setenv("MOTCUA_KEY_STP", "bi-mat-khong-duoc-lo")
    key = p12(justice)
    key.save()
    client = Client()
    client.force_login(admin_anh)
    for url in ("/admin/signing/signingkey/", f"/admin/signing/signingkey/{key.pk}/change/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "bi-mat-khong-duoc-lo" not in page.content.decode()
    assert key.secret_is_set


def test_a_personal_key_belongs_to_one_person_and_may_ask_its_pin(justice, django_user_model):
    from motcua.signing.models import SigningPurpose
    from motcua.signing.queries import personal_key

    leader = django_user_model.objects.create_user("lanh-dao-stp")
    with pytest.raises(ValidationError) as no_user:
        p12(justice, purpose=SigningPurpose.PERSONAL, secret_env="").full_clean()
    assert "user" in no_user.value.message_dict
    with pytest.raises(ValidationError) as agency_without_secret:
        p12(justice, secret_env="").full_clean()
    assert "secret_env" in agency_without_secret.value.message_dict
    key = p12(justice, purpose=SigningPurpose.PERSONAL, user=leader, secret_env="")
    key.full_clean()
    key.save()
    assert key.asks_pin and not key.secret_is_set and personal_key(leader.pk) == key
    # Beside the agency's own key, and one active personal key per person.
    p12(justice).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        p12(justice, purpose=SigningPurpose.PERSONAL, user=leader, secret_env="").save()
