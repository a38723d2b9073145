"""Real files for tests of uploads and downloads (docs/decisions/files.md): a PDF made by
pypdf, images made by Pillow, and the disguises the upload check must refuse."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(*, pages: int = 1) -> bytes:
    """A small valid PDF of blank A4 pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str, *, size: tuple[int, int] = (16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
# The auditor's case: a PDF's signature, then a web page.
PDF_HEADED_HTML = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
