"""The upload check (motcua/core/uploads.py): real PDFs and images pass; what only looks like
one, or would act when opened, is refused with a Vietnamese message."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from motcua.core import uploads
from motcua.core.tests import samples


def refusal(content: bytes, name: str = "giay-to.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        uploads.check(ContentFile(content, name=name))
    return refused.value


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    return writer


@pytest.mark.parametrize(
    ("content", "kind"),
    [(samples.PDF, uploads.PDF), (samples.PNG, uploads.PNG), (samples.JPEG, uploads.JPEG)],
    ids=["pdf", "png", "jpeg"],
)
def test_real_files_pass_and_are_known_by_content(content, kind):
    assert uploads.check(ContentFile(content, name="anh.jpg")) is kind


def test_a_pdf_made_by_weasyprint_passes():
    weasyprint = pytest.importorskip("weasyprint")
    try:
        content = weasyprint.HTML(string="<p>Tờ khai đăng ký khai sinh</p>").write_pdf()
    except OSError:
        pytest.skip("WeasyPrint needs Pango")
    assert uploads.check(ContentFile(content, name="to-khai.pdf")) is uploads.PDF


def test_a_pdf_header_followed_by_html_is_refused():
    assert refusal(samples.PDF_HEADED_HTML).code == "pdf_markup"


def test_a_pdf_header_without_a_document_is_refused():
    fake = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    error = refusal(fake)
    assert error.code == "pdf_invalid"
    assert "không phải là tài liệu PDF đọc được" in error.messages[0]


def test_a_real_pdf_carrying_a_web_page_is_refused():
    polyglot = samples.PDF.replace(b"\n", b"\n<html><script>alert(1)</script></html>\n", 1)
    assert refusal(polyglot).code == "pdf_markup"


def test_a_cut_off_pdf_is_refused():
    assert refusal(samples.PDF[: len(samples.PDF) // 2]).code == "damaged"


def test_an_encrypted_pdf_is_refused():
    writer = blank()
    writer.encrypt("mat-khau")
    error = refusal(written(writer))
    assert error.code == "pdf_encrypted" and "mật khẩu" in error.messages[0]


def test_javascript_is_refused():
    writer = blank()
    writer.add_open_action(JavaScript("app.alert('x')"))
    assert refusal(written(writer)).code == "pdf_active"


def test_a_launch_action_is_refused():
    writer = blank()
    launch = {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("a")}
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(launch)
    assert refusal(written(writer)).code == "pdf_active"


def test_an_embedded_file_is_refused():
    writer = blank()
    writer.add_attachment("chuong-trinh.exe", b"MZ\x90\x00")
    assert refusal(written(writer)).code == "pdf_active"


def test_javascript_spelled_with_escapes_is_refused():
    hidden = samples.PDF.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /X (1) >>"
    )
    assert refusal(hidden).code == "pdf_active"


def test_too_many_objects_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_OBJECTS", 2)
    assert refusal(samples.PDF).code == "pdf_too_complex"


def test_a_truncated_png_is_refused():
    error = refusal(samples.PNG[: len(samples.PNG) // 2], name="anh.png")
    assert error.code == "damaged" and "bị hỏng" in error.messages[0]


def test_a_truncated_jpeg_is_refused():
    assert refusal(samples.JPEG[:-2], name="anh.jpg").code == "damaged"


def test_an_image_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 100)
    error = refusal(samples.PNG, name="anh.png")  # 16 × 16 = 256 pixels
    assert error.code == "image_too_large" and "triệu điểm ảnh" in error.messages[0]


def test_other_content_and_size_limits_still_apply(settings):
    assert refusal(b"MZ\x90\x00" * 10, name="don.pdf").code == "bad_type"
    assert refusal(b"", name="don.pdf").code == "empty"
    settings.PORTAL_UPLOAD_MAX_MB = 1
    assert refusal(samples.PDF + b"0" * 1024 * 1024).code == "too_large"


def test_a_file_checked_once_is_not_parsed_again(monkeypatch):
    upload = ContentFile(samples.PDF, name="don.pdf")
    uploads.check(upload)

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed twice")

    monkeypatch.setattr(uploads, "_check_pdf", parse)
    assert uploads.check(upload) is uploads.PDF


def test_stored_names_are_random_and_keep_the_real_extension():
    first, second = uploads.stored_name(kind=uploads.PDF), uploads.stored_name(kind=uploads.PDF)
    assert first != second and first.endswith(".pdf") and len(first) == 32 + len(".pdf")
