"""The electronic result: downloaded by its owner, once returned; nobody else."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from motcua.dossiers.actions import accept_submission, return_result
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import ready as result_ready
from motcua.portal.tests.conftest import PDF, online_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(citizen_an, clerk_binh) -> Dossier:
    dossier = online_dossier(citizen_an)
    dossier = accept_submission(dossier=dossier, officer=clerk_binh)
    dossier = result_ready(dossier)
    result = dossier.results.get()
    result.file.save("the-tu-van-vien.pdf", ContentFile(PDF))
    return dossier


def url(dossier: Dossier) -> str:
    return f"/ho-so-cua-toi/{dossier.code}/ket-qua/{dossier.results.get().pk}/"


def test_owner_downloads_the_result_once_returned(an, ready, clerk_binh):
    assert an.get(url(ready)).status_code == 404  # ready, not yet returned
    return_result(dossier=ready, officer=clerk_binh, channel="online")
    assert url(ready) in an.get(f"/ho-so-cua-toi/{ready.code}/").text
    response = an.get(url(ready))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_nobody_else_downloads_it(binh, ready, clerk_binh):
    return_result(dossier=ready, officer=clerk_binh, channel="online")
    assert binh.get(url(ready)).status_code == 404
