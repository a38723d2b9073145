"""``GET /api/v1/desks``: where a citizen can apply."""

from __future__ import annotations

import pytest

from motcua.org.models import Desk, DeskKind

pytestmark = pytest.mark.django_db


def test_lists_the_demo_desks_with_their_procedure_counts(api):
    items = api.get("/api/v1/desks").json()["items"]
    kinds = {item["kind"] for item in items}
    assert {"centre", "commune", "post_office"} <= kinds
    centre = next(item for item in items if item["kind"] == "centre")
    assert centre["procedures_count"] > 1000


def test_filter_by_procedure_keeps_full_counts(api):
    all_items = {i["id"]: i for i in api.get("/api/v1/desks").json()["items"]}
    items = api.get("/api/v1/desks", {"procedure": "1.001193"}).json()["items"]
    assert items
    for item in items:
        assert item["procedures_count"] == all_items[item["id"]]["procedures_count"]


def test_post_office_takes_only_chosen_procedures(api):
    post = Desk.objects.get(kind=DeskKind.POST_OFFICE)
    items = api.get("/api/v1/desks", {"procedure": "1.003583"}).json()["items"]
    assert post.pk not in {item["id"] for item in items}


def test_filter_by_unit_takes_desks_below_it(api):
    commune_desk = Desk.objects.filter(kind=DeskKind.COMMUNE).select_related("unit").first()
    assert commune_desk is not None
    by_commune = api.get("/api/v1/desks", {"unit": commune_desk.unit.code}).json()["items"]
    assert [item["id"] for item in by_commune] == [commune_desk.pk]
    by_province = api.get("/api/v1/desks", {"unit": commune_desk.unit.parent.code}).json()
    assert commune_desk.pk in {item["id"] for item in by_province["items"]}


def test_query_count_is_constant(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        api.get("/api/v1/desks")
