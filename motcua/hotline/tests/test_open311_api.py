"""Open311 GeoReport v2 through HTTP: every JSON answer checked against the official JSON
Schemas (the copies in ``open311/spec/``), the XML against the same ids."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from motcua.dossiers.tests.fixtures import at, clock
from motcua.dossiers.tokens import create_token
from motcua.hotline import open311
from motcua.hotline.actions import answer_ticket, merge_ticket
from motcua.hotline.models import Ticket
from motcua.hotline.open311.categories import DEMO_CATEGORIES, ensure_demo_categories

SPEC = Path(open311.__file__).parent / "spec"
SCHEMAS = [
    "service.json",
    "services.json",
    "service-definition.json",
    "request.json",
    "requests.json",
]
REGISTRY: Registry = Registry().with_resources(
    (name, Resource.from_contents(json.loads((SPEC / name).read_text()), DRAFT7))
    for name in SCHEMAS
)
# jsonschema checks neither date-time nor uri without optional packages: check them here,
# with the spec's rule that every date-time carries its offset.
FORMATS = FormatChecker()
FORMATS.checks("date-time", raises=ValueError)(
    lambda v: not isinstance(v, str) or dt.datetime.fromisoformat(v).tzinfo is not None
)
FORMATS.checks("uri")(lambda v: not isinstance(v, str) or v.startswith(("http://", "https://")))

BASE = "/open311/v2"
POTHOLE = {
    "service_code": "duong-hu-hong",
    "lat": "10.4597",
    "long": "105.6325",
    "address_string": "Đường Nguyễn Huệ, phường Cao Lãnh",
    "description": "Ổ gà lớn trước số 12, xe máy té ngã.",
    "first_name": "Văn An",
    "last_name": "Nguyễn",
    "email": "an.nguyen@example.vn",
    "phone": "0912 345 678",
    "device_id": "device-1",
}


def valid(schema: str, data: Any) -> Any:
    validator = Draft7Validator(
        json.loads((SPEC / schema).read_text()), registry=REGISTRY, format_checker=FORMATS
    )
    validator.validate(data)
    return data


@pytest.fixture(autouse=True)
def categories(db: Any) -> Any:
    cache.clear()  # rate limits and duplicate guards of earlier tests
    return ensure_demo_categories()


def get(client: Client, path: str, **params: str) -> Any:
    response = client.get(f"{BASE}/{path}", params)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.status_code, response.json()


def post(
    client: Client, fmt: str = "json", headers: dict[str, str] | None = None, **form: str
) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", form, headers=headers or {})


def create(client: Client, **changes: str) -> str:
    response = post(client, **(POTHOLE | changes))
    assert response.status_code == 200, response.content.decode()
    [created] = response.json()
    return str(created["service_request_id"])


def xml(client: Client, path: str, **params: str) -> ET.Element:
    response = client.get(f"{BASE}/{path}", params)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return parse_xml(response.content)


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (the server's own answer, not untrusted input)


def test_demo_categories_are_idempotent(categories: Any) -> None:
    again = ensure_demo_categories()
    assert [c.pk for c in again] == [c.pk for c in categories]
    assert len(again) == len(DEMO_CATEGORIES)
    assert again[0].agency is not None and again[0].agency.name == "Sở Xây dựng"


def test_discovery(client: Client) -> None:
    status, data = get(client, "discovery.json")
    assert status == 200
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client, "discovery.xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.iterfind("endpoints/endpoint/formats/format")] == endpoint[
        "formats"
    ]


def test_services_and_definition(client: Client) -> None:
    status, data = get(client, "services.json")
    assert status == 200
    valid("services.json", data)
    codes = [s["service_code"] for s in data]
    assert codes == [c["code"] for c in DEMO_CATEGORIES]
    assert data[0]["group"] == "Giao thông, hạ tầng" and data[0]["metadata"] is False
    root = xml(client, "services.xml")
    assert [e.text for e in root.iterfind("service/service_code")] == codes
    status, definition = get(client, "services/duong-hu-hong.json")
    assert status == 200
    assert valid("service-definition.json", definition) == {
        "service_code": "duong-hu-hong",
        "attributes": [],
    }
    assert xml(client, "services/duong-hu-hong.xml").findtext("service_code") == "duong-hu-hong"


def test_unknown_service_is_404_in_the_error_format(client: Client) -> None:
    status, data = get(client, "services/khong-co.json")
    assert status == 404
    assert data == [{"code": 404, "description": "Không có loại phản ánh có mã «khong-co»."}]
    root = xml(client, "services/khong-co.xml")
    assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_create_get_list(client: Client, operator_ha: Any) -> None:
    with clock(at(2026, 11, 25, 9, 0)):
        code = create(client)
        ticket = Ticket.objects.get(code=code)
        assert ticket.channel == "open311" and ticket.kind == "feedback"
        assert ticket.category is not None and ticket.category.code == "duong-hu-hong"
        assert ticket.contact.phone == "0912345678" and ticket.contact.name == "Nguyễn Văn An"
        assert ticket.agency is not None and ticket.agency.name == "Sở Xây dựng"

        status, [detail] = get(client, f"requests/{code}.json")
        assert status == 200
        valid("request.json", detail)
        assert detail["status"] == "open"
        assert detail["lat"] == 10.4597 and detail["long"] == 105.6325
        assert detail["requested_datetime"] == "2026-11-25T09:00:00+07:00"
        assert detail["agency_responsible"] == "Sở Xây dựng"
        assert detail["status_notes"] is None

        answer_ticket(ticket=ticket, user=operator_ha, body="Đã vá xong, gọi 0912345678 nếu còn.")
        status, listed = get(client, "requests.json", service_code="duong-hu-hong")
        assert status == 200
        valid("requests.json", listed)
        [item] = [r for r in listed if r["service_request_id"] == code]
        assert item["status"] == "closed"
        assert item["status_notes"] == "Đã vá xong, gọi [đã ẩn] nếu còn."
        assert get(client, "requests.json", status="open")[1] == []
        root = xml(client, "requests.xml", service_request_id=code)
        assert [e.text for e in root.iterfind("request/service_request_id")] == [code]
        status, [tok] = get(client, f"tokens/{code}.json")
        assert tok == {"service_request_id": code, "token": code}


def test_published_requests_hide_contact_details(client: Client) -> None:
    code = create(
        client,
        description="Tôi là Nguyễn Văn An, CCCD 087123456789, gọi 0912345678 hoặc an@x.vn.",
    )
    [detail] = get(client, f"requests/{code}.json")[1]
    assert detail["description"] == "Tôi là [đã ẩn], CCCD [đã ẩn], gọi [đã ẩn] hoặc [đã ẩn]."
    body = json.dumps(get(client, "requests.json")[1], ensure_ascii=False)
    for secret in ("0912345678", "an.nguyen@example.vn", "087123456789"):
        assert secret not in body


def test_published_requests_hide_third_parties_and_grouped_numbers(
    client: Client, operator_ha: Any
) -> None:
    code = create(
        client,
        description=(
            "Ông Nguyễn Văn Tư (SN 1962, CCCD 079.085.001.234) ở ấp 3 đổ xà bần ra đường "
            "Nguyễn Huệ; con ông là anh Tuấn, SĐT 0987 654 321, STK 12345678."
        ),
    )
    answer_ticket(
        ticket=Ticket.objects.get(code=code),
        user=operator_ha,
        body="Đã giao UBND phường Cao Lãnh xử lý ông Nguyễn Văn Tư.",
    )
    [detail] = get(client, f"requests/{code}.json")[1]
    assert detail["description"] == (
        "Ông [đã ẩn] (SN [đã ẩn], CCCD [đã ẩn]) ở ấp 3 đổ xà bần ra đường "
        "Nguyễn Huệ; con ông là anh [đã ẩn], SĐT [đã ẩn], STK [đã ẩn]."
    )
    assert detail["status_notes"] == "Đã giao UBND phường Cao Lãnh xử lý ông [đã ẩn]."
    listed = json.dumps(get(client, "requests.json")[1], ensure_ascii=False)
    root = ET.tostring(xml(client, "requests.xml"), encoding="unicode")
    for secret in ("Văn Tư", "1962", "079.085", "Tuấn", "0987 654", "12345678"):
        assert secret not in listed and secret not in root


def test_merged_request_names_the_ticket_it_went_into(client: Client, operator_ha: Any) -> None:
    first = Ticket.objects.get(code=create(client))
    second = Ticket.objects.get(code=create(client, device_id="device-2"))
    merge_ticket(ticket=second, into=first, user=operator_ha)
    [detail] = get(client, f"requests/{second.code}.json")[1]
    assert detail["status"] == "closed"
    assert detail["status_notes"] == f"Đã gộp vào {first.code}"


def test_media_url_round_trips(client: Client) -> None:
    code = create(client, media_url="https://anh.example.vn/o-ga.jpg")
    [detail] = get(client, f"requests/{code}.json")[1]
    assert detail["media_url"] == "https://anh.example.vn/o-ga.jpg"
    assert detail["description"] == "Ổ gà lớn trước số 12, xe máy té ngã."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"service_code": ""}, "Thiếu mã loại phản ánh (service_code)."),
        ({"service_code": "khong-co"}, "Không có loại phản ánh có mã «khong-co» (service_code)."),
        (
            {"lat": "", "long": "", "address_string": ""},
            "Cần cho biết vị trí: vĩ độ và kinh độ (lat, long), địa chỉ (address_string) "
            "hoặc mã địa chỉ (address_id).",
        ),
        ({"description": "a" * 4001}, "Mô tả (description) dài quá 4.000 ký tự."),
        (
            {"lat": "10,45"},
            "lat phải là số thập phân từ -90 đến 90 (ví dụ 10.4597).",
        ),
        ({"lat": "NaN"}, "lat phải là số thập phân từ -90 đến 90 (ví dụ 10.4597)."),
        ({"long": ""}, "Vị trí cần có cả vĩ độ (lat) và kinh độ (long)."),
        ({"email": "khong-phai-email"}, "Địa chỉ thư điện tử (email) không hợp lệ."),
        ({"media_url": "javascript:alert(1)"}, "Đường dẫn ảnh, video (media_url) không hợp lệ."),
        ({"description": "nul\x00byte"}, "Dữ liệu gửi lên chứa ký tự không hợp lệ."),
    ],
)
def test_bad_input_is_400_and_stores_nothing(
    client: Client, changes: dict[str, str], message: str
) -> None:
    before = Ticket.objects.count()
    response = post(client, **(POTHOLE | changes))
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": message}]
    assert Ticket.objects.count() == before


def test_bad_input_in_xml(client: Client) -> None:
    response = post(client, "xml", **(POTHOLE | {"service_code": ""}))
    assert response.status_code == 400
    root = parse_xml(response.content)
    assert root.findtext("error/description") == "Thiếu mã loại phản ánh (service_code)."


def test_jurisdiction_mismatch_is_404(client: Client, settings: Any) -> None:
    response = post(client, **(POTHOLE | {"jurisdiction_id": "ha-noi.gov.vn"}))
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
    status, _data = get(client, "services.json", jurisdiction_id="ha-noi.gov.vn")
    assert status == 404
    ok = get(client, "services.json", jurisdiction_id=settings.OPEN311_JURISDICTION_ID)
    assert ok[0] == 200


def test_list_filters_are_checked(client: Client) -> None:
    for params in (
        {"status": "pending"},
        {"start_date": "hôm qua"},
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-12-01T00:00:00+07:00"},
        {"start_date": "2026-02-30"},
        {"end_date": "0001-01-01"},
    ):
        status, data = get(client, "requests.json", **params)
        assert status == 400 and data[0]["code"] == 400, params
    # Python accepts offsets PostgreSQL does not (found by schemathesis).
    assert get(client, "requests.json", start_date="2026-11-01T00:00:00+21:48")[0] == 200


def test_script_tag_is_stored_as_text_and_escaped_in_xml(client: Client) -> None:
    code = create(client, description="<script>alert('x')</script> ổ gà")
    assert Ticket.objects.get(code=code).body == "<script>alert('x')</script> ổ gà"
    response = client.get(f"{BASE}/requests/{code}.xml")
    assert b"<script>" not in response.content
    assert b"&lt;script&gt;" in response.content
    root = parse_xml(response.content)
    assert root.findtext("request/description") == "<script>alert('x')</script> ổ gà"


def test_the_same_idempotency_key_makes_one_ticket(client: Client) -> None:
    before = Ticket.objects.count()
    headers = {"Idempotency-Key": "2f1c5b2e-retry"}
    first = post(client, headers=headers, **POTHOLE).json()
    second = post(client, headers=headers, **(POTHOLE | {"device_id": "other"})).json()
    assert first[0]["service_request_id"] == second[0]["service_request_id"]
    assert Ticket.objects.count() == before + 1


def test_the_same_report_from_one_device_within_two_minutes_is_one_ticket(client: Client) -> None:
    with clock(at(2026, 11, 25, 9, 0)):
        first = create(client)
        assert create(client) == first
        assert create(client, description="Một ổ gà khác.") != first


def test_rate_limit_per_address(client: Client, settings: Any) -> None:
    settings.OPEN311_WRITES_PER_HOUR = 2
    codes = [post(client, **(POTHOLE | {"device_id": f"d{i}"})).status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert post(client, **POTHOLE).json()[0]["code"] == 429


def test_api_key_when_required(client: Client, settings: Any, operator_ha: Any) -> None:
    settings.OPEN311_REQUIRE_API_KEY = True
    response = post(client, **POTHOLE)
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    code = create(client, api_key=create_token(operator_ha, name="ứng dụng"))
    assert Ticket.objects.get(code=code).created_by == operator_ha


def test_other_formats_and_methods_get_the_error_format(client: Client) -> None:
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 404 and response.json()[0]["code"] == 404
    response = client.delete(f"{BASE}/requests.json")
    assert response.status_code == 405 and response.json()[0]["code"] == 405
    assert get(client, "requests/1022-000000-0000.json")[0] == 404
    assert get(client, "tokens/khong-co.json")[0] == 404


def test_the_list_costs_one_query_however_long(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for device in ("a", "b", "c"):
        create(client, device_id=device, media_url=f"https://anh.example.vn/{device}.jpg")
    with django_assert_max_num_queries(1):
        status, listed = get(client, "requests.json")
    assert status == 200 and len(listed) >= 3
