"""The carrier's client against the local fake carrier over HTTP: the token, a create
retried after a lost answer, refusals, outages, cancel, the feed, the webhook signature
(motcua/integrations/carrier/__init__.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.devtools.fakes.carrier import DEV_CUSTOMER_CODE, DEV_KEY, DEV_SECRET, FakeCarrier
from motcua.devtools.loopback import text_reply
from motcua.integrations.carrier import (
    CarrierClient,
    CarrierConfig,
    Party,
    RejectedError,
    UnavailableError,
    signature,
    verify,
)

APPLICANT = Party(
    "Nguyễn Văn An", "12 Lý Thường Kiệt, Phường Cao Lãnh", "Tỉnh Đồng Tháp", "", "0912345678"
)
AGENCY = Party("Sở Tư pháp", "01 Võ Trường Toản", "Tỉnh Đồng Tháp", "", "02773851234")


@pytest.fixture
def fake() -> Iterator[FakeCarrier]:
    with FakeCarrier() as carrier:
        yield carrier


def connect(fake: FakeCarrier, **config: Any) -> CarrierClient:
    fields = {
        "base_url": fake.base_url,
        "customer_code": DEV_CUSTOMER_CODE,
        "key": DEV_KEY,
        "secret": DEV_SECRET,
        "timeout": 2.0,
        **config,
    }
    return CarrierClient(CarrierConfig(**fields))


def create(client: CarrierClient, number: str = "G01.001-P-1", **kw: Any) -> Any:
    return client.create_order(
        order_number=number,
        cod_amount=kw.pop("cod_amount", 70_000),
        sender=kw.pop("sender", APPLICANT),
        receiver=AGENCY,
        description="Hồ sơ TTHC G01.001",
    )


def test_a_token_is_fetched_once_and_renewed_when_the_carrier_says_401(fake):
    client = connect(fake)
    first = create(client, "A-P-1")
    create(client, "A-P-2")
    assert (client.logins, fake.logins) == (1, 1)
    fake.expire_tokens()  # the carrier revokes it before its announced expiry
    create(client, "A-P-3")
    assert (client.logins, fake.logins) == (2, 2)
    assert len(fake.orders) == 3 and first.tracking_number.startswith("EB")


def test_a_token_past_its_expiry_is_renewed_before_the_call(fake):
    now = [1000.0]
    client = CarrierClient(connect(fake).config, clock=lambda: now[0])
    create(client, "A-P-1")
    now[0] += 3600  # past expiresIn
    create(client, "A-P-2")
    assert client.logins == 2
    assert fake.rejected == 0  # renewed before, not refused first


def test_wrong_credentials_are_a_refusal_naming_the_settings(fake):
    with pytest.raises(RejectedError, match="CARRIER_KEY"):
        create(connect(fake, secret="wrong"))


def test_a_create_whose_answer_was_lost_is_one_order_at_the_carrier(fake):
    client = connect(fake)
    fake.drop_next(1, after_processing=True)  # kept by the carrier, the answer lost
    with pytest.raises(UnavailableError):
        create(client, "G01.001-P-7")
    again = create(client, "G01.001-P-7")  # the retry: the same order number
    assert again.existed
    assert len(fake.orders) == 1
    assert fake.orders["G01.001-P-7"].creates == 2
    assert again.tracking_number == fake.orders["G01.001-P-7"].item_code


def test_refused_data_is_rejected_with_the_carriers_message(fake):
    bad = Party("An", "12 Lý Thường Kiệt", "Tỉnh Đồng Tháp", "", "không có số")
    with pytest.raises(RejectedError, match="tel"):
        create(connect(fake), sender=bad)
    assert fake.orders == {}


@pytest.mark.parametrize("failure", ["http_500", "drop", "timeout"])
def test_outages_are_unavailable(fake, failure):
    client = connect(fake, timeout=0.3)
    client.token()
    if failure == "http_500":
        fake.fail_next_with(1, text_reply(500, "boom"))
    elif failure == "drop":
        fake.drop_next(1)
    else:
        fake.slow_next(1, 1.0)
    with pytest.raises(UnavailableError):
        create(client)


def test_cancel_an_order_and_one_the_carrier_never_had(fake):
    client = connect(fake)
    create(client, "A-P-1")
    assert client.cancel_order("A-P-1") is True
    assert fake.orders["A-P-1"].status_code == "4"
    assert client.cancel_order("A-P-404") is False


def test_an_order_under_way_cannot_be_cancelled(fake):
    client = connect(fake)
    create(client, "A-P-1")
    fake.advance("A-P-1")
    with pytest.raises(RejectedError, match="không hủy được"):
        client.cancel_order("A-P-1")


def test_the_feed_is_read_page_by_page_from_the_last_id(fake):
    client = connect(fake)
    create(client, "A-P-1")
    create(client, "A-D-2")
    fake.plan("A-D-2", "failed_attempt")
    while fake.advance_all():
        pass
    page = client.tracking(last_id=0, limit=3)
    assert [i.id for i in page.items] == [1, 2, 3] and page.last_id == 3
    rest = client.tracking(last_id=page.last_id, limit=100)
    codes = [(i.order_number, i.status_code) for i in page.items + rest.items]
    assert [c for n, c in codes if n == "A-P-1"] == ["1", "2", "3"]
    assert [c for n, c in codes if n == "A-D-2"] == ["1", "2", "5", "2", "3"]
    assert client.tracking(last_id=rest.last_id).items == []


def test_orders_move_on_by_themselves_every_step():
    with FakeCarrier(step_seconds=0.05) as moving:
        create(connect(moving), "A-P-1")
        deadline = time.monotonic() + 3
        while moving.orders["A-P-1"].status_code != "3" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [e["statusCode"] for e in moving.orders["A-P-1"].events] == ["1", "2", "3"]


def test_the_webhook_signature():
    body = b'{"id": 1}'
    good = signature("s3cret", "1700000000", body)
    assert verify("s3cret", "1700000000", good, body, now=1700000100, window=300) == ""
    assert verify("s3cret", "1700000000", good, b'{"id": 2}', now=1700000100, window=300) == (
        "bad_signature"
    )
    assert verify("s3cret", "1700000000", good, body, now=1700009999, window=300) == "stale"
    assert verify("s3cret", "", "", body, now=1700000100, window=300) == "unsigned"
    assert verify("", "1700000000", good, body, now=1700000100, window=300) == "unsigned"


@pytest.mark.parametrize(
    ("timestamp", "given", "why"),
    [
        ("1700000000", "é" * 64, "bad_signature"),  # latin-1 decoded header
        ("1700000000", "ｆ" * 64, "bad_signature"),
        ("9" * 400, "0" * 64, "unsigned"),  # would overflow a float comparison
        ("1" * 13, "0" * 64, "unsigned"),
        ("١٧٠٠٠٠٠٠٠٠", "0" * 64, "unsigned"),  # digits to int(), not Unix seconds
        ("-1700000000", "0" * 64, "unsigned"),
    ],
)
def test_a_malformed_signature_header_is_refused_not_an_error(timestamp, given, why):
    body = b'{"id": 1}'
    assert verify("s3cret", timestamp, given, body, now=1700000100, window=300) == why


@given(timestamp=st.text(max_size=500), given_signature=st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_headers_get_a_refusal_never_an_exception(timestamp, given_signature):
    why = verify("s3cret", timestamp, given_signature, b"{}", now=1700000100, window=300)
    assert why in ("unsigned", "stale", "bad_signature")
