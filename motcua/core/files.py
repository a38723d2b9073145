"""The one door through which a stored file leaves the server (docs/decisions/files.md).

Views decide who may have the file (through their object's door: ``dossier_for_user``,
``dossier_for_citizen``, ``ticket_for_user``) and then call ``download``, which answers with:

- ``Content-Disposition: attachment``, with the name people know the file by (the
  document's or result's name, not the stored name) as a plain ASCII fallback and, for
  Vietnamese, an RFC 5987 ``filename*`` (RFC 6266, section 4.3);
- a ``Content-Type`` read from the stored content by the upload check's own signatures
  (``uploads.sniff``), never from a name; anything unrecognised is
  ``application/octet-stream``;
- ``X-Content-Type-Options: nosniff``, ``Cache-Control: private, no-store`` and a
  ``Content-Security-Policy`` that lets nothing run should a browser render it anyway.

The transfer itself can be handed to the proxy: ``FILES_ACCEL_REDIRECT_PREFIX`` (nginx
``X-Accel-Redirect`` to an ``internal`` location aliasing ``MEDIA_ROOT``) or
``FILES_SENDFILE`` (``X-Sendfile`` with the file's path); both off by default, when the
application streams the file itself. Nothing serves ``MEDIA_ROOT`` by address.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase

from motcua.core import uploads

logger = logging.getLogger(__name__)

OCTET_STREAM = "application/octet-stream"
MAX_STEM_CHARS = 120
# Characters no file system or browser takes well in a name, and controls.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")


def download(*, stored: FieldFile, title: str) -> HttpResponseBase:
    """The stored file as an attachment named ``title`` plus the extension of what it is.
    A record without a file, or whose file is gone from storage, is a 404 (the latter is
    logged: it is an operations problem, not the user's)."""
    if not stored:
        raise Http404("no file")
    try:
        handle = stored.open("rb")
    except OSError as exc:
        logger.error("stored file missing: %s (%s)", stored.name, exc)
        raise Http404("file missing") from exc
    kind = uploads.sniff(handle.read(16))
    handle.seek(0)
    content_type = kind.content_type if kind else OCTET_STREAM
    filename = download_name(title=title, kind=kind)
    response: HttpResponseBase
    if settings.FILES_ACCEL_REDIRECT_PREFIX:
        handle.close()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.FILES_ACCEL_REDIRECT_PREFIX + quote(
            stored.name or ""
        )
    elif settings.FILES_SENDFILE:
        handle.close()
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = stored.path
    else:
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download_name(*, title: str, kind: uploads.Kind | None) -> str:
    """``title`` made safe as a file name (NFC, no path separators or controls, one space
    between words, at most ``MAX_STEM_CHARS``), with the extension of the content's kind."""
    stem = _SPACES.sub(" ", _UNSAFE.sub(" ", unicodedata.normalize("NFC", title))).strip(" .")
    stem = stem[:MAX_STEM_CHARS].rstrip(" .") or "tep"
    return f"{stem}.{kind.extension}" if kind else stem


def content_disposition(*, filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and, when the name is not
    plain ASCII, the exact UTF-8 name as ``filename*`` (RFC 5987), which browsers prefer."""
    fallback = _ascii(filename)
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def _ascii(filename: str) -> str:
    """ "Tờ khai đăng ký.pdf" → "To khai dang ky.pdf": Vietnamese without its marks."""
    marked = unicodedata.normalize("NFD", filename.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in marked if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NOT_ASCII_SAFE.sub("_", plain)).strip() or "tep"
