"""The dossier page (/ho-so/<code>/) and its actions through HTTP, with and without htmx.

The dossier is 1.000426 (Sở Tư pháp, 5 working days, no fee) received Monday 02/03/2026 08:00
at the provincial centre: due Monday 09/03/2026 08:00.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.core.tests import samples
from motcua.dossiers.actions import (
    forward_dossier,
    return_result,
    submit_online,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import (
    application,
    at,
    clock,
    make_user,
    ready,
    to_deciding_step,
)
from motcua.org.models import Role

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def persona(username: str) -> Client:
    return login(get_user_model().objects.get(username=username))


@pytest.fixture
def dossier(received: Any) -> Dossier:
    return received()


def post(client: Client, dossier: Dossier, action: str, data: dict[str, str], **extra: Any) -> Any:
    prefixed = {f"{action}-{key}": value for key, value in data.items()}
    with clock(at(2026, 3, 3, 9, 0)):
        return client.post(f"/ho-so/{dossier.code}/thao-tac/{action}/", prefixed, **extra)


def test_summary_steps_timeline_documents(clerk_binh, dossier):
    with clock(at(2026, 3, 3, 9, 0)):
        html = login(clerk_binh).get(f"/ho-so/{dossier.code}/").text
    assert "Được tiếp nhận" in html and "mã 2" in html
    assert "1.000426" in html and "Nguyễn Văn An" in html
    assert "09/03/2026 08:00" in html  # due
    assert "Quá trình giải quyết (Mẫu 06)" in html and "Thẩm định hồ sơ" in html
    assert "Tiếp nhận hồ sơ (trực tiếp) tại Trung tâm Phục vụ hành chính công tỉnh" in html
    assert "Tờ khai" in html
    assert "Thủ tục không thu phí, lệ phí." in html
    assert f"/ho-so/{dossier.code}/mau-01/" in html


def test_only_the_actions_the_user_may_take_now(clerk_binh, dossier):
    html = login(clerk_binh).get(f"/ho-so/{dossier.code}/").text
    assert "Chuyển bước tiếp theo" in html and "Rút hồ sơ theo yêu cầu" in html
    assert "Trả kết quả</summary>" not in html  # the result is not ready
    assert "Thu hồi kết quả" not in html  # a leader's, and only once returned


def test_clerk_of_another_agency_gets_404(dossier, police):
    stranger = make_user("canbo_congan", police, Role.SPECIALIST)
    assert login(stranger).get(f"/ho-so/{dossier.code}/").status_code == 404
    assert post(login(stranger), dossier, "forward", {}).status_code == 404


def test_inspector_reads_but_has_no_actions(dossier):
    response = persona("thanhtra").get(f"/ho-so/{dossier.code}/")
    assert response.status_code == 200
    assert "Bạn không có thao tác nào với hồ sơ này" in response.text


def test_forward_without_javascript_redirects_back(clerk_binh, dossier):
    response = post(login(clerk_binh), dossier, "forward", {"note": "Đủ giấy tờ"})
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{dossier.code}/"
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    page = persona("chuyenvien").get(f"/ho-so/{dossier.code}/").text
    assert "Đã chuyển hồ sơ" not in page  # the notice was the clerk's
    assert "sang bước «Thẩm định hồ sơ» tại Sở Tư pháp" in page and "Đủ giấy tờ" in page


def test_forward_with_htmx_rerenders_the_body(clerk_binh, dossier):
    response = post(login(clerk_binh), dossier, "forward", {}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Đã chuyển hồ sơ sang bước tiếp theo." in response.text
    assert "Đang xử lý" in response.text and "mã 4" in response.text


def test_wrong_state_is_a_409_with_the_vietnamese_message(clerk_binh, dossier):
    response = post(login(clerk_binh), dossier, "return_result", {"channel": "desk"}, **HTMX)
    assert response.status_code == 409
    assert 'role="alert"' in response.text
    assert "không thể thực hiện thao tác này" in response.text


def test_someone_elses_action_is_a_403(specialist_chi, clerk_binh, dossier):
    with clock(at(2026, 3, 2, 9, 0)):
        forward_dossier(dossier=dossier, officer=clerk_binh)
    response = post(login(specialist_chi), dossier, "return_result", {"channel": "desk"})
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.text


def test_supplement_needs_items_then_pauses_the_clock(specialist_chi, clerk_binh, dossier):
    with clock(at(2026, 3, 2, 9, 0)):
        forward_dossier(dossier=dossier, officer=clerk_binh)
    client = login(specialist_chi)
    response = post(client, dossier, "request_supplement", {"reason": "Thiếu", "items": ""})
    assert response.status_code == 422
    assert "Cần nhập thông tin này." in response.text
    data = {"reason": "Thiếu giấy xác nhận", "items": "Giấy xác nhận\nBản sao bằng"}
    assert post(client, dossier, "request_supplement", data).status_code == 302
    html = client.get(f"/ho-so/{dossier.code}/").text
    assert "Yêu cầu bổ sung giấy tờ" in html and "mã 5" in html
    assert "Giấy xác nhận; Bản sao bằng" in html


def test_apology_takes_a_new_date_in_dd_mm_yyyy(specialist_chi, clerk_binh, dossier):
    with clock(at(2026, 3, 2, 9, 0)):
        forward_dossier(dossier=dossier, officer=clerk_binh)
    client = login(specialist_chi)
    bad = post(client, dossier, "apologise", {"reason": "Chờ xác minh", "new_due_at": "ngày mai"})
    assert bad.status_code == 422
    assert "ngày/tháng/năm giờ:phút" in bad.text
    data = {"reason": "Chờ xác minh", "new_due_at": "12/03/2026 16:00"}
    assert post(client, dossier, "apologise", data).status_code == 302
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 12, 16, 0)
    assert "Đã xin lỗi, hẹn lại" in client.get(f"/ho-so/{dossier.code}/").text


def test_fees_and_payment_in_vnd(clerk_binh, received):
    dossier = received(code="1.000802")  # 500.000 đồng
    client = login(clerk_binh)
    assert post(client, dossier, "request_payment", {"amount_vnd": ""}).status_code == 302
    data = {"amount_vnd": "500.000", "reference": "BL-0001"}
    assert post(client, dossier, "record_payment", data).status_code == 302
    html = client.get(f"/ho-so/{dossier.code}/").text
    assert "500.000 đồng" in html and "BL-0001" in html
    dossier.refresh_from_db()
    assert dossier.paid_vnd == 500_000 and dossier.status == "received"


def test_unknown_action_is_404(clerk_binh, dossier):
    assert post(login(clerk_binh), dossier, "delete", {}).status_code == 404


def test_online_submission_is_received_from_the_desk_queue(clerk_binh, centre):
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = submit_online(application=application("1.000426", centre, channel="online"))
    client = login(clerk_binh)
    with clock(at(2026, 3, 2, 9, 0)):
        queue = client.get("/ho-so/", {"tab": "hang-cho"}).text
    assert dossier.code in queue and "Chờ tiếp nhận" in queue
    assert "Tiếp nhận hồ sơ nộp trực tuyến" in client.get(f"/ho-so/{dossier.code}/").text
    assert post(client, dossier, "receive", {}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "received" and dossier.received_at == at(2026, 3, 3, 9, 0)


def test_leader_revokes_a_returned_result(clerk_binh, specialist_chi, dossier):
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = ready(dossier)
        return_result(dossier=dossier, officer=clerk_binh)
    leader = persona("lanhdao")
    assert "Thu hồi kết quả" in leader.get(f"/ho-so/{dossier.code}/").text
    assert "Thu hồi kết quả" not in login(clerk_binh).get(f"/ho-so/{dossier.code}/").text
    assert post(leader, dossier, "revoke_result", {"reason": "Sai thông tin"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "revoked"


PDF = samples.PDF


def test_the_electronic_result_is_attached_when_the_result_is_ready(
    clerk_binh, dossier, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    with clock(at(2026, 3, 3, 8, 0)):
        to_deciding_step(dossier)
    client = persona("lanhdao")  # the leader approves at the step that decides
    upload = SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/ho-so/{dossier.code}/thao-tac/mark_result_ready/",
        {
            "mark_result_ready-results": "Thẻ tư vấn viên pháp luật",
            "mark_result_ready-result_file": upload,
        },
    )
    assert response.status_code in {200, 302}
    result = Dossier.objects.get(pk=dossier.pk).results.get()
    assert result.file.name.endswith(".pdf")
    assert result.file.read() == PDF
    # Its fingerprint is in the history: a file swapped on the disk would no longer match.
    event = dossier.events.get(kind="mark_result_ready")
    assert event.data["results"] == [
        {"name": "Thẻ tư vấn viên pháp luật", "sha256": hashlib.sha256(PDF).hexdigest()}
    ]


def test_a_disguised_result_file_is_refused(clerk_binh, dossier, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    with clock(at(2026, 3, 3, 8, 0)):
        to_deciding_step(dossier)
    page = persona("lanhdao").post(
        f"/ho-so/{dossier.code}/thao-tac/mark_result_ready/",
        {
            "mark_result_ready-result_file": SimpleUploadedFile(
                "ket-qua.pdf", b"<html><script>alert(1)</script></html>"
            )
        },
    )
    assert page.status_code == 422
    assert Dossier.objects.get(pk=dossier.pk).status == "in_progress"


def test_at_reception_the_desk_is_offered_only_the_desk_s_steps(clerk_binh, dossier):
    """At step 1 ("Tiếp nhận và chuyển hồ sơ") the receptionist forwards or notes; deciding,
    stopping and asking for a supplement belong to the agency's processing steps."""
    html = login(clerk_binh).get(f"/ho-so/{dossier.code}/").text
    assert "Chuyển bước tiếp theo" in html
    for other in ("Đã có kết quả giải quyết", "Dừng xử lý", "Yêu cầu bổ sung hồ sơ"):
        assert other not in html


def test_the_specialist_is_not_offered_the_leader_s_approval(clerk_binh, specialist_chi, dossier):
    with clock(at(2026, 3, 2, 9, 0)):
        forward_dossier(dossier=dossier, officer=clerk_binh)
    html = login(specialist_chi).get(f"/ho-so/{dossier.code}/").text
    assert "Chuyển bước tiếp theo" in html and "Yêu cầu bổ sung hồ sơ" in html
    assert "Đã có kết quả giải quyết" not in html
    refused = post(login(specialist_chi), dossier, "mark_result_ready", {})
    assert refused.status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).status == "in_progress"
