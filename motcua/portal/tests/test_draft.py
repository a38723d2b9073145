"""Saving a draft: nothing demanded, everything kept, files included."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import Dossier
from motcua.portal.models import Draft
from motcua.portal.tests.conftest import documents_of, pdf

pytestmark = pytest.mark.django_db

URL = "/thu-tuc/1.000426/nop/"


def test_draft_keeps_typed_values_and_files(an, citizen_an):
    an.get(URL)
    a = documents_of("1.000426")[0]
    response = an.post(
        URL,
        {"action": "save", "applicant_phone": "0987654321", f"doc_{a}": pdf("xac-nhan.pdf")},
    )
    assert response.status_code == 302
    html = an.get(URL).text
    assert 'value="0987654321"' in html and "Đã tải lên: xac-nhan.pdf" in html
    assert "Đã lưu nháp" in html
    assert Draft.objects.get(user=citizen_an).files.count() == 1
    assert not Dossier.objects.filter(created_by=citizen_an).exists()
