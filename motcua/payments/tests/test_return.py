"""The browser's return: verified, shows the state, and with the IPN makes one payment
whichever comes first."""

from __future__ import annotations

import pytest

from motcua.dossiers.lookup import lookup_url
from motcua.dossiers.models import Payment
from motcua.payments.tests.conftest import back, ipn, result

pytestmark = pytest.mark.django_db


def main(page):
    """The page's own content (the layout repeats the address in its language switch)."""
    text = page.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def test_ipn_before_return_makes_one_payment(client, gateway, started):
    paid = result(gateway, started)
    assert ipn(client, paid)["RspCode"] == "00"

    page = back(client, paid)

    assert page.status_code == 200
    assert "Thanh toán thành công" in page.text
    assert started.dossier.code in page.text
    assert lookup_url(started.dossier.code) in page.text
    assert Payment.objects.filter(dossier=started.dossier).count() == 1
    started.refresh_from_db()
    assert started.ipn_seen_at and started.return_seen_at


def test_return_before_ipn_makes_one_payment(client, gateway, started):
    paid = result(gateway, started)

    assert "Thanh toán thành công" in back(client, paid).text
    started.dossier.refresh_from_db()
    assert started.dossier.national_status == 4

    assert ipn(client, paid)["RspCode"] == "02"
    assert Payment.objects.filter(dossier=started.dossier).count() == 1
    started.refresh_from_db()
    assert started.status == "paid" and started.ipn_seen_at is not None


def test_a_reloaded_return_page_records_nothing_more(client, gateway, started):
    paid = result(gateway, started)
    for _ in range(3):
        assert back(client, paid).status_code == 200
    assert Payment.objects.filter(dossier=started.dossier).count() == 1


def test_a_failed_payment_says_why(client, gateway, started):
    gateway.response_code = "51"
    page = back(client, result(gateway, started))
    assert page.status_code == 200
    assert "Thanh toán không thành công" in page.text
    assert "không đủ số dư" in page.text
    started.dossier.refresh_from_db()
    assert started.dossier.national_status == 6


def test_a_forged_return_shows_nothing_it_claims(client, gateway, started):
    forged = {**result(gateway, started), "vnp_SecureHash": "ab" * 64}
    page = back(client, forged)
    assert page.status_code == 400
    assert "không hợp lệ" in main(page)
    assert "Thanh toán thành công" not in main(page)
    assert started.dossier.code not in main(page)
    assert not Payment.objects.filter(dossier=started.dossier).exists()


def test_a_tampered_amount_on_return_records_nothing(client, gateway, started):
    gateway.tamper_amount_vnd = 1000
    page = back(client, result(gateway, started))
    assert page.status_code == 400
    assert "Thanh toán thành công" not in page.text
    assert not Payment.objects.filter(dossier=started.dossier).exists()


def test_a_return_without_parameters_is_a_plain_refusal(client, gateway):
    page = back(client, {})
    assert page.status_code == 400
    assert "không hợp lệ" in page.text
