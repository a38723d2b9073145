"""The public procedure API (docs/rules/api.md "Endpoints")."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_list_is_paged_with_total(api):
    body = api.get("/api/v1/procedures", {"limit": 5}).json()
    assert body["total"] > 1000
    assert len(body["items"]) == 5
    assert set(body["items"][0]) >= {"code", "name", "level", "sector", "online_mode"}


def test_search_ignores_diacritics_and_case(api):
    accented = api.get("/api/v1/procedures", {"q": "đăng ký khai sinh", "limit": 100}).json()
    plain = api.get("/api/v1/procedures", {"q": "DANG KY KHAI SINH", "limit": 100}).json()
    codes = {item["code"] for item in accented["items"]}
    assert "1.001193" in codes
    assert codes == {item["code"] for item in plain["items"]}


def test_search_matches_sector_name(api):
    body = api.get("/api/v1/procedures", {"q": "ho tich", "level": "commune"}).json()
    assert body["total"] > 10


def test_level_filter(api):
    commune = api.get("/api/v1/procedures", {"level": "commune", "limit": 100}).json()
    assert all("commune" in item["levels"] for item in commune["items"])


def test_unknown_level_matches_nothing(api):
    assert api.get("/api/v1/procedures", {"level": "galaxy"}).json()["total"] == 0


def test_bad_pagination_is_400(api):
    response = api.get("/api/v1/procedures", {"limit": 1000})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_pagination"


def test_non_numeric_limit_is_400_not_500(api):
    response = api.get("/api/v1/procedures", {"limit": "abc"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_detail_due_at_skips_the_national_day_holidays(api):
    # 5 working days from Friday 29/08/2025 16:00; Monday 1/9 and Tuesday 2/9 are holidays:
    # 1 h Friday, 8 h each Wed 3, Thu 4, Fri 5, Mon 8, then 7 h on Tuesday 9/9 → 16:00.
    response = api.get("/api/v1/procedures/1.003583", {"received_at": "2025-08-29T16:00:00+07:00"})
    assert response.status_code == 200
    direct = next(m for m in response.json()["methods"] if m["channel"] == "direct")
    assert direct["processing_time"] == {"value": 5, "unit": "working_day"}
    assert direct["due_at"] == "2025-09-09T16:00:00+07:00"


def test_detail_due_at_skips_tet_2026(api):
    # Tết 2026 closes Monday 16/02 to Friday 20/02. From Friday 13/02 16:00: 1 h that day,
    # 8 h each Mon 23, Tue 24, Wed 25, Thu 26 (33 h), then 7 h on Friday 27/02 → 16:00.
    response = api.get("/api/v1/procedures/1.003583", {"received_at": "2026-02-13T16:00:00+07:00"})
    direct = next(m for m in response.json()["methods"] if m["channel"] == "direct")
    assert direct["due_at"] == "2026-02-27T16:00:00+07:00"


def test_detail_reads_naive_received_at_as_local_time(api):
    response = api.get("/api/v1/procedures/1.003583", {"received_at": "2025-08-29T16:00:00"})
    direct = next(m for m in response.json()["methods"] if m["channel"] == "direct")
    assert direct["due_at"] == "2025-09-09T16:00:00+07:00"


def test_detail_carries_documents_and_results(api):
    body = api.get("/api/v1/procedures/1.001193").json()
    assert body["name"] == "Thủ tục đăng ký khai sinh"
    assert body["documents"]
    assert body["results"]
    assert {m["channel"] for m in body["methods"]} == {"direct", "online", "postal"}


def test_unknown_code_is_404_in_vietnamese(api):
    response = api.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "procedure_not_found"
    assert "Không tìm thấy thủ tục" in error["message"]


@pytest.mark.parametrize("bad", ["yesterday", "2025-13-45T10:00", "2025-02-30"])
def test_malformed_received_at_is_400(api, bad):
    response = api.get("/api/v1/procedures/1.003583", {"received_at": bad})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_datetime"


def test_openapi_document_is_published(api):
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/procedures/{code}" in schema["paths"]
    assert "/api/v1/desks" in schema["paths"]


def test_list_query_count_does_not_grow_with_page_size(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        api.get("/api/v1/procedures", {"limit": 100})


def test_errors_speak_english_on_request(api):
    response = api.get("/api/v1/procedures/9.999999", {"lang": "en"})
    assert response.json()["error"]["message"] == "No procedure found with code 9.999999."
