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
from motcua.dossiers.actions import (
    Applicant,
    Application,
    ReceivedDocument,
    forward_dossier,
    mark_result_ready,
    receive_dossier,
    return_result,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import next_step
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


def member(agency: Agency, role: str, desk: Desk | None = None) -> Any:
    """Someone with ``role`` at ``agency`` (and ``desk``): the demo's if it has one, else a
    new officer. The actions check the actor's role at each step, so tests act as the
    person whose step it is."""
    found = Membership.objects.filter(agency=agency, role=role, active=True)
    if desk is not None:
        found = found.filter(desk=desk)
    existing = found.select_related("user").order_by("pk").first()
    if existing is not None:
        return existing.user
    return make_user(f"{role}-{agency.pk}-{desk.pk if desk else 0}", agency, role, desk)


def receptionist(desk: Desk) -> Any:
    return member(desk.agency, Role.RECEPTIONIST, desk)


def holder(dossier: Dossier) -> Any:
    """The officer whose step the dossier is at now."""
    step = Dossier.objects.select_related("current_step__agency").get(pk=dossier.pk).current_step
    assert step is not None, f"{dossier.code} is at no step"
    desk = dossier.desk if step.role == Role.RECEPTIONIST else None
    if desk is not None and step.agency_id != desk.agency_id:
        desk = None
    return member(step.agency, step.role, desk)


def leader_of(agency: Agency) -> Any:
    return member(agency, Role.LEADER)


def to_deciding_step(dossier: Dossier) -> Dossier:
    """Forward the dossier, step by step, to the step that decides (each by its holder)."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    while next_step(list(dossier.steps.order_by("position"))) is not None:
        dossier = forward_dossier(dossier=dossier, officer=holder(dossier))
    return dossier


def ready(dossier: Dossier, **kw: Any) -> Dossier:
    """Walk the dossier through its workflow and record its result, as the agency would."""
    dossier = to_deciding_step(dossier)
    return mark_result_ready(dossier=dossier, officer=holder(dossier), **kw)


def returned(dossier: Dossier, **kw: Any) -> Dossier:
    """Ready, then handed back at the desk."""
    dossier = ready(dossier)
    return return_result(dossier=dossier, officer=holder(dossier), **kw)


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
