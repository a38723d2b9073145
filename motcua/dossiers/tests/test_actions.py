"""Dossier actions one by one: guards, clocks, counters and the event chain."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.actions import (
    ActionError,
    accept_submission,
    apologise,
    complete_supplement,
    forward_dossier,
    record_payment,
    refuse_at_desk,
    request_payment,
    request_supplement,
    return_result,
    revoke_result,
    stop_processing,
    submit_online,
    withdraw_dossier,
)
from motcua.dossiers.counters import differences
from motcua.dossiers.models import AppendOnlyError, Dossier
from motcua.dossiers.tests.conftest import application, at, clock, leader_of, ready, receptionist
from motcua.org.models import Membership

pytestmark = pytest.mark.django_db


def test_codes_follow_the_agency_day_and_sequence(received):
    first = received()
    second = received()
    prefix = "000.00.02.H20-260302-"
    assert first.code == prefix + "0001"
    assert second.code == prefix + "0002"
    assert received(when=at(2026, 3, 3, 8, 0)).code.endswith("260303-0001")


def test_reception_outside_hours_counts_from_the_next_morning(received):
    # Friday 06/03/2026 17:01: counting starts Monday 09/03 07:00; 5 working days → Monday
    # 16/03 07:00 is reached at the end of Friday 13/03 17:00.
    dossier = received(when=at(2026, 3, 6, 17, 1))
    assert dossier.due_at == at(2026, 3, 13, 17, 0)


def test_a_commune_procedure_received_in_another_commune_is_cross_boundary():
    from dataclasses import replace

    from motcua.dossiers.actions import receive_dossier
    from motcua.org.models import Agency, Desk

    my_tho = Desk.objects.get(name="Trung tâm Phục vụ hành chính công phường Mỹ Tho")
    cao_lanh = Agency.objects.get(name="Ủy ban nhân dân phường Cao Lãnh")
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = receive_dossier(
            application=replace(application("1.003583", my_tho), competent_agency=cao_lanh),
            officer=receptionist(my_tho),
        )
    assert dossier.cross_boundary is True
    assert dossier.competent_agency == cao_lanh
    assert dossier.code.startswith(my_tho.agency.code)


def test_a_commune_procedure_at_the_provincial_centre_needs_the_commune(centre, clerk_binh):
    from motcua.dossiers.actions import receive_dossier

    with pytest.raises(ActionError) as refused:
        receive_dossier(application=application("1.003583", centre), officer=clerk_binh)
    assert refused.value.code == "no_competent_agency"


def test_supplement_pauses_and_moves_the_due_moment(received, clerk_binh, specialist_chi):
    dossier = received()  # due Monday 09/03 08:00
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 3, 8, 0)):
        dossier = request_supplement(
            dossier=dossier, officer=specialist_chi, reason="Thiếu", items=["Bản sao CCCD"]
        )
    with pytest.raises(ActionError), clock(at(2026, 3, 3, 9, 0)):
        forward_dossier(dossier=dossier, officer=specialist_chi)
    with clock(at(2026, 3, 4, 8, 0)):
        dossier = complete_supplement(dossier=dossier, officer=clerk_binh)
    # One working day paused → due Tuesday 10/03 08:00.
    assert dossier.paused_seconds == 8 * 3600
    assert dossier.due_at == at(2026, 3, 10, 8, 0)
    supplement = dossier.supplements.get()
    assert supplement.due_before == at(2026, 3, 9, 8, 0)
    assert supplement.due_after == at(2026, 3, 10, 8, 0)


def test_payment_requested_then_recorded_once(received, clerk_binh, specialist_chi):
    dossier = received(code="1.000688")
    assert dossier.fee_total_vnd > 0
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
        dossier = request_payment(dossier=dossier, officer=specialist_chi)
    assert dossier.national_status == 6
    with clock(at(2026, 3, 2, 10, 0)):
        dossier = record_payment(
            dossier=dossier, officer=None, amount_vnd=dossier.fee_total_vnd, reference="VNP-1"
        )
        again = record_payment(
            dossier=dossier, officer=None, amount_vnd=dossier.fee_total_vnd, reference="VNP-1"
        )
    assert dossier.national_status == 4
    assert again.payments.count() == 1
    assert again.paid_vnd == dossier.fee_total_vnd


def test_apology_sets_a_new_date_and_the_dossier_stays_late(received, clerk_binh, specialist_chi):
    dossier = received()
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 9, 9, 0)):
        dossier = apologise(
            dossier=dossier,
            officer=specialist_chi,
            reason="Cần xác minh thêm",
            new_due_at=at(2026, 3, 12, 17, 0),
        )
    assert dossier.due_at == at(2026, 3, 12, 17, 0)
    with clock(at(2026, 3, 10, 9, 0)):
        dossier = ready(dossier)
    assert dossier.outcome == "late"


def test_apology_must_move_the_date_later(received, clerk_binh, specialist_chi):
    dossier = received()
    with clock(at(2026, 3, 3, 9, 0)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 3, 9, 0)), pytest.raises(ActionError) as refused:
        apologise(dossier=dossier, officer=specialist_chi, reason="x", new_due_at=at(2026, 3, 5))
    assert refused.value.status == 422


def test_finishing_late_is_late_and_early_is_early(received):
    late = received()
    early = received()
    with clock(at(2026, 3, 10, 9, 0)):
        assert ready(late).outcome == "late"
    with clock(at(2026, 3, 5, 9, 0)):
        assert ready(early).outcome == "early"


def test_online_submission_is_received_or_refused(centre, clerk_binh):
    with clock(at(2026, 3, 2, 20, 0)):
        submitted = submit_online(application=application("1.000426", centre, channel="online"))
    assert submitted.national_status == 1
    assert submitted.due_at is None
    with clock(at(2026, 3, 3, 8, 0)):
        received = accept_submission(dossier=submitted, officer=clerk_binh)
    assert received.due_at == at(2026, 3, 10, 8, 0)
    with clock(at(2026, 3, 3, 9, 0)):
        other = submit_online(application=application("1.000426", centre, channel="online"))
        from motcua.dossiers.actions import refuse_submission

        refused = refuse_submission(dossier=other, officer=clerk_binh, reason="Sai thủ tục")
    assert refused.national_status == 3


def test_refusal_at_the_desk_keeps_a_record(centre, clerk_binh):
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = refuse_at_desk(
            application=application("1.000426", centre),
            officer=clerk_binh,
            reason="Không thuộc thẩm quyền",
        )
    assert dossier.national_status == 3
    assert dossier.events.get().data["reason"] == "Không thuộc thẩm quyền"


def test_stop_withdraw_and_revoke(received, clerk_binh, specialist_chi, justice):
    with clock(at(2026, 3, 2, 9, 0)):
        at_justice = forward_dossier(dossier=received(), officer=clerk_binh)
        stopped = stop_processing(dossier=at_justice, officer=specialist_chi, reason="Hết hiệu lực")
        withdrawn = withdraw_dossier(dossier=received(), officer=clerk_binh, reason="Xin rút")
        done = ready(received())
        done = return_result(dossier=done, officer=clerk_binh, channel="postal")
        revoked = revoke_result(dossier=done, officer=leader_of(justice), reason="Sai thông tin")
    assert (stopped.national_status, withdrawn.national_status) == (8, 7)
    assert done.returned_via == "postal"
    assert revoked.national_status == 10 and revoked.status == "revoked"
    assert differences() == []


def test_missing_reason_changes_nothing(received, specialist_chi):
    dossier = received()
    with pytest.raises(ActionError) as refused:
        stop_processing(dossier=dossier, officer=specialist_chi, reason="  ")
    assert refused.value.status == 422
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
    assert dossier.events.count() == 1


def test_events_cannot_be_changed_or_deleted(received):
    event = received().events.get()
    event.kind = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_counters_agree_with_a_recount(received, clerk_binh):
    dossiers = [received() for _ in range(3)]
    with clock(at(2026, 3, 3, 9, 0)):
        forward_dossier(dossier=dossiers[0], officer=clerk_binh)
        ready(dossiers[1])
    assert differences() == []


def test_receiving_at_a_desk_that_does_not_take_the_procedure_is_refused():
    from motcua.dossiers.actions import receive_dossier
    from motcua.org.models import Desk, DeskKind

    post_office = Desk.objects.get(kind=DeskKind.POST_OFFICE)
    postal_officer = Membership.objects.get(desk=post_office).user
    with pytest.raises(ActionError) as refused:
        receive_dossier(application=application("1.000426", post_office), officer=postal_officer)
    assert refused.value.code == "procedure_not_accepted_here"
    assert not Dossier.objects.filter(desk=post_office).exists()


def test_times_are_stored_as_given(received):
    dossier = received(when=at(2026, 3, 2, 8, 0))
    assert dossier.received_at == dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def test_a_pause_of_no_working_time_keeps_the_due_moment(received, clerk_binh, specialist_chi):
    # Received Tuesday 01/12/2026 17:00: due after 5 working days, Tuesday 08/12 17:00.
    dossier = received(when=at(2026, 12, 1, 17, 0))
    assert dossier.due_at == at(2026, 12, 8, 17, 0)
    with clock(at(2026, 12, 8, 17, 10)):
        dossier = forward_dossier(dossier=dossier, officer=clerk_binh)
    step_due = dossier.current_step.due_at
    with clock(at(2026, 12, 8, 17, 20)):
        dossier = request_supplement(
            dossier=dossier, officer=specialist_chi, reason="Thiếu", items=["Bản sao CCCD"]
        )
    with clock(at(2026, 12, 8, 17, 40)):
        dossier = complete_supplement(dossier=dossier, officer=clerk_binh)
    # Nothing of working time was paused: the appointment stays 08/12 17:00, not the same
    # working instant shown a day later (09/12 07:00).
    assert dossier.paused_seconds == 0
    assert dossier.due_at == at(2026, 12, 8, 17, 0)
    assert dossier.current_step.due_at == step_due
