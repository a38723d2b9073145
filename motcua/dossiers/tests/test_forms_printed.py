"""Printed forms 01–07 (Circular 03/2025/TT-VPCP, Appendix I), through HTTP as a clerk sees them.

The dossier is 1.000426 (Department of Justice, 5 working days) received Monday 02/03/2026
08:00 at the provincial centre by ``clerk_binh``: due Monday 09/03/2026 08:00.
"""

from __future__ import annotations

import io
import re
import zlib

import pytest
from django.test import Client
from django.urls import include, path
from openpyxl import load_workbook

from config import urls as project_urls
from motcua.dossiers.actions import (
    apologise,
    forward_dossier,
    mark_result_ready,
    refuse_at_desk,
    request_supplement,
    return_result,
    stop_processing,
)
from motcua.dossiers.lookup import lookup_url
from motcua.dossiers.printed.contexts import handovers
from motcua.dossiers.printed.pdf import file_fonts, is_shipped_font
from motcua.dossiers.tests.conftest import application, at, clock, leader_of, make_user
from motcua.org.models import Role

# The project's addresses, with the forms' included (before the back office's "<code>/",
# which would take "so-theo-doi/") if config/urls.py does not have them yet.
urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "dossier_forms" for p in urlpatterns):
    urlpatterns.insert(0, path("ho-so/", include("motcua.dossiers.printed.urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

FONT = b"Noto-Serif"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inflated(pdf: bytes) -> bytes:
    """The PDF's streams inflated (pypdf is not a dependency): the object streams hold the
    font dictionaries, the ToUnicode maps say which characters the text holds."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            out.append(stream)
    return b"\n".join(out)


def embeds_font(pdf: bytes) -> bool:
    return FONT in inflated(pdf)


def pdf_chars(pdf: bytes) -> set[str]:
    """The characters the PDF's text is made of, read from its ToUnicode maps."""
    chars: set[str] = set()
    for cmap in inflated(pdf).split(b"begincmap")[1:]:
        for _glyph, text in re.findall(rb"<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>", cmap):
            chars.update(bytes.fromhex(text.decode()).decode("utf-16-be"))
    return chars


def has_chars(pdf: bytes, text: str) -> bool:
    return set(text) <= pdf_chars(pdf)


@pytest.fixture
def dossier(received):
    return received()


@pytest.fixture
def clerk(clerk_binh):
    return client_for(clerk_binh)


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response.content.decode()


def test_form_01_receipt_and_appointment(clerk, dossier):
    html = page(clerk, f"/ho-so/{dossier.code}/mau-01/")
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
    assert dossier.code in html
    assert "Nguyễn Văn An" in html
    assert "08 giờ 00 phút, ngày 02/03/2026" in html
    assert "08 giờ 00 phút, ngày 09/03/2026" in html  # 5 working days
    assert "Tờ khai" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Độc lập - Tự do - Hạnh phúc" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp" in html
    assert "Đồng Tháp, ngày 02 tháng 3 năm 2026" in html
    assert lookup_url(dossier.code) in html
    assert "<svg" in html


def test_forms_stay_vietnamese_for_a_clerk_who_chose_english(clerk, dossier):
    html = page(clerk, f"/ho-so/{dossier.code}/mau-01/?lang=en")
    assert "5 ngày làm việc" in html
    assert "Nhận tại bộ phận một cửa" in html


def test_form_01_pdf_embeds_the_font_and_keeps_diacritics(clerk, dossier):
    response = clerk.get(f"/ho-so/{dossier.code}/mau-01.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert embeds_font(pdf)
    assert has_chars(pdf, "ỘÒÃỦĨỆộậựạúđ")


def test_form_02_supplement_request(clerk, clerk_binh, specialist_chi, dossier):
    with clock(at(2026, 3, 3, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
        request_supplement(
            dossier=dossier,
            officer=specialist_chi,
            reason="Tờ khai chưa có chữ ký",
            items=["Bản sao giấy khai sinh có chứng thực"],
        )
    html = page(clerk, f"/ho-so/{dossier.code}/mau-02/")
    for text in (dossier.code, "Nguyễn Văn An", "Bản sao giấy khai sinh có chứng thực"):
        assert text in html
    assert "Tờ khai chưa có chữ ký" in html
    assert "09/03/2026" in html  # the appointment the request interrupted
    assert lookup_url(dossier.code) in html
    assert clerk.get(f"/ho-so/{dossier.code}/mau-02.pdf").content.startswith(b"%PDF")


def test_form_03_refusal_at_the_desk(clerk, clerk_binh, centre):
    with clock(at(2026, 3, 2, 9, 0)):
        refused = refuse_at_desk(
            application=application("1.000426", centre, name="Lê Thị Hồng"),
            officer=clerk_binh,
            reason="Thủ tục không thuộc thẩm quyền giải quyết",
        )
    html = page(clerk, f"/ho-so/{refused.code}/mau-03/")
    for text in (refused.code, "Lê Thị Hồng", "Thủ tục không thuộc thẩm quyền giải quyết"):
        assert text in html
    assert "02/03/2026" in html
    assert lookup_url(refused.code) in html
    pdf = clerk.get(f"/ho-so/{refused.code}/mau-03.pdf").content
    assert pdf.startswith(b"%PDF") and has_chars(pdf, "ẩềờ")


def test_form_04_apology_and_new_date(clerk, clerk_binh, specialist_chi, dossier):
    with clock(at(2026, 3, 6, 10, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
        apologise(
            dossier=dossier,
            officer=specialist_chi,
            reason="Cần xác minh thêm",
            new_due_at=at(2026, 3, 13, 16, 0),
        )
    html = page(clerk, f"/ho-so/{dossier.code}/mau-04/")
    for text in (dossier.code, "Nguyễn Văn An", "Cần xác minh thêm", "Sở Tư pháp"):
        assert text in html
    assert "08 giờ 00 phút, ngày 09/03/2026" in html
    assert "16 giờ 00 phút, ngày 13/03/2026" in html
    assert lookup_url(dossier.code) in html


def test_form_05_stop(clerk, clerk_binh, specialist_chi, dossier):
    with clock(at(2026, 3, 4, 10, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
        stop_processing(dossier=dossier, officer=specialist_chi, reason="Người yêu cầu đã qua đời")
    html = page(clerk, f"/ho-so/{dossier.code}/mau-05/")
    for text in (dossier.code, "Nguyễn Văn An", "Người yêu cầu đã qua đời", "09/03/2026"):
        assert text in html
    assert lookup_url(dossier.code) in html


def test_form_06_control_sheet_lists_every_hand_over(clerk, clerk_binh, specialist_chi, dossier):
    with clock(at(2026, 3, 2, 10, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 4, 15, 0)):
        dossier = forward_dossier(dossier=dossier, officer=specialist_chi)
        dossier = mark_result_ready(dossier=dossier, officer=leader_of(dossier.competent_agency))
    with clock(at(2026, 3, 5, 9, 0)):
        dossier = return_result(dossier=dossier, officer=clerk_binh)
    html = page(clerk, f"/ho-so/{dossier.code}/mau-06/")
    for text in (dossier.code, "Nguyễn Văn An", "09/03/2026", "Sở Tư pháp"):
        assert text in html
    # Who acted at each step: the specialist appraised, the leader approved, and the desk
    # that handed the result back is named on the return, not the department.
    rows = handovers(dossier)
    assert [row["giver"]["person"] for row in rows] == [
        "Nguyễn Thị Bình",
        "Trần Văn Chí",
        "Lê Minh Dũng",
        "Nguyễn Thị Bình",
    ]
    assert rows[-1]["giver"]["agency"] == "Trung tâm Phục vụ hành chính công tỉnh"
    assert "10 giờ 00 phút, ngày 02/03/2026" in html  # desk → department
    assert "09 giờ 00 phút, ngày 05/03/2026" in html  # returned to the applicant
    assert "Trước hạn" in html
    assert lookup_url(dossier.code) in html
    pdf = clerk.get(f"/ho-so/{dossier.code}/mau-06.pdf").content
    assert pdf.startswith(b"%PDF") and embeds_font(pdf)


@pytest.mark.parametrize("number", ["02", "03", "04", "05"])
def test_a_form_that_does_not_apply_is_404_in_vietnamese(clerk, dossier, number):
    for suffix in ("/", ".pdf"):
        html = page(clerk, f"/ho-so/{dossier.code}/mau-{number}{suffix}", status=404)
        assert dossier.code in html and "Hồ sơ" in html


def test_someone_elses_dossier_is_404(dossier, police):
    stranger = client_for(make_user("cong_an", police, Role.SPECIALIST))
    for url in (f"/ho-so/{dossier.code}/mau-01/", f"/ho-so/{dossier.code}/mau-01.pdf"):
        assert stranger.get(url).status_code == 404
    assert stranger.get("/ho-so/KHONG-CO/mau-01/").status_code == 404
    assert Client().get(f"/ho-so/{dossier.code}/mau-01/").status_code == 302  # to sign in


def test_the_specialist_of_the_department_sees_the_forms(specialist_chi, dossier):
    assert client_for(specialist_chi).get(f"/ho-so/{dossier.code}/mau-06/").status_code == 200


def test_pdf_is_503_when_weasyprint_cannot_load(clerk, dossier, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    html = page(clerk, f"/ho-so/{dossier.code}/mau-01.pdf", status=503)
    assert "WeasyPrint" in html
    assert clerk.get(f"/ho-so/{dossier.code}/mau-01/").status_code == 200


def register_url(centre, **params) -> str:
    query = {"desk": centre.pk, "tu": "01/03/2026", "den": "31/03/2026", **params}
    return "/ho-so/so-theo-doi/?" + "&".join(f"{k}={v}" for k, v in query.items())


@pytest.fixture
def month(received, clerk_binh, centre):
    """Two dossiers received in March (one forwarded), one refused, one in April."""
    first = received()
    with clock(at(2026, 3, 2, 10, 0)):
        forward_dossier(dossier=first, officer=clerk_binh)
    second = received(when=at(2026, 3, 20, 14, 30), name="Trần Thị Mai")
    with clock(at(2026, 3, 25, 9, 0)):
        refused = refuse_at_desk(
            application=application("1.000426", centre, name="Phạm Văn Tâm"),
            officer=clerk_binh,
            reason="Sai thủ tục",
        )
    april = received(when=at(2026, 4, 1, 8, 0), name="Hồ Văn Tư")
    return first, second, refused, april


def test_form_07_register_html(clerk, centre, month, django_assert_max_num_queries):
    first, second, refused, april = month
    with django_assert_max_num_queries(6):  # session, user, memberships, desk, rows
        html = page(clerk, register_url(centre))
    assert "Sổ theo dõi hồ sơ" in html
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in html
    for dossier in (first, second, refused):
        assert dossier.code in html
    assert april.code not in html
    assert "10:00<br>" in html  # sent to the department
    assert "Từ chối tiếp nhận" in html
    assert html.index(first.code) < html.index(second.code) < html.index(refused.code)


def test_form_07_register_xlsx(clerk, centre, month):
    first, second, refused, _april = month
    response = clerk.get(register_url(centre, **{"dinh-dang": "xlsx"}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert [row[1] for row in rows] == [first.code, second.code, refused.code]
    assert rows[0][4] == "Nguyễn Văn An"
    assert rows[0][7].strftime("%d/%m/%Y %H:%M") == "02/03/2026 08:00"
    assert rows[0][9].strftime("%H:%M") == "10:00"


def test_form_07_register_pdf(clerk, centre, month):
    response = clerk.get(register_url(centre, **{"dinh-dang": "pdf"}))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF") and embeds_font(response.content)
    assert has_chars(response.content, "ỔÕỒƠễăầạ")  # SỔ THEO DÕI HỒ SƠ, the names


@pytest.mark.parametrize(
    "params",
    [
        {"tu": "31/02/2026"},
        {"tu": "2026-03-01"},
        {"den": "abc"},
        {"tu": "10/03/2026", "den": "01/03/2026"},
        {"tu": "01/01/2024", "den": "31/12/2026"},
        {"desk": "abc"},
        {"dinh-dang": "docx"},
    ],
)
def test_form_07_bad_query_is_400_in_vietnamese(clerk, centre, params):
    html = page(clerk, register_url(centre, **params), status=400)
    assert "không hợp lệ" in html or "phải" in html or "tối đa" in html or "không hỗ trợ" in html


def test_form_07_of_another_desk_is_404(specialist_chi, centre):
    page(client_for(specialist_chi), register_url(centre), status=404)


def test_the_browser_gets_the_same_font_the_pdf_embeds(clerk, dossier):
    html = page(clerk, f"/ho-so/{dossier.code}/mau-01/")
    assert "/ho-so/mau/phong-chu/NotoSerif-Regular.ttf" in html
    response = clerk.get("/ho-so/mau/phong-chu/NotoSerif-Regular.ttf")
    assert response.status_code == 200 and response["Content-Type"] == "font/ttf"
    assert clerk.get("/ho-so/mau/phong-chu/..%2Fpdf.py").status_code == 404


def test_the_pdf_renderer_loads_only_the_shipped_fonts():
    assert is_shipped_font(file_fonts()["bold"])
    assert not is_shipped_font("file:///etc/passwd")
    assert not is_shipped_font(file_fonts()["bold"].replace("NotoSerif-Bold.ttf", "../pdf.py"))
    assert not is_shipped_font("http://127.0.0.1:8000/ho-so/mau/phong-chu/NotoSerif-Bold.ttf")
