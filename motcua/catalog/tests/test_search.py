"""Procedure search as citizens type (docs/decisions/search.md), through the API and the shared
query."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import pytest

from motcua.catalog.importer import import_records
from motcua.catalog.models import Procedure
from motcua.catalog.queries import search_procedures

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh


def codes(api, q: str, **params: object) -> list[str]:
    body = api.get("/api/v1/procedures", {"q": q, **params}).json()
    return [item["code"] for item in body["items"]]


def test_plain_question_puts_the_common_procedure_before_its_variants(api):
    found = codes(api, "đăng ký khai sinh")
    assert found[0] == BIRTH
    # foreign element, mobile, re-registration: all listed, all after the plain one
    assert {"2.000528", "1.003583", "1.004884"} <= set(found[1:])


def test_asking_for_the_variant_finds_the_variant(api):
    assert codes(api, "khai sinh có yếu tố nước ngoài")[0] == "2.000528"
    assert codes(api, "đăng ký lại khai sinh")[0] == "1.004884"


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("lam giay khai sinh cho con", BIRTH),
        ("dang ky ket hon", "1.000894"),
        ("khai sinhh", BIRTH),
        ("kết hônn", "1.000894"),
        ("đăng ký tạm chú", "1.004194"),  # ch/tr, as many northerners type it
        ("đăng kí kết hôn", "1.000894"),
    ],
)
def test_without_diacritics_or_with_small_typos(api, q, code):
    assert codes(api, q)[0] == code


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("cấp lại sổ đỏ bị mất", "1.012786"),  # Giấy chứng nhận quyền sử dụng đất
        ("sao y bản chính", "2.000815"),  # chứng thực bản sao
        ("nhập hộ khẩu", "1.004222"),  # đăng ký thường trú
        ("báo tử", "1.000656"),  # đăng ký khai tử
        ("làm căn cước", "1.014061"),
        ("bằng lái xe", "3.000348"),
        ("đăng ký kinh doanh hộ cá thể", "1.001612"),
    ],
)
def test_colloquial_words_find_the_procedure(api, q, code):
    assert code in codes(api, q)[:3]


def test_a_procedure_code_finds_that_procedure(api):
    assert codes(api, "1.001193")[0] == BIRTH


def test_words_the_catalogue_never_uses_find_nothing(api):
    assert api.get("/api/v1/procedures", {"q": "qwzx vbnm"}).json() == {"total": 0, "items": []}


def test_a_huge_query_is_cut_short_not_refused(api):
    response = api.get("/api/v1/procedures", {"q": "khaisinhh" * 2000})
    assert response.status_code == 200


def test_filters_still_apply_to_a_search(api):
    province = api.get("/api/v1/procedures", {"q": "cấp lại", "level": "province"}).json()
    assert province["total"] > 0
    assert all("province" in item["levels"] for item in province["items"])
    civil = codes(api, "đăng ký", sector="Hộ tịch", limit=100)
    assert BIRTH in civil
    assert set(civil) <= set(
        Procedure.objects.filter(sector__name="Hộ tịch").values_list("code", flat=True)
    )


def test_results_are_scored_best_first_and_paged(api):
    first = api.get("/api/v1/procedures", {"q": "chứng thực", "limit": 5}).json()
    second = api.get("/api/v1/procedures", {"q": "chứng thực", "limit": 5, "offset": 5}).json()
    scores = [item["score"] for item in first["items"] + second["items"]]
    assert scores == sorted(scores, reverse=True)
    assert first["total"] == second["total"] > 10
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}


def test_a_list_without_query_has_no_score(api):
    item = api.get("/api/v1/procedures", {"limit": 1}).json()["items"][0]
    assert "score" not in item


def test_a_warm_search_costs_four_queries(api, django_assert_max_num_queries):
    api.get("/api/v1/procedures", {"q": "khai sinh"})
    with django_assert_max_num_queries(4):  # catalogue fingerprint (2), count, page
        api.get("/api/v1/procedures", {"q": "đăng ký kết hôn"})


def _shipped_record() -> dict:
    data = resources.files("motcua.catalog.data").joinpath(
        "dvcqg-2026-07-province-commune.jsonl.gz"
    )
    return json.loads(gzip.decompress(data.read_bytes()).decode().splitlines()[0])


def _found(q: str) -> list[str]:
    return [p.code for p in search_procedures(q=q)]


def test_the_index_follows_imports_and_edits():
    assert "9.900001" not in _found("nuôi chim yến")
    record = {**_shipped_record(), "ma_thu_tuc": "9.900001"}
    import_records([{**record, "ten_thu_tuc": "Cấp phép nuôi chim yến trong nhà"}])
    assert _found("nuoi chim yen")[0] == "9.900001"

    import_records([{**record, "ten_thu_tuc": "Cấp phép nuôi ong mật"}])
    assert "9.900001" not in _found("chim yến")
    assert _found("nuôi ong")[0] == "9.900001"

    procedure = Procedure.objects.get(code="9.900001")
    procedure.active = False
    procedure.save()
    assert "9.900001" not in _found("nuôi ong")


@pytest.mark.parametrize("q", ["gplx bị mất", "đổi gplx", "mst doanh nghiệp", "công ty tnhh"])
def test_abbreviations_next_to_other_words_are_searched(api, q):
    # A colloquial abbreviation stands for several words; it once broke the sound-alike step.
    assert api.get("/api/v1/procedures", {"q": q}).status_code == 200
