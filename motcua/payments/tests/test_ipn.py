"""The IPN: verified, idempotent, reconciled with the dossier; garbage gets a JSON answer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.dossiers.actions import record_payment
from motcua.dossiers.models import Payment
from motcua.dossiers.tests.fixtures import at, clock
from motcua.integrations.payments import vnpay
from motcua.payments.tests.conftest import HASH_SECRET, ipn, result

pytestmark = pytest.mark.django_db


def test_a_paid_ipn_records_the_payment_and_resumes_the_dossier(client, gateway, started):
    paid = result(gateway, started)

    assert ipn(client, paid) == {"RspCode": "00", "Message": "Confirm Success"}

    started.refresh_from_db()
    dossier = started.dossier
    dossier.refresh_from_db()
    assert started.status == "paid" and started.ipn_seen_at is not None
    assert started.gateway_transaction_no == paid["vnp_TransactionNo"]
    assert (started.bank_code, started.response_code) == ("NCB", "00")
    assert started.payment.reference == f"VNPAY-{paid['vnp_TransactionNo']}"
    assert started.payment.paid_at == at(2026, 3, 2, 9, 35)
    assert dossier.paid_vnd == dossier.fee_total_vnd
    assert dossier.national_status == 4


def test_a_replayed_ipn_is_already_confirmed_and_changes_nothing(client, gateway, started):
    paid = result(gateway, started)
    ipn(client, paid)
    started.refresh_from_db()
    before = (started.status, started.ipn_seen_at, started.paid_at, started.raw)

    assert ipn(client, paid)["RspCode"] == "02"
    assert ipn(client, paid)["RspCode"] == "02"

    started.refresh_from_db()
    assert (started.status, started.ipn_seen_at, started.paid_at, started.raw) == before
    assert Payment.objects.filter(dossier=started.dossier).count() == 1


def test_a_forged_signature_is_refused_and_nothing_changes(client, gateway, started):
    forged = {**result(gateway, started), "vnp_SecureHash": "0" * 128}
    assert ipn(client, forged) == {"RspCode": "97", "Message": "Invalid signature"}
    signed_elsewhere = {**forged, "vnp_SecureHash": vnpay.sign("guessed", forged)}
    assert ipn(client, signed_elsewhere)["RspCode"] == "97"
    started.refresh_from_db()
    assert (started.status, started.ipn_seen_at) == ("created", None)
    assert not Payment.objects.filter(dossier=started.dossier).exists()


def test_an_amount_changed_after_signing_fails_the_signature(client, gateway, started):
    paid = result(gateway, started)
    cheaper = {**paid, "vnp_Amount": "100"}
    assert ipn(client, cheaper)["RspCode"] == "97"
    assert not Payment.objects.filter(dossier=started.dossier).exists()


def test_a_tampered_amount_is_invalid_and_nothing_is_recorded(client, gateway, started):
    gateway.tamper_amount_vnd = -1000  # signed with the gateway's key, yet not what was asked
    assert ipn(client, result(gateway, started)) == {"RspCode": "04", "Message": "Invalid amount"}
    started.refresh_from_db()
    assert (started.status, started.ipn_seen_at, started.raw) == ("created", None, {})
    assert not Payment.objects.filter(dossier=started.dossier).exists()
    assert started.dossier.national_status == 6


def test_an_unknown_reference_is_not_found(client, gateway, started):
    paid = result(gateway, started)
    unknown = {**paid, "vnp_TxnRef": "NOSUCHREF"}
    unknown["vnp_SecureHash"] = vnpay.sign(HASH_SECRET, unknown)
    assert ipn(client, unknown) == {"RspCode": "01", "Message": "Order not found"}


def test_a_failed_payment_is_marked_failed_and_the_dossier_still_awaits(client, gateway, started):
    gateway.response_code = "51"  # not enough money
    assert ipn(client, result(gateway, started))["RspCode"] == "00"
    started.refresh_from_db()
    started.dossier.refresh_from_db()
    assert (started.status, started.response_code, started.payment) == ("failed", "51", None)
    assert started.dossier.national_status == 6
    assert started.dossier.paid_vnd == 0


def test_a_cancelled_payment_is_marked_cancelled_and_its_replay_confirmed(client, gateway, started):
    cancelled = result(gateway, started, choice="cancel")
    assert ipn(client, cancelled)["RspCode"] == "00"
    assert ipn(client, cancelled)["RspCode"] == "02"
    started.refresh_from_db()
    assert (started.status, started.response_code) == ("cancelled", "24")


def test_money_for_a_dossier_paid_meanwhile_is_kept_for_a_refund(client, gateway, started):
    dossier = started.dossier
    with clock(at(2026, 3, 2, 9, 32)):  # paid at the desk while the citizen was at the gateway
        record_payment(dossier=dossier, officer=None, amount_vnd=started.amount_vnd, reference="BL")

    assert ipn(client, result(gateway, started))["RspCode"] == "00"
    started.refresh_from_db()
    assert (started.status, started.payment) == ("paid", None)
    assert Payment.objects.filter(dossier=dossier).count() == 1


GARBAGE = [
    {},
    {"vnp_SecureHash": ""},
    {"vnp_TxnRef": "x", "vnp_Amount": "abc", "vnp_SecureHash": "zz"},
    {"vnp_SecureHash": "é" * 200, "vnp_Amount": "1" * 5000},
    {"random": "<script>", "vnp_ResponseCode": "00"},
]


@pytest.mark.parametrize("params", GARBAGE)
def test_garbage_gets_a_json_refusal_not_an_error(client, gateway, started, params):
    assert ipn(client, params)["RspCode"] == "97"


def test_a_repeated_parameter_is_refused(client, gateway, started):
    paid = result(gateway, started)
    query = "&".join(f"{k}={v}" for k, v in paid.items()) + "&vnp_Amount=1"
    answer = client.get(f"{reverse('payments:ipn')}?{query}")
    assert answer.json()["RspCode"] == "97"
    assert not Payment.objects.filter(dossier=started.dossier).exists()


def test_a_signed_success_without_a_gateway_number_is_an_error(client, gateway, started):
    paid = {**result(gateway, started), "vnp_TransactionNo": ""}
    paid["vnp_SecureHash"] = vnpay.sign(HASH_SECRET, paid)
    assert ipn(client, paid)["RspCode"] == "99"
    assert not Payment.objects.filter(dossier=started.dossier).exists()


def test_a_post_with_a_json_body_or_nothing_is_answered_too(client, gateway, started):
    url = reverse("payments:ipn")
    for answer in (
        client.post(url, "{not json", content_type="application/json"),
        client.post(url, {"vnp_TxnRef": started.txn_ref}),
        client.put(url),
    ):
        assert answer.status_code in (200, 405)
        if answer.status_code == 200:
            assert answer.json()["RspCode"] == "97"


def test_without_a_configured_secret_nothing_verifies(client, gateway, started, settings):
    paid = result(gateway, started)
    settings.VNPAY_HASH_SECRET = ""
    assert ipn(client, paid)["RspCode"] == "97"


def test_an_unexpected_failure_answers_99(client, gateway, started, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("motcua.payments.actions.record_payment", broken)
    assert ipn(client, result(gateway, started))["RspCode"] == "99"
    started.refresh_from_db()
    assert started.status == "created"  # rolled back: the gateway will retry
