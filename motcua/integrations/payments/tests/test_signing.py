"""The gateway's signing rule: sorted vnp_* parameters, form-encoded, HMAC-SHA512 in hex."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.integrations.payments import vnpay

PARAMS = {
    "vnp_TxnRef": "260302093000AB12CD34",
    "vnp_ReturnUrl": "https://motcua.vn/thanh-toan/vnpay/ket-qua/",
    "vnp_Amount": "1500000",
    "vnp_OrderInfo": "Nop phi ho so H01: 1~2",
    "vnp_Command": "pay",
    "vnp_BankCode": "",  # empty: left out
    "other": "not signed",
}
# Written out by hand: sorted by name, space → "+", ":" "/" "~" percent-encoded.
HASH_DATA = (
    "vnp_Amount=1500000&vnp_Command=pay&vnp_OrderInfo=Nop+phi+ho+so+H01%3A+1%7E2"
    "&vnp_ReturnUrl=https%3A%2F%2Fmotcua.vn%2Fthanh-toan%2Fvnpay%2Fket-qua%2F"
    "&vnp_TxnRef=260302093000AB12CD34"
)
KNOWN = (
    "f3c7c8de58d5926a6d9a1b1c23547e0423ec3addf2ce6031d14b64979092b39e"
    "0ea52f831fc3bca1a5bdbc475134f7ab1f9be19a0a777247823623298c64fca1"
)


def test_signing_matches_a_vector_computed_by_hand():
    assert vnpay.hash_data(PARAMS) == HASH_DATA
    by_hand = hmac.new(b"test-hash-secret", HASH_DATA.encode(), hashlib.sha512).hexdigest()
    assert vnpay.sign("test-hash-secret", PARAMS) == by_hand == KNOWN


def test_verify_accepts_the_signature_and_nothing_else():
    signed = {**PARAMS, "vnp_SecureHash": KNOWN, "vnp_SecureHashType": "HmacSHA512"}
    assert vnpay.verify("test-hash-secret", signed)
    assert vnpay.verify("test-hash-secret", {**signed, "vnp_SecureHash": KNOWN.upper()})
    assert not vnpay.verify("test-hash-secret", {**signed, "vnp_Amount": "1500100"})
    assert not vnpay.verify("another-secret", signed)
    assert not vnpay.verify("test-hash-secret", PARAMS)  # no hash at all
    assert not vnpay.verify("test-hash-secret", {**signed, "vnp_SecureHash": "é" * 128})


def test_an_empty_secret_signs_nothing():
    with pytest.raises(ValueError, match="secret"):
        vnpay.sign("", PARAMS)
    assert not vnpay.verify("", {**PARAMS, "vnp_SecureHash": KNOWN})


def test_a_payment_url_carries_every_parameter_sorted_and_signed():
    created = dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)  # 09:30 in GMT+7
    params = vnpay.payment_params(
        version="2.1.0",
        tmn_code="TESTTMN1",
        amount_vnd=15_000,
        txn_ref="R1",
        order_info="Nop phi",
        order_type="billpayment",
        locale="vn",
        return_url="https://motcua.vn/kq/",
        ip_address="203.0.113.7",
        created_at=created,
        expires_at=created + dt.timedelta(minutes=15),
    )
    query = vnpay.signed_query("s", params)
    pairs = parse_qsl(urlsplit(f"https://gw/?{query}").query)
    names = [name for name, _ in pairs]
    assert names[:-1] == sorted(names[:-1]) and names[-1] == "vnp_SecureHash"
    received = dict(pairs)
    assert received["vnp_Amount"] == "1500000"  # VND × 100
    assert (received["vnp_CreateDate"], received["vnp_ExpireDate"]) == (
        "20260302093000",
        "20260302094500",
    )
    assert (received["vnp_Command"], received["vnp_CurrCode"]) == ("pay", "VND")
    assert vnpay.verify("s", received)


@pytest.mark.parametrize(
    ("text", "vnd"),
    [("1500000", 15_000), ("1500050", None), ("", None), ("-100", None), ("１００", None)],
)
def test_gateway_amounts_are_whole_dong_times_100(text, vnd):
    assert vnpay.from_gateway_amount(text) == vnd
