"""The postal service's personas and dossiers, on the demo province.

- ``an``: a citizen who submitted a Justice dossier online (status 1) on Monday 02/03/2026;
- ``justice_dossier``: a Department of Justice dossier received at the provincial centre;
- ``commune_dossier``: a birth registration received at the Cao Lãnh ward's desk, decided by
  the ward's people's committee;
- ``operator_ha`` (1022), ``postman_khoa`` (post office), ``commune_clerk`` (Cao Lãnh's desk).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.accounts.models import CitizenProfile
from motcua.devtools.fakes.carrier import (
    DEV_CUSTOMER_CODE,
    DEV_KEY,
    DEV_SECRET,
    DEV_WEBHOOK_SECRET,
    FakeCarrier,
)
from motcua.dossiers.actions import receive_dossier, submit_online
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import application, at, clock, receptionist
from motcua.org.models import Desk
from motcua.postal import carrier as postal_carrier
from motcua.postal.actions import Address, Contact

MONDAY = at(2026, 3, 2, 8, 0)
CAO_LANH = "29869"  # Phường Cao Lãnh (since 01/07/2025)


def home(unit_code: str = CAO_LANH) -> Address:
    return Address("12 Lý Thường Kiệt, khóm 3", unit_code)


def caller(phone: str = "0912345678") -> Contact:
    return Contact("Nguyễn Văn An", phone, "sau 17 giờ")


@pytest.fixture
def an(db: Any) -> Any:
    user = get_user_model().objects.create_user(username="cong_dan_an", first_name="An")
    CitizenProfile.objects.create(
        user=user, full_name="Nguyễn Văn An", phone="0912345678", verified_phone=True
    )
    return user


@pytest.fixture
def submitted(an: Any, centre: Desk) -> Dossier:
    with clock(MONDAY):
        return submit_online(
            application=application("1.000426", centre, channel="online"), citizen=an
        )


@pytest.fixture
def justice_dossier(received: Any) -> Dossier:
    return received()


@pytest.fixture
def commune_dossier(cao_lanh_desk: Desk) -> Dossier:
    with clock(MONDAY):
        return receive_dossier(
            application=application("2.000986", cao_lanh_desk),
            officer=receptionist(cao_lanh_desk),
            received_at=MONDAY,
        )


@pytest.fixture
def operator_ha(db: Any) -> Any:
    return get_user_model().objects.get(username="tongdai")


@pytest.fixture
def postman_khoa(db: Any) -> Any:
    return get_user_model().objects.get(username="buudien")


@pytest.fixture
def commune_clerk(cao_lanh_desk: Desk) -> Any:
    return receptionist(cao_lanh_desk)


# ---- the carrier (docs/postal.md "Carrier") ----------------------------------------------------

WEBHOOK = "/api/v1/postal/carrier-events"


@pytest.fixture
def carrier(db: Any, settings: Any) -> Iterator[FakeCarrier]:
    """The fake carrier over HTTP, the site switched on to it; its webhooks reach the site
    through Django's test client (same database, same transaction)."""

    def deliver(url: str, body: bytes, headers: Mapping[str, str]) -> int:
        extra = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        return (
            Client()
            .post(url, data=body, content_type="application/json", headers=extra)
            .status_code
        )

    with FakeCarrier(webhook_url=WEBHOOK, deliver=deliver) as fake:
        settings.CARRIER_ENABLED = True
        settings.CARRIER_BASE_URL = fake.base_url
        settings.CARRIER_CUSTOMER_CODE = DEV_CUSTOMER_CODE
        settings.CARRIER_KEY = DEV_KEY
        settings.CARRIER_SECRET = DEV_SECRET
        settings.CARRIER_WEBHOOK_SECRET = DEV_WEBHOOK_SECRET
        settings.CARRIER_TIMEOUT = 2
        postal_carrier._client = None
        yield fake
        postal_carrier._client = None
