"""Dossier fixtures and helpers, shared by every app's tests (loaded from the root conftest).

Times are fixed with time_machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model

from motcua.catalog.models import Procedure
from motcua.catalog.workflow import StepSpec, publish_template
from motcua.dossiers.actions import Applicant, Application, ReceivedDocument, receive_dossier
from motcua.org.models import Agency, Desk, DeskKind, Membership, Role

TZ = dt.timezone(dt.timedelta(hours=7))


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=False):
        yield


def make_user(username: str, agency: Agency, role: str, desk: Desk | None = None) -> Any:
    user = get_user_model().objects.create_user(username=username, first_name=username)
    Membership.objects.create(user=user, agency=agency, role=role, desk=desk)
    return user


@pytest.fixture
def centre(db: Any) -> Desk:
    return Desk.objects.get(kind=DeskKind.CENTRE)


@pytest.fixture
def cao_lanh_desk(db: Any) -> Desk:
    return Desk.objects.get(name="Trung tâm Phục vụ hành chính công phường Cao Lãnh")


@pytest.fixture
def police(db: Any) -> Agency:
    return Agency.objects.get(name="Công an tỉnh Đồng Tháp")


@pytest.fixture
def insurance(db: Any) -> Agency:
    return Agency.objects.get(name="Bảo hiểm xã hội tỉnh Đồng Tháp")


@pytest.fixture
def justice(db: Any) -> Agency:
    return Agency.objects.get(name="Sở Tư pháp")


def application(
    procedure: str, desk: Desk, *, channel: str = "direct", **applicant: str
) -> Application:
    return Application(
        procedure=Procedure.objects.get(code=procedure),
        desk=desk,
        channel=channel,
        applicant=Applicant(
            kind=applicant.get("kind", "citizen"),
            name=applicant.get("name", "Nguyễn Văn An"),
            id_number=applicant.get("id_number", "087090001234"),
            phone=applicant.get("phone", "0912345678"),
            email=applicant.get("email", "an@example.vn"),
            address=applicant.get("address", "12 Lý Thường Kiệt, phường Cao Lãnh"),
        ),
        documents=[ReceivedDocument("Tờ khai", originals=1)],
    )


@pytest.fixture
def birth_workflow(police: Agency, insurance: Agency) -> Procedure:
    """2.000986: birth (commune) → permanent residence (police) → health insurance card
    (social insurance) → return at the commune, as the province draws it."""
    procedure = Procedure.objects.get(code="2.000986")
    publish_template(
        procedure=procedure,
        steps=[
            StepSpec("Tiếp nhận hồ sơ", Role.RECEPTIONIST, Decimal(4)),
            StepSpec("Đăng ký khai sinh", Role.SPECIALIST, Decimal(8)),
            StepSpec("Đăng ký thường trú", Role.SPECIALIST, Decimal(24), police),
            StepSpec("Cấp thẻ bảo hiểm y tế", Role.SPECIALIST, Decimal(24), insurance),
            StepSpec("Trả kết quả", Role.RECEPTIONIST, Decimal(4)),
        ],
    )
    return procedure


@pytest.fixture
def received(centre: Desk, clerk_binh: Any) -> Any:
    """A Department of Justice dossier (1.000426: 5 working days, no fee) received
    Monday 02/03/2026 08:00 at the provincial centre."""

    def make(code: str = "1.000426", when: dt.datetime | None = None, **kw: str) -> Any:
        moment = when or at(2026, 3, 2, 8, 0)
        with clock(moment):
            return receive_dossier(
                application=application(code, centre, **kw), officer=clerk_binh, received_at=moment
            )

    return make
