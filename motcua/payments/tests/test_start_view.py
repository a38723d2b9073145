"""/thanh-toan/<code>/bat-dau/: the signed link or a staff login; anyone else gets 404."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from motcua.dossiers.tests.fixtures import at, clock
from motcua.payments.links import payment_link, payment_token
from motcua.payments.tests.conftest import GATEWAY_URL

pytestmark = pytest.mark.django_db


def url_of(dossier):
    return reverse("payments:start", args=[dossier.code])


def test_the_signed_link_shows_what_is_owed_and_pays(client, gateway, awaiting, settings):
    link = payment_link(awaiting)
    assert link.startswith(f"{settings.MOTCUA_PUBLIC_URL}{url_of(awaiting)}?t=")
    token = dict(parse_qsl(urlsplit(link).query))["t"]

    page = client.get(url_of(awaiting), {"t": token})
    assert page.status_code == 200
    assert f"{awaiting.fee_total_vnd:,}".replace(",", ".") + " đồng" in page.text
    assert "Thanh toán qua VNPAY" in page.text

    with clock(at(2026, 3, 2, 9, 30)):
        sent = client.post(url_of(awaiting), {"t": token}, REMOTE_ADDR="203.0.113.9")
    assert sent.status_code == 302
    assert sent["Location"].startswith(f"{GATEWAY_URL}?")
    query = dict(parse_qsl(urlsplit(sent["Location"]).query))
    assert query["vnp_IpAddr"] == "203.0.113.9"
    assert query["vnp_ReturnUrl"] == "http://testserver/thanh-toan/vnpay/ket-qua/"
    assert awaiting.payment_transactions.count() == 1


def test_a_double_click_opens_one_transaction(client, gateway, awaiting):
    token = payment_token(awaiting)
    with clock(at(2026, 3, 2, 9, 30)):
        first = client.post(url_of(awaiting), {"t": token})
        second = client.post(url_of(awaiting), {"t": token})
    assert first["Location"] == second["Location"]
    assert awaiting.payment_transactions.count() == 1


def test_someone_elses_code_with_a_valid_token_is_not_found(client, gateway, awaiting, received):
    other = received(code="1.000688", name="Trần Thị Bình")
    token = payment_token(awaiting)
    assert client.get(url_of(other), {"t": token}).status_code == 404
    assert client.post(url_of(other), {"t": token}).status_code == 404
    assert not other.payment_transactions.exists()


@pytest.mark.parametrize("token", ["", "forged", "eyJkIjoxfQ:1abc:xyz"])
def test_without_a_valid_token_the_public_gets_not_found(client, gateway, awaiting, token):
    assert client.get(url_of(awaiting), {"t": token}).status_code == 404
    assert client.post(url_of(awaiting), {"t": token}).status_code == 404


def test_an_expired_link_is_not_found(client, gateway, awaiting):
    with clock(at(2026, 1, 2, 9, 0)):
        token = payment_token(awaiting)
    with clock(at(2026, 3, 2, 9, 30)):
        assert client.get(url_of(awaiting), {"t": token}).status_code == 404


def test_staff_who_see_the_dossier_may_start_it(client, gateway, awaiting, specialist_chi):
    client.force_login(specialist_chi)
    with clock(at(2026, 3, 2, 9, 30)):
        sent = client.post(url_of(awaiting))
    assert sent.status_code == 302 and sent["Location"].startswith(GATEWAY_URL)


def test_a_refusal_is_shown_on_the_page(client, gateway, received):
    dossier = received(code="1.000688")  # not awaiting payment
    page = client.post(url_of(dossier), {"t": payment_token(dossier)})
    assert page.status_code == 409
    assert "không ở trạng thái chờ nộp" in page.text
    assert not dossier.payment_transactions.exists()
