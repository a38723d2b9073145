"""Citizens and files for the portal's tests.

Personas: ``citizen_an`` (a signed-in citizen, non-staff) and ``citizen_binh`` (another
citizen, who must see nothing of An's). Uploaded files go to a temporary MEDIA_ROOT.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.core.tests import samples
from motcua.dossiers.actions import submit_online
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import application
from motcua.org.models import Desk, DeskKind

PDF = samples.PDF  # a real PDF: uploads are parsed, not only sniffed


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def citizen(username: str, name: str) -> Any:
    return get_user_model().objects.create_user(
        username=username, first_name=name, email=f"{username}@example.vn", password="x"
    )


@pytest.fixture
def citizen_an(db: Any) -> Any:
    return citizen("an", "Nguyễn Văn An")


@pytest.fixture
def citizen_binh(db: Any) -> Any:
    return citizen("binh", "Trần Thị Bình")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def an(citizen_an: Any) -> Client:
    return signed_in(citizen_an)


@pytest.fixture
def binh(citizen_binh: Any) -> Client:
    return signed_in(citizen_binh)


def pdf(name: str = "giay-de-nghi.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name: str = "anh.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def png_cut_short(name: str = "anh.png") -> SimpleUploadedFile:
    """A PNG whose second half is missing: the signature and size are right, the data not."""
    whole = png(name).read()
    return SimpleUploadedFile(name, whole[: len(whole) // 2], content_type="image/png")


def centre() -> Desk:
    return Desk.objects.get(kind=DeskKind.CENTRE)


def online_dossier(owner: Any, code: str = "1.000426") -> Dossier:
    """A dossier the citizen submitted online at the provincial centre (status 1)."""
    return submit_online(application=application(code, centre(), channel="online"), citizen=owner)


def documents_of(code: str) -> list[int]:
    return [d.pk for d in Procedure.objects.get(code=code).documents.all()]
