"""The texts: code, procedure, due moment as dd/mm/yyyy HH:MM in Vietnam's time, the public
lookup link; supplement items; an apology's new appointment."""

from __future__ import annotations

import pytest

from motcua.dossiers.actions import apologise, forward_dossier, request_supplement
from motcua.dossiers.lookup import lookup_url
from motcua.dossiers.notices import local_time, notify_applicant, render
from motcua.dossiers.tests.conftest import at, clock, holder, ready
from motcua.notifications.messages import unaccent

pytestmark = pytest.mark.django_db


def test_due_moments_are_shown_in_vietnam_time():
    assert local_time(at(2026, 3, 9, 8, 0)) == "09/03/2026 08:00"
    assert local_time(None) == "chưa xác định"


def test_sms_are_written_without_diacritics():
    assert unaccent("Đã tiếp nhận hồ sơ ĐỒNG THÁP") == "Da tiep nhan ho so DONG THAP"


def test_receipt_names_the_code_procedure_due_moment_and_lookup_link(received):
    dossier = received()
    message = render(dossier, kind="receipt", channel="email")

    assert dossier.code in message.subject
    assert f"Mã hồ sơ: {dossier.code}" in message.body
    assert f"Thủ tục: {' '.join(dossier.procedure.name.split())}" in message.body
    assert "Thời gian hẹn trả kết quả: 09/03/2026 08:00" in message.body
    assert lookup_url(dossier.code) in message.body


def test_supplement_request_lists_the_items_asked_for(received, clerk_binh, sms_gateway):
    dossier = received()
    with clock(at(2026, 3, 3, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
        dossier = request_supplement(
            dossier=dossier,
            officer=holder(dossier),
            reason="Thiếu giấy tờ",
            items=["Bản sao Căn cước", "Giấy ủy quyền có chứng thực"],
        )
        email, sms = notify_applicant(dossier=dossier, kind="supplement_request")

    assert email.event_seq == dossier.event_seq == 3  # received, forwarded, supplement asked
    assert "Lý do: Thiếu giấy tờ" in email.body
    assert "- Bản sao Căn cước\n- Giấy ủy quyền có chứng thực" in email.body
    assert "can bo sung: Ban sao Can cuoc; Giay uy quyen co chung thuc" in sms.body


def test_result_ready_says_where_to_collect(received, clerk_binh):
    with clock(at(2026, 3, 5, 15, 30)):
        dossier = ready(received())
        [email] = notify_applicant(dossier=dossier, kind="result_ready")

    assert email.subject == f"Hồ sơ {dossier.code} đã có kết quả"
    assert f"Mời Ông/Bà đến {dossier.desk.name}" in email.body


def test_apology_gives_the_new_appointment(received, clerk_binh, sms_gateway):
    with clock(at(2026, 3, 9, 10, 0)):
        dossier = forward_dossier(dossier=received(), officer=clerk_binh)
        dossier = apologise(
            dossier=dossier,
            officer=holder(dossier),
            reason="Cần xác minh thêm",
            new_due_at=at(2026, 3, 12, 16, 0),
        )
        email, sms = notify_applicant(dossier=dossier, kind="apology")

    assert "chưa được giải quyết đúng thời hạn đã hẹn (09/03/2026 08:00)" in email.body
    assert "Thời gian hẹn trả kết quả mới: 12/03/2026 16:00" in email.body
    assert "Hen tra moi: 12/03/2026 16:00" in sms.body
