"""profile_for and prefill: what the portal reads to prefill an application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.models import CitizenProfile
from motcua.accounts.profiles import prefill, profile_for

pytestmark = pytest.mark.django_db


def test_a_citizen_has_a_profile_others_none(citizen_an, clerk_binh):
    assert profile_for(citizen_an).full_name == "Nguyễn Văn An"
    assert profile_for(clerk_binh) is None
    assert profile_for(AnonymousUser()) is None
    assert profile_for(None) is None


def test_prefill_gives_the_applicant_fields(citizen_an):
    CitizenProfile.objects.filter(user=citizen_an).update(
        id_number="087190123456", date_of_birth=dt.date(1990, 5, 17), address="Cao Lãnh"
    )
    assert prefill(citizen_an) == {
        "name": "Nguyễn Văn An",
        "id_number": "087190123456",
        "date_of_birth": "17/05/1990",
        "phone": "0912345678",
        "email": "",
        "address": "Cao Lãnh",
    }


def test_prefill_without_a_profile_has_every_key_empty(clerk_binh):
    assert set(prefill(clerk_binh).values()) == {""}
    assert set(prefill(clerk_binh)) >= {"name", "id_number", "phone", "email", "address"}
