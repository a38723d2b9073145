"""The procedure page (/thu-tuc/<code>/): fees, time and expected date per channel."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.catalog.models import Fee, Procedure
from motcua.dossiers.tests.fixtures import at, clock

pytestmark = pytest.mark.django_db


def test_fees_time_expected_date_and_where_to_apply():
    procedure = Procedure.objects.get(code="1.000426")
    Fee.objects.create(
        method=procedure.methods.get(channel="online"), name="Lệ phí cấp thẻ", amount_vnd=1200000
    )
    with clock(at(2026, 3, 2, 8, 0)):  # Monday
        html = Client().get("/thu-tuc/1.000426/").text
    assert "Cấp thẻ tư vấn viên pháp luật" in html
    assert "Lệ phí cấp thẻ: <strong>1.200.000 đồng</strong>" in html
    assert "5 ngày làm việc" in html
    assert "09/03/2026" in html  # 5 working days from Monday 02/03/2026 08:00
    assert "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp" in html
    assert "Công dân Việt Nam" in html  # who may apply
    assert "Mẫu TP-TVPL-05-sđ.doc" in html  # template file name
    assert 'href="/thu-tuc/1.000426/nop/"' in html and "Nộp trực tuyến" in html


def test_commune_procedure_is_decided_where_submitted():
    html = Client().get("/thu-tuc/1.001193/").text
    assert "Ủy ban nhân dân xã, phường nơi bạn nộp hồ sơ" in html
    assert "Giấy khai sinh" in html


def test_unknown_procedure_is_404():
    assert Client().get("/thu-tuc/9.999999/").status_code == 404


def test_procedure_without_online_service_has_no_apply_button():
    procedure = Procedure.objects.filter(online_mode="none", active=True).first()
    assert procedure is not None
    html = Client().get(f"/thu-tuc/{procedure.code}/").text
    assert "/nop/" not in html
    assert Client().get(f"/thu-tuc/{procedure.code}/nop/").status_code in (302, 404)
