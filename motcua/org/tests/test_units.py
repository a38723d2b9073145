"""Administrative units in both structures and the mapping between them."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.org.models import AdministrativeUnit, UnitSuccession
from motcua.org.units import load_units

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


def unit(name: str, day: dt.date, province: str) -> AdministrativeUnit:
    units = AdministrativeUnit.objects.valid_on(day).filter(name=name)
    return next(u for u in units if _province_code(u) == province)


def _province_code(u: AdministrativeUnit) -> str:
    while u.parent_id:
        u = u.parent
    return u.code


def test_old_cao_lanh_wards_went_into_the_new_phuong_cao_lanh():
    new = unit("Phường Cao Lãnh", AFTER, "82")
    old = {s.predecessor.name for s in new.predecessions.select_related("predecessor")}
    assert {"Phường 1", "Phường Hòa Thuận", "Xã Tân Thuận Đông"} <= old


def test_both_old_provinces_merged_into_the_new_dong_thap():
    new = AdministrativeUnit.objects.valid_on(AFTER).get(code="82", level="province")
    merged = set(
        UnitSuccession.objects.filter(successor=new).values_list("predecessor__name", flat=True)
    )
    assert merged == {"Tỉnh Đồng Tháp", "Tỉnh Tiền Giang"}


def test_old_structure_has_districts_and_ends_on_30_june_2025():
    old_province = AdministrativeUnit.objects.valid_on(BEFORE).get(code="87", level="province")
    assert old_province.valid_to == BEFORE
    assert old_province.children.filter(level="district").count() > 10
    assert not AdministrativeUnit.objects.valid_on(AFTER).filter(code="87").exists()


def test_a_code_reused_by_the_new_structure_is_two_units():
    # 82 was Tiền Giang until 30/06/2025 and is the merged Đồng Tháp since.
    assert AdministrativeUnit.objects.filter(code="82").count() == 2


def test_loading_again_changes_nothing():
    units = AdministrativeUnit.objects.count()
    links = UnitSuccession.objects.count()
    result = load_units(["82"])
    assert (result.units_created, result.units_updated, result.successions_created) == (0, 0, 0)
    assert AdministrativeUnit.objects.count() == units
    assert UnitSuccession.objects.count() == links


def test_a_neighbouring_province_can_be_added():
    result = load_units(["86"])  # Vĩnh Long since 2025
    assert result.units_created > 100
    assert AdministrativeUnit.objects.valid_on(BEFORE).filter(name="Tỉnh Bến Tre").exists()
