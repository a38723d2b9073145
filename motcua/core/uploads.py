"""What may be uploaded (a citizen's documents, an electronic result): PDF, JPEG or PNG,
recognised by content, never by name.

The file's first bytes must be the format's signature (``%PDF-``; ``FF D8 FF``; the PNG
signature), a PDF must end with its ``%%EOF`` marker and an image must decode, so an
executable or a web page renamed ``.pdf`` is refused, and a real PDF named ``.jpg`` is
stored as the PDF it is. The stored name takes its extension from the content.

The size limit is ``PORTAL_UPLOAD_MAX_MB`` (default 10 MB per file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
PDF_EOF_WINDOW = 1024


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    extension: str


PDF = Kind("PDF", "application/pdf", "pdf")
JPEG = Kind("JPEG", "image/jpeg", "jpg")
PNG = Kind("PNG", "image/png", "png")

SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)


def max_bytes() -> int:
    return int(settings.PORTAL_UPLOAD_MAX_MB) * 1024 * 1024


def sniff(head: bytes) -> Kind | None:
    """The format the first bytes announce, or None."""
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def check(upload: UploadedFile) -> Kind:
    """The upload's real format; ValidationError (in Vietnamese) when it is too large,
    empty, not PDF/JPEG/PNG by content, or damaged."""
    name = upload.name or _("tệp")
    size = upload.size or 0
    if size > max_bytes():
        raise ValidationError(
            _("Tệp «%(name)s» có dung lượng %(size)s MB, vượt quá giới hạn %(max)s MB mỗi tệp.")
            % {
                "name": name,
                "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
                "max": max_bytes() // (1024 * 1024),
            },
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Tệp «%(name)s» rỗng.") % {"name": name}, code="empty")
    upload.seek(0)
    kind = sniff(upload.read(16))
    if kind is None:
        raise ValidationError(
            _(
                "Tệp «%(name)s» không phải là tệp PDF, JPEG hoặc PNG (hệ thống kiểm tra nội dung "
                "tệp, không dựa vào tên tệp). Hãy chọn bản chụp hoặc bản quét ở định dạng PDF, "
                "JPG hoặc PNG."
            )
            % {"name": name},
            code="bad_type",
        )
    if not _intact(upload, kind, size):
        raise ValidationError(
            _("Tệp «%(name)s» bị hỏng hoặc không đọc được; hãy chụp hoặc quét lại.")
            % {"name": name},
            code="damaged",
        )
    upload.seek(0)
    return kind


def _intact(upload: UploadedFile, kind: Kind, size: int) -> bool:
    if kind is PDF:
        upload.seek(max(size - PDF_EOF_WINDOW, 0))
        return b"%%EOF" in upload.read()
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception:  # any decoding failure means "damaged"
        return False
    return True


def stored_name(original: str, kind: Kind) -> str:
    """A safe file name with the extension of what the file really is."""
    stem = get_valid_filename(PurePath(original).stem)[:80] or "tep"
    return f"{stem}.{kind.extension}"
