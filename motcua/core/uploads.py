"""What may be uploaded (a citizen's documents, an electronic result, a hotline attachment):
PDF, JPEG or PNG, recognised and checked by content, never by name (docs/decisions/files.md).

Every entry point calls ``check`` (the portal's application and supplement forms, the back
office's result file, the hotline's web form and its channels' attachments). A file passes
when:

- it is not empty and within ``PORTAL_UPLOAD_MAX_MB`` (default 10 MB);
- its first bytes are a format's signature (``%PDF-``; ``FF D8 FF``; the PNG signature), so
  an executable or a web page renamed ``.pdf`` is refused and a real PDF named ``.jpg`` is
  kept as the PDF it is;
- a PDF parses with pypdf (cross-reference table, catalogue, at least one page), is not
  encrypted, has no web markup in its first or last kilobyte (a browser that sniffs would
  take such a polyglot for a page), and none of its objects carries JavaScript (or an XFA
  form, which carries scripts), a launch action or an embedded file;
- an image opens with Pillow as the format it announces, has at most ``MAX_IMAGE_PIXELS``
  pixels (a small file can decode to gigabytes), and its data is whole: ``verify()`` reads
  every PNG chunk; a JPEG's data must reach its end-of-image marker.

Refusals are ``ValidationError`` in Vietnamese, for the form field that received the file.
Stored names (``stored_name``) are random: nothing of the citizen's file name reaches the disk.
"""

from __future__ import annotations

import re
import secrets
import weakref
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
# Where a PDF's "%%EOF" must be, and where web markup is looked for, from either end.
PDF_EOF_WINDOW = 1024
# A 600 dpi scan of an A4 page is 35 million pixels, a phone's photo 12–50 million.
MAX_IMAGE_PIXELS = 50_000_000
# Bounds on the work a PDF may cost before it is judged: pypdf parses in pure Python, half
# a megabyte to a megabyte of structure a second. A scanned document has a few dozen objects;
# a 700-page text with 20,000 links has 21,000 objects in 3.4 MB of object streams.
MAX_PDF_OBJECTS = 50_000
MAX_PDF_OBJECT_STREAM_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str  # also Pillow's format name for images
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

# Tags by which a browser (or an old one that sniffs anywhere in the first bytes) would take
# the file for a web page.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|object|embed|svg|meta)\b", re.IGNORECASE
)
# What makes a PDF act rather than show (ISO 32000: 12.6.4 actions, 7.11.4 embedded files,
# 12.7.8 XFA forms).
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA"})
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/GoToE", "/ImportData", "/RichMediaExecute"}
)
_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia"})

# A file checked once is not parsed again by the next caller (a form's field, then the
# action that stores it): the verdict is kept with the file object, as long as it lives.
_accepted: weakref.WeakKeyDictionary[File, tuple[int, Kind]] = weakref.WeakKeyDictionary()


def max_bytes() -> int:
    return int(settings.PORTAL_UPLOAD_MAX_MB) * 1024 * 1024


def sniff(head: bytes) -> Kind | None:
    """The format the first bytes announce, or None."""
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def check(upload: File) -> Kind:
    """The upload's real format; ValidationError (in Vietnamese) when it is too large,
    empty, not PDF/JPEG/PNG by content, or a PDF or image that is damaged, disguised or
    active (see the module's docstring and docs/decisions/files.md)."""
    name = PurePath(upload.name or "").name or _("tệp")
    size = upload.size or 0
    known = _accepted.get(upload)
    if known is not None and known[0] == size:
        upload.seek(0)
        return known[1]
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
    if kind is PDF:
        _check_pdf(upload, name=name, size=size)
    else:
        _check_image(upload, kind=kind, name=name)
    upload.seek(0)
    _accepted[upload] = (size, kind)
    return kind


def stored_name(*, kind: Kind) -> str:
    """A random name (128 bits) with the extension of what the file really is: nobody can
    guess another file's name, and nothing of the citizen's own file name (often a person's
    name) is written to the disk. The name people see comes from the record
    (``motcua.core.files``)."""
    return f"{secrets.token_hex(16)}.{kind.extension}"


def for_storage(upload: File) -> File:
    """The upload, checked, under the random name it is to be stored with
    (``stored_name``); the upload keeps its own name for the form that shows it."""
    return File(upload, name=stored_name(kind=check(upload)))


def _damaged(name: str) -> ValidationError:
    return ValidationError(
        _("Tệp «%(name)s» bị hỏng hoặc không đọc được; hãy chụp hoặc quét lại.") % {"name": name},
        code="damaged",
    )


