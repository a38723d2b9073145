"""A real inter-agency dossier: 2.000986 (birth, permanent residence and health insurance for
a child under 6) from a commune desk through the police and social insurance and back, with a
supplement request in the middle. Every due moment is checked against a fixed datetime."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from motcua.dossiers.actions import (
    complete_supplement,
    forward_dossier,
    mark_result_ready,
    receive_dossier,
    request_supplement,
    return_result,
)
from motcua.dossiers.audit import verify_chain
from motcua.dossiers.models import DailyCounter, OpenCounter
from motcua.dossiers.tests.conftest import application, at, clock, make_user
from motcua.org.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_birth_residence_insurance_from_a_commune_and_back(
    birth_workflow, cao_lanh_desk, police, insurance
):
    commune = cao_lanh_desk.agency
    clerk = make_user("clerk_cl", commune, Role.RECEPTIONIST, cao_lanh_desk)
    registrar = make_user("registrar_cl", commune, Role.SPECIALIST)
    officer_police = make_user("police_officer", police, Role.SPECIALIST)
    officer_bhxh = make_user("bhxh_officer", insurance, Role.SPECIALIST)

    # Monday 02/03/2026 08:00 at the commune desk. 20 calendar days → Sunday 22/03 08:00,
    # not a working day → the next working period: Monday 23/03 07:00.
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = receive_dossier(application=application("2.000986", cao_lanh_desk), officer=clerk)
    assert dossier.code.startswith(f"{commune.code}-260302-")
    assert dossier.competent_agency == commune
    assert dossier.due_at == at(2026, 3, 23, 7, 0)
    assert dossier.national_status == 2

    # 10:00 to the commune registrar: reception took 2 h of its 4 → on time;
    # registration has 8 working hours → Tuesday 03/03 10:00.
    with clock(at(2026, 3, 2, 10, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk)
    registration = dossier.current_step
    assert registration.due_at == at(2026, 3, 3, 10, 0)
    assert dossier.national_status == 4

    # Tuesday 09:00 to the police: 24 working hours = 6 h Tuesday + 8 Wed + 8 Thu + 2 Fri.
    with clock(at(2026, 3, 3, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=registrar)
    residence = dossier.current_step
    assert dossier.current_agency == police
    assert residence.due_at == at(2026, 3, 6, 9, 0)

    # Wednesday 14:00 the police ask for a supplement; it comes Monday 09/03 14:00.
    # Paused working time: 3 h Wed + 8 Thu + 8 Fri + 5 Mon = 24 h.
    with clock(at(2026, 3, 4, 14, 0)):
        dossier = request_supplement(
            dossier=dossier,
            officer=officer_police,
            reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp",
            items=["Hợp đồng thuê nhà có công chứng"],
        )
    assert dossier.national_status == 5
    with clock(at(2026, 3, 9, 14, 0)):
        dossier = complete_supplement(dossier=dossier, officer=clerk)
    assert dossier.paused_seconds == 24 * 3600
    # The dossier's due moment moves by 24 working hours: Mon 23/03 07:00 → Wed 25/03 17:00.
    assert dossier.due_at == at(2026, 3, 25, 17, 0)
    residence.refresh_from_db()
    # The police step moves too: Fri 06/03 09:00 + 24 h → Wed 11/03 09:00.
    assert residence.due_at == at(2026, 3, 11, 9, 0)
    assert dossier.national_status == 4

    # Tuesday 10/03 10:00 to social insurance (a day before the police step's due day: early).
    with clock(at(2026, 3, 10, 10, 0)):
        dossier = forward_dossier(dossier=dossier, officer=officer_police)
    residence.refresh_from_db()
    assert residence.outcome == "early"
    card = dossier.current_step
    assert dossier.current_agency == insurance
    assert card.due_at == at(2026, 3, 13, 10, 0)

    # Thursday 12/03 15:00 the card is issued: the result is ready, back at the commune desk.
    with clock(at(2026, 3, 12, 15, 0)):
        dossier = mark_result_ready(dossier=dossier, officer=officer_bhxh)
    assert dossier.national_status == 9
    assert dossier.outcome == "early"
    assert dossier.current_agency == commune
    assert dossier.current_step.name == "Trả kết quả"

    with clock(at(2026, 3, 13, 8, 0)):
        dossier = return_result(dossier=dossier, officer=clerk)
    assert dossier.national_status == 10
    assert dossier.returned_via == "desk"

    steps = list(dossier.steps.order_by("position"))
    assert [s.agency for s in steps] == [commune, commune, police, insurance, commune]
    assert all(s.finished_at for s in steps)
    assert [e.kind for e in dossier.events.order_by("seq")] == [
        "receive",
        "forward",
        "forward",
        "request_supplement",
        "complete_supplement",
        "forward",
        "mark_result_ready",
        "return_result",
    ]
    assert verify_chain(dossier) == []

    counters = DailyCounter.objects.filter(procedure=dossier.procedure, agency=commune)
    assert counters.get(day=at(2026, 3, 2).date()).received_direct == 1
    assert counters.get(day=at(2026, 3, 12).date()).finished_early == 1
    assert counters.get(day=at(2026, 3, 13).date()).returned == 1
    open_now = OpenCounter.objects.get(procedure=dossier.procedure, agency=commune)
    assert (open_now.within_due, open_now.past_due) == (0, 0)
    call_command("verify_audit", verbosity=0)


def test_the_next_step_cannot_be_sent_where_its_holder_would_do_it_himself(
    birth_workflow, cao_lanh_desk, police
):
    """The police's step of the birth workflow is the police's: the commune registrar cannot
    send it to his own committee and do it himself (an auditor did, then decided alone)."""
    from motcua.dossiers.actions import ActionError

    commune = cao_lanh_desk.agency
    clerk = make_user("clerk_cl", commune, Role.RECEPTIONIST, cao_lanh_desk)
    registrar = make_user("registrar_cl", commune, Role.SPECIALIST)
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = receive_dossier(application=application("2.000986", cao_lanh_desk), officer=clerk)
        dossier = forward_dossier(dossier=dossier, officer=clerk)
    with clock(at(2026, 3, 2, 9, 0)), pytest.raises(ActionError) as refused:
        forward_dossier(dossier=dossier, officer=registrar, to_agency=commune)
    assert refused.value.status == 403  # only a leader redirects a step
    dossier.refresh_from_db()
    assert dossier.current_step.name == "Đăng ký khai sinh"


def test_a_leader_may_send_an_open_step_elsewhere_but_not_to_himself(received, clerk_binh):
    """The default workflow's steps take the competent agency: a leader holding a step may
    send the next one to another agency (recorded with the planned one), never to one where
    he could take it himself, and never a step the process fixes."""
    from decimal import Decimal

    from motcua.catalog.models import Procedure
    from motcua.catalog.workflow import StepSpec, publish_template
    from motcua.dossiers.actions import ActionError
    from motcua.org.models import Agency

    justice = Agency.objects.get(name="Sở Tư pháp")
    committee = Agency.objects.get(name="Ủy ban nhân dân tỉnh Đồng Tháp")
    publish_template(
        procedure=Procedure.objects.get(code="1.000426"),
        steps=[
            StepSpec("Tiếp nhận", Role.RECEPTIONIST, Decimal(2)),
            StepSpec("Cho ý kiến", Role.LEADER, Decimal(8)),
            StepSpec("Thẩm định", Role.SPECIALIST, Decimal(8)),
            StepSpec("Trả kết quả", Role.RECEPTIONIST, Decimal(2)),
        ],
    )
    leader = make_user("leader_tp", justice, Role.LEADER)
    # The same person also appraises at the provincial committee.
    Membership.objects.create(user=leader, agency=committee, role=Role.SPECIALIST)
    dossier = received()
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 2, 10, 0)), pytest.raises(ActionError) as refused:
        forward_dossier(dossier=dossier, officer=leader, to_agency=committee)
    assert refused.value.code == "redirect_to_self"
    police = Agency.objects.get(name="Công an tỉnh Đồng Tháp")
    with clock(at(2026, 3, 2, 10, 0)):
        moved = forward_dossier(dossier=dossier, officer=leader, to_agency=police)
    assert moved.current_agency == police
    event = moved.events.order_by("-seq").first()
    assert event.data["planned_agency"] == "Sở Tư pháp"
    assert event.data["to_agency"] == police.name
