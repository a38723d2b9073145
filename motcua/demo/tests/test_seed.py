"""``seed_demo``: a working demo province, idempotent."""

from __future__ import annotations

import datetime as dt
import io
from itertools import islice

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings

from motcua.accounts.models import CitizenProfile
from motcua.catalog.models import Procedure
from motcua.demo import seed
from motcua.demo.agencies import PROVINCIAL_AGENCIES
from motcua.demo.people import DEMO_CITIZENS, DEPARTMENT_STAFF, commune_slug
from motcua.demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.actions import (
    accept_submission,
    forward_dossier,
    mark_result_ready,
    submit_online,
)
from motcua.dossiers.permissions import Scope
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tests.fixtures import application
from motcua.org.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    Desk,
    DeskKind,
    Membership,
    Role,
)
from motcua.portal.citizens import citizen_dossiers
from motcua.workcalendar.models import CalendarOverride

pytestmark = pytest.mark.django_db
CODES = {spec.key: spec.code for spec in PROVINCIAL_AGENCIES}


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


def staff_at(agency: Agency, role: str, desk: Desk | None = None) -> list[str]:
    found = Membership.objects.active().filter(agency=agency, role=role)
    if desk is not None:
        found = found.filter(desk=desk)
    return list(found.values_list("user__username", flat=True))


def test_every_desk_has_someone_receiving():
    for desk in Desk.objects.all():
        roles = Role.POSTAL_OFFICER if desk.kind == DeskKind.POST_OFFICE else Role.RECEPTIONIST
        assert staff_at(desk.agency, roles, desk), desk.name


def test_every_commune_committee_has_a_specialist_and_a_leader():
    committees = Agency.objects.filter(
        kind=AgencyKind.PEOPLES_COMMITTEE, unit__level="commune", desks__isnull=False
    )
    assert committees.count() == seed.DEMO_COMMUNES
    for committee in committees:
        assert staff_at(committee, Role.SPECIALIST) and staff_at(committee, Role.LEADER)


def test_the_busiest_departments_have_a_specialist_and_a_leader():
    for key in ["tuphap", *DEPARTMENT_STAFF]:
        agency = Agency.objects.get(code=CODES[key])
        assert staff_at(agency, Role.SPECIALIST) and staff_at(agency, Role.LEADER), key


def test_an_online_birth_registration_at_a_commune_is_worked_by_its_staff():
    desk = Desk.objects.get(name="Trung tâm Phục vụ hành chính công phường Cao Lãnh")
    citizen = CitizenProfile.objects.get(phone=DEMO_CITIZENS[0].phone).user
    submitted = submit_online(
        application=application("1.001193", desk, channel="online"), citizen=citizen
    )
    users = get_user_model().objects
    receptionist = users.get(username="tiepnhan.caolanh")
    assert visible_dossiers(receptionist).filter(pk=submitted.pk).exists()
    dossier = forward_dossier(
        dossier=accept_submission(dossier=submitted, officer=receptionist), officer=receptionist
    )
    specialist = users.get(username="chuyenvien.caolanh")
    assert Scope.of(specialist).holds_step(dossier)
    dossier = forward_dossier(dossier=dossier, officer=specialist)
    dossier = mark_result_ready(dossier=dossier, officer=users.get(username="lanhdao.caolanh"))
    assert dossier.status == DossierStatus.RESULT_READY
    assert citizen_dossiers(citizen).filter(pk=dossier.pk).exists()


@pytest.mark.parametrize("citizen", DEMO_CITIZENS, ids=lambda c: c.phone)
def test_demo_citizens_sign_in_with_their_phone_and_have_a_verified_id(citizen):
    client = Client()
    response = client.post(
        "/tai-khoan/dang-nhap/", {"identifier": citizen.phone, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    profile = CitizenProfile.objects.get(phone=citizen.phone)
    assert profile.id_verified and profile.verified_phone and profile.verified_email
    assert client.session["_auth_user_id"] == str(profile.user_id)


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
def test_command_prints_every_login(catalogue_sample):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = {line.split()[0] for line in out.getvalue().splitlines() if line.startswith("  ")}
    assert set(Membership.objects.values_list("user__username", flat=True)) <= printed
    assert {c.phone for c in DEMO_CITIZENS} <= printed


@override_settings(DEBUG=False)
def test_command_refuses_production_without_the_flag():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Phường Cao Lãnh", "caolanh"), ("Xã Tân Hồng", "tanhong"), ("Thị trấn Mỹ An", "myan")],
)
def test_commune_usernames_carry_the_name_without_its_kind(name, slug):
    assert commune_slug(name) == slug
