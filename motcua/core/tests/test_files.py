"""The one door for stored files (motcua/core/files.py): what a download answers, whoever
asked for it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404

from motcua.core import files
from motcua.core.tests import samples


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def stored(content: bytes, name: str = "dossiers/2026/03/abc.pdf") -> FieldFile:
    saved = default_storage.save(name, ContentFile(content))
    return FieldFile(None, FileField(name="file"), saved)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_an_attachment_with_a_vietnamese_name_and_an_ascii_fallback():
    response = files.download(stored=stored(samples.PDF), title="H01 Tờ khai đăng ký khai sinh")
    assert response["Content-Disposition"] == (
        'attachment; filename="H01 To khai dang ky khai sinh.pdf"; '
        "filename*=UTF-8''H01%20T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == samples.PDF


def test_the_content_decides_the_type_and_extension_not_the_stored_name():
    response = files.download(stored=stored(samples.PNG, "x/anh.pdf"), title="Ảnh")
    assert response["Content-Type"] == "image/png"
    assert 'filename="Anh.png"' in response["Content-Disposition"]
    unknown = files.download(stored=stored(b"<html></html>", "x/trang.pdf"), title="Trang")
    assert unknown["Content-Type"] == "application/octet-stream"
    assert 'filename="Trang"' in unknown["Content-Disposition"]


def test_a_title_cannot_smuggle_a_path_or_a_header():
    name = files.download_name(title='../../etc/passwd"\r\nX-Evil: 1', kind=None)
    assert "/" not in name and "\r" not in name and "\n" not in name and '"' not in name
    header = files.content_disposition(filename=name)
    assert "\n" not in header and header.count('"') == 2


def test_nginx_transfers_the_file_when_configured(settings):
    settings.FILES_ACCEL_REDIRECT_PREFIX = "/_files/"
    response = files.download(stored=stored(samples.PDF), title="Tờ khai")
    assert response["X-Accel-Redirect"] == "/_files/dossiers/2026/03/abc.pdf"
    assert response.content == b"" and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_x_sendfile_names_the_path_when_configured(settings):
    settings.FILES_SENDFILE = True
    file = stored(samples.PDF)
    response = files.download(stored=file, title="Tờ khai")
    assert response["X-Sendfile"] == file.path and response.content == b""


def test_a_missing_file_is_404():
    gone = FieldFile(None, FileField(name="file"), "dossiers/2026/03/gone.pdf")
    with pytest.raises(Http404):
        files.download(stored=gone, title="Tờ khai")
    with pytest.raises(Http404):
        files.download(stored=FieldFile(None, FileField(name="file"), ""), title="Tờ khai")


@pytest.mark.parametrize(
    "env",
    [
        {"FILES_ACCEL_REDIRECT_PREFIX": "_files"},
        {"FILES_ACCEL_REDIRECT_PREFIX": "/_files/", "FILES_SENDFILE": "1"},
    ],
    ids=["prefix-without-slashes", "both"],
)
def test_a_bad_proxy_setting_stops_the_start(env):
    from motcua.core.tests.test_env import _start

    result = _start(**env)
    assert result.returncode != 0 and "FILES_" in result.stderr
