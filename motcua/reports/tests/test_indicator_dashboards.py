"""The Decision 766 dashboards (docs/indicators.md): who reads what, where the points go and
the late dossiers behind them, and bad input answered with a 400 that says why.

The data come from real actions: Justice dossiers (1.000426, five working days) received on
Monday 02/03/2026 and finished on 12/03/2026, after their due moment, so March 2026 has
points lost to that agency and that procedure.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.dossiers.tests.fixtures import at, clock, leader_of, ready
from motcua.org.models import AdministrativeUnit, Agency, UnitLevel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """The public pages keep their data a few minutes; each test starts from none."""
    cache.clear()


MARCH = {"ky": "2026-03"}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def demo(username: str) -> Client:
    return signed_in(get_user_model().objects.get(username=username))


@pytest.fixture
def late_march(received: Any) -> list[Any]:
    """Two Justice dossiers finished late in March 2026, one on time."""
    late = [received(), received()]
    early = received()
    with clock(at(2026, 3, 4, 9, 0)):
        ready(early)
    with clock(at(2026, 3, 12, 9, 0)):
        late = [ready(dossier) for dossier in late]
    return late


@pytest.fixture
def commune_agencies(cao_lanh_desk: Any) -> tuple[Agency, Agency]:
    """The Cao Lãnh ward's agency, and another commune's."""
    other = (
        Agency.objects.filter(unit__level=UnitLevel.COMMUNE, active=True)
        .exclude(pk=cao_lanh_desk.agency_id)
        .order_by("pk")
        .first()
    )
    assert other is not None
    return cao_lanh_desk.agency, other


def procedure_id() -> int:
    return Procedure.objects.get(code="1.000426").pk


# -- who reads what ---------------------------------------------------------------------------


def test_the_inspector_reads_the_province_and_where_its_points_go(late_march):
    page = demo("thanhtra").get("/bao-cao/chi-so/", MARCH)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tháng 03/2026" in html
    assert re.search(r"Số liệu đến ngày \d{2}/\d{2}/\d{4}", html)
    # Every group against the previous period, every indicator with its points.
    for group in ("transparency", "progress", "digitisation", "online", "satisfaction"):
        assert f'data-group="{group}"' in html
    assert 'data-indicator="on_time_rate"' in html
    # Where the points go: the procedure links to its late dossiers.
    link = f"/bao-cao/chi-so/tre-han/?ky=2026-03&amp;pham-vi=procedure&amp;id={procedure_id()}"
    assert link in html
    # The costly agency links to its own dashboard.
    justice = Agency.objects.get(name="Sở Tư pháp")
    assert f'href="?ky=2026-03&amp;pham-vi=agency&amp;id={justice.pk}">Sở Tư pháp</a>' in html


def test_the_late_list_shows_the_late_dossiers_with_links(late_march):
    page = demo("thanhtra").get(
        "/bao-cao/chi-so/tre-han/", {**MARCH, "pham-vi": "procedure", "id": procedure_id()}
    )
    html = page.content.decode()
    assert page.status_code == 200
    for dossier in late_march:
        assert f'href="/ho-so/{dossier.code}/"' in html
    assert "12/03/2026" in html  # finished
    assert "02/03/2026" in html  # received
    # A page number that is no number shows the first page.
    again = demo("thanhtra").get(
        "/bao-cao/chi-so/tre-han/",
        {**MARCH, "pham-vi": "procedure", "id": procedure_id(), "trang": "x"},
    )
    assert again.status_code == 200
    assert late_march[0].code in again.content.decode()


def test_a_commune_leader_reads_their_agency_only(late_march, commune_agencies):
    own, other = commune_agencies
    client = signed_in(leader_of(own))
    page = client.get("/bao-cao/chi-so/", MARCH)
    assert page.status_code == 200
    assert own.name in page.content.decode()
    scope = {"pham-vi": "agency", "id": own.pk}
    assert client.get("/bao-cao/chi-so/", {**MARCH, **scope}).status_code == 200
    # The chooser offers their agency and their unit, nothing else.
    chooser = re.findall(r'<option value="((?:agency|unit|province):\d*)"', page.content.decode())
    assert sorted(chooser) == sorted([f"agency:{own.pk}", f"unit:{own.unit_id}"])
    assert (
        client.get("/bao-cao/chi-so/", {**MARCH, "chon": f"unit:{own.unit_id}"}).status_code == 200
    )
    refused_unit = {"chon": f"unit:{other.unit_id}"}
    assert client.get("/bao-cao/chi-so/", {**MARCH, **refused_unit}).status_code == 404
    for refused in ({"pham-vi": "agency", "id": other.pk}, {"pham-vi": "province"}):
        assert client.get("/bao-cao/chi-so/", {**MARCH, **refused}).status_code == 404
        assert client.get("/bao-cao/chi-so/tre-han/", {**MARCH, **refused}).status_code == 404
    # A procedure's late list is narrowed to what the leader may see: not Justice's dossiers.
    html = client.get(
        "/bao-cao/chi-so/tre-han/", {**MARCH, "pham-vi": "procedure", "id": procedure_id()}
    ).content.decode()
    assert all(dossier.code not in html for dossier in late_march)


def test_who_is_refused(clerk_binh):
    assert signed_in(clerk_binh).get("/bao-cao/chi-so/").status_code == 403
    assert signed_in(clerk_binh).get("/bao-cao/chi-so/tre-han/").status_code == 403
    anonymous = Client().get("/bao-cao/chi-so/")
    assert anonymous.status_code == 302
    assert "/dang-nhap/" in anonymous["Location"]


def test_a_scope_that_does_not_exist_is_404():
    client = demo("thanhtra")
    assert client.get("/bao-cao/chi-so/", {"pham-vi": "agency", "id": 999999}).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ky": "2026-13"}, "không hợp lệ"),
        ({"ky": "<script>"}, "không hợp lệ"),
        ({"loai": "thap-ky"}, "Loại kỳ không hợp lệ"),
        ({"pham-vi": "mat-trang", "id": "1"}, "Phạm vi không hợp lệ"),
        ({"pham-vi": "agency", "id": "abc"}, "Mã phạm vi không hợp lệ"),
        ({"chon": "agency:x"}, "Mã phạm vi không hợp lệ"),
        ({"dinh-dang": "pdf"}, "Định dạng"),
    ],
)
def test_bad_input_is_400_with_the_reason(params, message):
    page = demo("thanhtra").get("/bao-cao/chi-so/", params)
    assert page.status_code == 400
    html = page.content.decode()
    assert message in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]


# -- the public page --------------------------------------------------------------------------


def test_the_public_page_needs_no_sign_in(late_march):
    page = Client().get("/chi-so/", MARCH)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Công khai kết quả đánh giá chất lượng phục vụ theo Quyết định 766/QĐ-TTg" in html
    assert re.search(r"Số liệu đến ngày \d{2}/\d{2}/\d{4}", html)
    unit = re.search(r'href="/chi-so/don-vi/(\d+)/\?ky=2026-03"', html)
    assert unit, "each unit links to its own page"
    own = Client().get(f"/chi-so/don-vi/{unit.group(1)}/", MARCH)
    assert own.status_code == 200
    assert "Số liệu đến ngày" in own.content.decode()
    # Agencies and procedures are not public; nothing on the page reaches them.
    assert "/bao-cao/chi-so/tre-han/" not in html


def test_the_public_page_refuses_what_it_cannot_read():
    assert Client().get("/chi-so/don-vi/999999/").status_code == 404
    assert Client().get("/chi-so/don-vi/99999999999999999999999/").status_code == 404
    province = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).first()
    assert province is not None
    assert Client().get(f"/chi-so/don-vi/{province.pk}/").status_code == 404
    bad = Client().get("/chi-so/", {"ky": "2026-W60"})
    assert bad.status_code == 400
    assert "không hợp lệ" in bad.content.decode()
    assert Client().get("/chi-so/du-lieu.json", {"ky": "x"}).status_code == 400
    assert Client().get("/chi-so/du-lieu.csv", {"ky": "x"}).status_code == 400


def test_the_public_page_is_computed_once_for_many_readers(django_assert_max_num_queries):
    first = Client().get("/chi-so/", MARCH).content.decode()
    with django_assert_max_num_queries(5):
        again = Client().get("/chi-so/", MARCH)
    assert again.status_code == 200
    day = re.search(r"Số liệu đến ngày \d{2}/\d{2}/\d{4}", first)
    assert day and day.group(0) in again.content.decode()
