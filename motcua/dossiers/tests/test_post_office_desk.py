"""The post office as a desk (the pilot; docs/postal.md "The post office as a desk"): it
receives only the sectors and agencies the province gave it (``catalog.PostOfficeScope``),
and within them as any desk does: Form 01, the counters (motcua/dossiers/actions/reception.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.test import Client

from motcua.catalog.models import PostOfficeScope, Procedure, Sector
from motcua.core.actions import ActionError
from motcua.dossiers.actions import receive_dossier
from motcua.dossiers.models import AgencyDayCounter, DailyCounter, Dossier
from motcua.dossiers.tests.fixtures import application, at, clock
from motcua.org.models import Agency, Desk, DeskKind

pytestmark = pytest.mark.django_db

MONDAY = at(2026, 3, 2, 8, 0)


@pytest.fixture
def post_office() -> Desk:
    return Desk.objects.get(kind=DeskKind.POST_OFFICE)


@pytest.fixture
def postman_khoa() -> Any:
    return get_user_model().objects.get(username="buudien")


def in_scope(post_office: Desk) -> Procedure:
    """A procedure the demo's post office receives, of a sector in its scope, with a
    workflow."""
    scope = post_office.post_office_scope
    procedure = (
        Procedure.objects.filter(
            desks=post_office,
            sector__in=scope.sectors.all(),
            competent_agency__in=scope.agencies.all(),
            templates__active=True,
        )
        .order_by("code")
        .first()
    )
    assert procedure is not None
    return procedure


def receive(post_office: Desk, officer: Any, code: str) -> Dossier:
    with clock(MONDAY):
        return receive_dossier(
            application=application(code, post_office), officer=officer, received_at=MONDAY
        )


def refusal(call: Any) -> ActionError:
    with pytest.raises(ActionError) as caught:
        call()
    return caught.value


def test_the_demo_post_office_has_its_scope(post_office):
    scope = post_office.post_office_scope
    assert set(scope.sectors.values_list("name", flat=True)) == {
        "Hộ tịch",
        "Chứng thực",
        "Lý lịch tư pháp",
        "Đất đai",
    } & set(Sector.objects.values_list("name", flat=True))
    assert scope.agencies.exists()


def test_a_dossier_in_scope_gets_its_form_01_and_counts(post_office, postman_khoa):
    procedure = in_scope(post_office)
    received = AgencyDayCounter.objects.aggregate(n=Sum("received_direct"))["n"] or 0

    dossier = receive(post_office, postman_khoa, procedure.code)

    assert (dossier.status, dossier.desk, dossier.received_at) == ("received", post_office, MONDAY)
    assert dossier.due_at is not None
    after = AgencyDayCounter.objects.aggregate(n=Sum("received_direct"))["n"] or 0
    assert after - received == 1
    daily = DailyCounter.objects.get(
        day=MONDAY.date(), procedure=procedure, agency=dossier.competent_agency
    )
    assert daily.received_direct == 1
    client = Client()
    client.force_login(postman_khoa)
    form = client.get(f"/ho-so/{dossier.code}/mau-01/")
    assert form.status_code == 200
    assert dossier.code in form.content.decode()
    assert client.get(f"/ho-so/{dossier.code}/mau-01.pdf")["Content-Type"] == "application/pdf"


def test_a_sector_outside_the_scope_is_refused_and_nothing_written(post_office, postman_khoa):
    procedure = in_scope(post_office)
    scope = post_office.post_office_scope
    scope.sectors.remove(procedure.sector)
    before = Dossier.objects.count()

    refused = refusal(lambda: receive(post_office, postman_khoa, procedure.code))

    assert (refused.code, refused.status) == ("post_office_sector_not_allowed", 422)
    assert f"lĩnh vực «{procedure.sector.name}»" in refused.message
    assert Dossier.objects.count() == before


def test_an_agency_outside_the_scope_is_refused(post_office, postman_khoa):
    procedure = in_scope(post_office)
    scope = post_office.post_office_scope
    other = Agency.objects.exclude(pk=procedure.competent_agency_id).order_by("pk").first()
    scope.agencies.set([other])

    refused = refusal(lambda: receive(post_office, postman_khoa, procedure.code))

    assert refused.code == "post_office_agency_not_allowed"
    assert procedure.competent_agency.name in refused.message


def test_a_post_office_desk_without_a_scope_receives_nothing(post_office, postman_khoa):
    procedure = in_scope(post_office)
    PostOfficeScope.objects.filter(desk=post_office).delete()

    refused = refusal(lambda: receive(post_office, postman_khoa, procedure.code))

    assert refused.code == "post_office_scope_missing"
    assert not Dossier.objects.filter(desk=post_office).exists()


def test_other_desks_are_not_bound_by_a_scope(centre, clerk_binh):
    with clock(MONDAY):
        dossier = receive_dossier(application=application("1.000426", centre), officer=clerk_binh)
    assert dossier.status == "received"
