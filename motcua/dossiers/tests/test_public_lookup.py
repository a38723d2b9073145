"""The public lookup page (/tra-cuu/<code>/): the code alone shows the status and its dates;
the procedure and the masked applicant need a second fact only the applicant holds."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.printed.formatting import lookup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_the_code_alone_shows_no_name_and_no_procedure(received):
    dossier = received()  # Nguyễn Văn An, phone 0912345678, ID 087090001234
    html = Client().get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Được tiếp nhận" in html and "09/03/2026" in html
    assert "Nguyễn" not in html
    assert dossier.procedure.name not in html


@pytest.mark.parametrize("check", ["5678", "1234"])
def test_the_last_four_digits_of_phone_or_id_show_the_masked_applicant(received, check):
    dossier = received()
    html = Client().post(f"/tra-cuu/{dossier.code}/", {"kiem_tra": check}).content.decode()
    assert "Nguyễn V. A." in html and dossier.procedure.name in html
    assert "0912345678" not in html and "087090001234" not in html


def test_form_01_s_qr_code_opens_it_with_the_secret(received):
    dossier = received()
    url = lookup(dossier)["lookup_url"]
    assert dossier.lookup_secret in url
    html = Client().get(url.split("127.0.0.1:8000", 1)[1]).content.decode()
    assert "Nguyễn V. A." in html


def test_a_wrong_check_shows_no_more_than_the_code_alone(received):
    dossier = received()
    html = Client().post(f"/tra-cuu/{dossier.code}/", {"kiem_tra": "0000"}).content.decode()
    assert "không khớp" in html and "Nguyễn" not in html


def test_wrong_checks_are_limited_per_code(received, settings):
    settings.LOOKUP_CHECKS_PER_CODE = 3
    dossier = received()
    for n in range(3):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            f"/tra-cuu/{dossier.code}/", {"kiem_tra": f"{n:04d}"}
        )
    html = (
        Client(REMOTE_ADDR="198.51.100.9")
        .post(f"/tra-cuu/{dossier.code}/", {"kiem_tra": "5678"})
        .content.decode()
    )
    assert "sai quá nhiều lần" in html and "Nguyễn" not in html


def test_neighbouring_codes_reveal_nobody(received):
    """Codes are sequential: walking them shows statuses, never who applied for what."""
    dossiers = [received(name=name) for name in ("Lê Thị Hoa", "Phạm Văn Tư", "Võ Minh Khoa")]
    for dossier in dossiers:
        html = Client().get(f"/tra-cuu/{dossier.code}/").content.decode()
        assert not any(family in html for family in ("Lê T.", "Phạm V.", "Võ M."))


def test_used_up_guesses_never_block_the_applicant_s_qr_code(received, settings):
    settings.LOOKUP_CHECKS_PER_CODE = 2
    dossier = received()
    for guess in ("0000", "1111", "2222"):
        Client().post(f"/tra-cuu/{dossier.code}/", {"kiem_tra": guess})
    html = Client().get(f"/tra-cuu/{dossier.code}/", {"k": dossier.lookup_secret})
    assert "Nguyễn V. A." in html.content.decode()


def test_a_refused_lookup_counts_no_guess(received, settings):
    settings.LOOKUP_RATE_PER_MINUTE = 1
    settings.LOOKUP_CHECKS_PER_CODE = 1
    dossier = received()
    busy = Client(REMOTE_ADDR="203.0.113.1")
    busy.get(f"/tra-cuu/{dossier.code}/")
    assert busy.post(f"/tra-cuu/{dossier.code}/", {"kiem_tra": "0000"}).status_code == 429
    html = Client(REMOTE_ADDR="198.51.100.2").post(
        f"/tra-cuu/{dossier.code}/", {"kiem_tra": "5678"}
    )
    assert "Nguyễn V. A." in html.content.decode()


def test_the_lookup_reads_one_row_by_its_code_and_only_what_it_needs(received):
    dossier = received()
    with CaptureQueriesContext(connection) as captured:
        answer = Client().get(f"/api/v1/lookup/{dossier.code}", {"check": "5678"})
    assert answer.json()["applicant"] == "Nguyễn V. A."
    [select] = [query["sql"] for query in captured.captured_queries]
    assert "ORDER BY" not in select and "applicant_address" not in select
    assert '"dossiers_dossier"."code" = ' in select
