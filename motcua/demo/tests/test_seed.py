"""``seed_demo``: a working demo province, idempotent."""

from __future__ import annotations

import datetime as dt
import io
from itertools import islice

import pytest
from django.core.management import call_command
from django.test import override_settings

from motcua.catalog.models import Procedure
from motcua.demo import seed
from motcua.demo.seed import DEMO_USERS, seed_demo
from motcua.org.models import AdministrativeUnit, Agency, Desk, Membership, Role
from motcua.workcalendar.models import CalendarOverride

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "units": AdministrativeUnit.objects.count(),
        "agencies": Agency.objects.count(),
        "desks": Desk.objects.count(),
        "memberships": Membership.objects.count(),
        "procedures": Procedure.objects.count(),
        "overrides": CalendarOverride.objects.count(),
    }


@pytest.mark.slow  # the whole national catalogue again: once per CI, in the PostgreSQL run
def test_running_it_again_changes_nothing():
    before = counts()
    result = seed_demo(today=dt.date(2026, 11, 25))
    assert counts() == before
    assert result.catalogue is not None
    assert result.catalogue.created == result.catalogue.updated == 0


def test_one_demo_user_per_role():
    assert {u.role for u in DEMO_USERS} == set(Role.values)
    for spec in DEMO_USERS:
        assert Membership.objects.filter(user__username=spec.username, role=spec.role).exists()


def test_the_province_is_the_merged_dong_thap_in_the_two_level_structure():
    province = AdministrativeUnit.objects.valid_on(dt.date(2026, 1, 1)).get(
        code="82", level="province"
    )
    assert province.name == "Tỉnh Đồng Tháp"
    assert not province.children.filter(level="district").exists()
    old = AdministrativeUnit.objects.valid_on(dt.date(2024, 1, 1)).filter(level="province")
    assert set(old.values_list("code", flat=True)) >= {"82", "87"}


def test_provincial_procedures_have_a_competent_agency():
    provincial = Procedure.objects.filter(at_province=True)
    assert provincial.exists()
    assert not provincial.filter(competent_agency__isnull=True).exists()
    assert Procedure.objects.get(code="2.000635").competent_agency.name == "Sở Tư pháp"


def test_make_up_saturday_is_loaded():
    row = CalendarOverride.objects.get(day=dt.date(2025, 4, 26))
    assert row.kind == "working_day"


@pytest.fixture
def catalogue_sample(monkeypatch):
    """The first records of the national catalogue, for tests about something else."""
    records = seed._catalogue_records
    monkeypatch.setattr(seed, "_catalogue_records", lambda: islice(records(), 20))


@override_settings(DEBUG=True)
def test_command_prints_the_logins(catalogue_sample):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "tiepnhan" in out.getvalue()


@override_settings(DEBUG=False)
def test_command_refuses_production_without_the_flag():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
