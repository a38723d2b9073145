"""start_payment: what the dossier owes, once per open transaction, only when owed."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.dossiers.actions import record_payment
from motcua.dossiers.tests.fixtures import at, clock
from motcua.integrations.payments import vnpay
from motcua.payments.actions import PaymentRefusedError, start_payment
from motcua.payments.tests.conftest import GATEWAY_URL, HASH_SECRET, TMN_CODE

pytestmark = pytest.mark.django_db
RETURN = "http://testserver/thanh-toan/vnpay/ket-qua/"


def start(dossier, when=None, locale="vn"):
    with clock(when or at(2026, 3, 2, 9, 30)):
        return start_payment(
            dossier=dossier, client_ip="203.0.113.7", locale=locale, return_url=RETURN
        )


def test_the_url_asks_the_gateway_for_what_is_owed(awaiting, gateway):
    txn, url = start(awaiting)

    assert url.startswith(f"{GATEWAY_URL}?")
    sent = dict(parse_qsl(urlsplit(url).query))
    assert vnpay.verify(HASH_SECRET, sent)
    assert txn.amount_vnd == awaiting.fee_total_vnd > 0
    assert sent["vnp_Amount"] == str(txn.amount_vnd * 100)
    assert (sent["vnp_TmnCode"], sent["vnp_TxnRef"], sent["vnp_ReturnUrl"]) == (
        TMN_CODE,
        txn.txn_ref,
        RETURN,
    )
    assert (sent["vnp_IpAddr"], sent["vnp_Locale"]) == ("203.0.113.7", "vn")
    assert sent["vnp_OrderInfo"] == f"Nop phi le phi ho so {awaiting.code}"
    assert (sent["vnp_CreateDate"], sent["vnp_ExpireDate"]) == ("20260302093000", "20260302094500")
    assert txn.status == "created"


def test_a_second_click_gets_the_same_open_transaction(awaiting, gateway):
    first, url = start(awaiting)
    again, same_url = start(awaiting, when=at(2026, 3, 2, 9, 40), locale="en")
    assert (again.pk, same_url) == (first.pk, url)
    assert awaiting.payment_transactions.count() == 1


def test_an_expired_transaction_is_replaced(awaiting, gateway):
    first, _ = start(awaiting)
    second, _ = start(awaiting, when=at(2026, 3, 2, 9, 46))
    first.refresh_from_db()
    assert second.pk != first.pk and second.txn_ref != first.txn_ref
    assert (first.status, second.status) == ("cancelled", "created")


def test_only_the_remainder_is_asked_after_a_partial_payment(awaiting, gateway):
    with clock(at(2026, 3, 2, 9, 10)):
        record_payment(dossier=awaiting, officer=None, amount_vnd=1000, reference="BL-1")
    txn, _ = start(awaiting)
    assert txn.amount_vnd == awaiting.fee_total_vnd - 1000


def test_a_dossier_not_awaiting_payment_is_refused(received, gateway):
    with pytest.raises(PaymentRefusedError, match="không ở trạng thái chờ nộp"):
        start(received(code="1.000688"))


def test_nothing_is_started_when_nothing_is_owed(awaiting, gateway):
    with clock(at(2026, 3, 2, 9, 10)):
        record_payment(
            dossier=awaiting, officer=None, amount_vnd=awaiting.fee_total_vnd, reference="BL-1"
        )
    with pytest.raises(PaymentRefusedError):
        start(awaiting)
    assert not awaiting.payment_transactions.exists()


def test_refused_when_payments_are_switched_off(awaiting, gateway, settings):
    settings.PAYMENTS_ENABLED = False
    with pytest.raises(PaymentRefusedError, match="nộp tại quầy"):
        start(awaiting)


def test_an_unknown_locale_is_refused(awaiting, gateway):
    with pytest.raises(ValueError, match="Ngôn ngữ"):
        start(awaiting, locale="fr")