def _check_pdf(upload: File, *, name: str, size: int) -> None:
    upload.seek(0)
    head = upload.read(PDF_EOF_WINDOW)
    upload.seek(max(size - PDF_EOF_WINDOW, 0))
    tail = upload.read()
    if _MARKUP.search(head) or _MARKUP.search(tail):
        raise ValidationError(
            _(
                "Tệp «%(name)s» có mã trang web (HTML) lẫn trong tệp PDF; hệ thống không nhận "
                "tệp này. Hãy xuất (lưu) lại thành PDF hoặc quét lại giấy tờ."
            )
            % {"name": name},
            code="pdf_markup",
        )
    if b"%%EOF" not in tail:
        raise _damaged(name)
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "Tệp «%(name)s» là tệp PDF có mật khẩu hoặc được mã hóa nên cơ quan không mở "
                    "được. Hãy gỡ mật khẩu (hoặc in lại ra tệp PDF) rồi tải lên."
                )
                % {"name": name},
                code="pdf_encrypted",
            )
        if not _within_bounds(reader):
            raise ValidationError(
                _(
                    "Tệp «%(name)s» có cấu trúc quá phức tạp để kiểm tra. Hãy quét lại giấy tờ "
                    "hoặc chia thành nhiều tệp nhỏ hơn."
                )
                % {"name": name},
                code="pdf_too_complex",
            )
        if len(reader.pages) < 1:
            raise _damaged(name)
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except Exception as exc:  # any failure to parse hostile input means "not a readable PDF"
        raise ValidationError(
            _(
                "Tệp «%(name)s» không phải là tài liệu PDF đọc được (tệp hỏng hoặc chỉ mang "
                "phần đầu của tệp PDF). Hãy xuất (lưu) lại thành PDF hoặc quét lại giấy tờ."
            )
            % {"name": name},
            code="pdf_invalid",
        ) from exc
    if active:
        raise ValidationError(
            _(
                "Tệp «%(name)s» chứa mã lệnh (JavaScript), lệnh mở chương trình hoặc tệp đính "
                "kèm bên trong; hệ thống không nhận loại tệp PDF này. Hãy in lại ra tệp PDF "
                "hoặc quét lại giấy tờ."
            )
            % {"name": name},
            code="pdf_active",
        )


def _object_ids(reader: PdfReader) -> list[tuple[int, int]]:
    top = [(number, generation) for generation, found in reader.xref.items() for number in found]
    return top + [(number, 0) for number in reader.xref_objStm]


def _within_bounds(reader: PdfReader) -> bool:
    """Counted from the cross-reference table and the object streams' decoded size, before
    any object is parsed (pypdf caps each decoded stream at 75 MB on its own)."""
    if len(_object_ids(reader)) > MAX_PDF_OBJECTS:
        return False
    streams = {number for number, _index in reader.xref_objStm.values()}
    total = 0
    for number in streams:
        stream = reader.get_object(number)
        if not isinstance(stream, StreamObject):
            raise PdfReadError(f"object stream {number} is not a stream")
        total += len(stream.get_data())
        if total > MAX_PDF_OBJECT_STREAM_BYTES:
            return False
    return True


def _has_active_content(reader: PdfReader) -> bool:
    """Every object of the file is looked at, not only the usual places (the catalogue's
    names and open action, pages' annotations): an action can hide in an outline item, a
    form field or another action's ``/Next``. Names written with ``#xx`` escapes are
    decoded by the parser, so ``/J#61vaScript`` is ``/JavaScript`` here."""
    for number, generation in _object_ids(reader):
        pending: list[Any] = [reader.get_object(IndirectObject(number, generation, reader))]
        while pending:
            item = pending.pop()
            if isinstance(item, DictionaryObject):  # streams are dictionaries too
                if _acts(item):
                    return True
                # dict.values: the direct children only; referenced objects get their turn.
                pending.extend(dict.values(item))
            elif isinstance(item, ArrayObject):
                pending.extend(list.__iter__(item))
    return False


def _acts(entry: DictionaryObject) -> bool:
    if any(key in _ACTIVE_KEYS for key in dict.keys(entry)):
        return True
    # Names are str; a malformed file may put anything else there, which acts on nothing.
    action, kind, subtype = (dict.get(entry, key) for key in ("/S", "/Type", "/Subtype"))
    return (
        (isinstance(action, str) and action in _ACTIVE_ACTIONS)
        or (isinstance(kind, str) and kind in _ACTIVE_TYPES)
        or (isinstance(subtype, str) and subtype in _ACTIVE_TYPES)
    )


def _check_image(upload: File, *, kind: Kind, name: str) -> None:
    too_large = ValidationError(
        _(
            "Ảnh «%(name)s» quá lớn: vượt quá %(max)s triệu điểm ảnh. Hãy chụp ở độ phân giải "
            "thấp hơn hoặc thu nhỏ ảnh rồi tải lên."
        )
        % {"name": name, "max": MAX_IMAGE_PIXELS // 1_000_000},
        code="image_too_large",
    )
    upload.seek(0)
    try:
        with Image.open(upload, formats=[kind.name]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise too_large
            image.verify()
        if kind is JPEG:
            upload.seek(0)
            if not _jpeg_complete(upload.read()):
                raise _damaged(name)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise too_large from exc
    except Exception as exc:  # any decoding failure means "damaged"
        raise _damaged(name) from exc


def _jpeg_complete(data: bytes) -> bool:
    """Whether the JPEG's image data reaches its end-of-image marker (``FF D9``).

    ``verify()`` reads nothing of a JPEG's data, and decoding it cannot tell a cut-off file
    once WeasyPrint is imported (it sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES``), so
    the segments are walked to the first scan and the marker looked for after it: inside the
    scan's data a 0xFF byte is always escaped, and the thumbnail's own marker in the EXIF
    segment before it is skipped. Bytes after the marker (a phone's "motion photo") are
    allowed."""
    position = 2  # after the start-of-image marker
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xDA:  # start of scan
            return data.find(b"\xff\xd9", position) != -1
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
        else:
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return False
