"""Home visits end to end through the actions (docs/appointments.md): publishing (overlaps
refused), reminders due at the right moments and sent once, reschedule by token, the visit's
outcome, a dossier received at home through ``receive_dossier``, a result returned at home."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from motcua.appointments.actions import Address, Contact, book_appointment, cancel_appointment
from motcua.appointments.models import (
    Appointment,
    AppointmentReminder,
    AppointmentStatus,
    ReminderStatus,
    Slot,
    SlotKind,
    VisitOutcome,
)
from motcua.appointments.publishing import Plan, publish_availability
from motcua.appointments.reminders import send_due_reminders
from motcua.appointments.visits import (
    receive_at_visit,
    record_visit_outcome,
    reschedule_appointment,
    return_at_visit,
)
from motcua.core.actions import ActionError
from motcua.dossiers.actions.application import ReceivedDocument
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.status import DossierStatus
from motcua.dossiers.tests.fixtures import at, clock, ready, received
from motcua.notifications.delivery import drain
from motcua.notifications.models import Notification, NotificationKind
from motcua.notifications.sealed import PLACEHOLDER
from motcua.org.models import Agency, Membership, Role

pytestmark = pytest.mark.django_db
__all__ = ["received"]  # the fixture, used below

HOA = Contact(name="Nguyễn Thị Hoa", phone="0912 345 678", email="hoa@example.vn")


@pytest.fixture(autouse=True)
def _sms_on(settings: Any) -> None:
    settings.SMS_ENABLED = True


@pytest.fixture
def agency(clerk_binh: Any) -> Agency:
    return Membership.objects.get(user=clerk_binh, role=Role.RECEPTIONIST).agency


def plan(agency: Agency, ward: Any, officer: Any, **kw: Any) -> Plan:
    values: dict[str, Any] = {
        "agency": agency,
        "first_day": dt.date(2026, 12, 2),
        "last_day": dt.date(2026, 12, 8),
        "day_start": dt.time(8, 0),
        "day_end": dt.time(11, 0),
        "slot_minutes": 45,
        "travel_minutes": 15,
        "capacity": 1,
        "units": [ward],
        "officer": officer,
    }
    values.update(kw)
    return Plan(**values)


def book(slot: Slot, procedure: Any, address: Address, **kw: Any) -> Any:
    kw.setdefault("purpose", "submit")
    kw.setdefault("channel", "portal")
    kw.setdefault("contact", HOA)
    return book_appointment(slot=slot, procedure=procedure, address=address, **kw)


# ---- publishing ---------------------------------------------------------------------------


def test_an_officer_publishes_slots_on_working_days_only(now, agency, ward, clerk_binh):
    slots = publish_availability(plan=plan(agency, ward, clerk_binh), actor=clerk_binh)
    # Wed 2 → Tue 8 December: five working days (Sat 5 and Sun 6 off); 08:00–11:00 in
    # 45 minutes + 15 of travel: 08:00, 09:00, 10:00.
    days = sorted({s.start.astimezone(at(2026, 1, 1).tzinfo).date() for s in slots})
    assert days == [dt.date(2026, 12, d) for d in (2, 3, 4, 7, 8)]
    assert len(slots) == 15
    first = Slot.objects.filter(officer=clerk_binh).order_by("start").first()
    assert first is not None
    assert (first.start, first.end) == (at(2026, 12, 2, 8, 0), at(2026, 12, 2, 8, 45))
    assert first.kind == SlotKind.HOME and first.travel_minutes == 15
    assert list(first.units.all()) == [ward]
    assert first.created_by == clerk_binh


def test_overlapping_slots_are_refused_whole(now, agency, ward, clerk_binh):
    publish_availability(plan=plan(agency, ward, clerk_binh), actor=clerk_binh)
    before = Slot.objects.count()
    with pytest.raises(ActionError) as excinfo:
        publish_availability(
            plan=plan(
                agency,
                ward,
                clerk_binh,
                first_day=dt.date(2026, 12, 8),
                last_day=dt.date(2026, 12, 9),
                day_start=dt.time(10, 50),
                day_end=dt.time(12, 0),
            ),
            actor=clerk_binh,
        )
    assert excinfo.value.code == "overlap"
    assert "trùng" in excinfo.value.message
    assert Slot.objects.count() == before  # not even the 9th's slots


def test_publishing_for_another_officer_needs_their_leader(now, agency, ward, clerk_binh):
    leader = Membership.objects.filter(role=Role.LEADER).exclude(agency=agency).first()
    assert leader is not None
    with pytest.raises(ActionError) as excinfo:
        publish_availability(plan=plan(agency, ward, clerk_binh), actor=leader.user)
    assert excinfo.value.status == 403
    # The leader of its own agency publishes a team's slots there.
    team = publish_availability(
        plan=plan(leader.agency, ward, None, team="Tổ lưu động số 1"), actor=leader.user
    )
    assert team and all(s.team == "Tổ lưu động số 1" and s.officer is None for s in team)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"slot_minutes": 5}, "bad_slot_minutes"),
        ({"capacity": 0}, "bad_capacity"),
        ({"day_end": dt.time(7, 0)}, "bad_hours"),
        ({"units": []}, "units_required"),
        ({"first_day": dt.date(2026, 11, 30)}, "past_days"),
        ({"first_day": dt.date(2026, 12, 5), "last_day": dt.date(2026, 12, 6)}, "no_slots"),
    ],
)
def test_bad_plans_are_refused_with_a_clear_error(now, agency, ward, clerk_binh, change, code):
    with pytest.raises(ActionError) as excinfo:
        publish_availability(plan=plan(agency, ward, clerk_binh, **change), actor=clerk_binh)
    assert (excinfo.value.code, excinfo.value.status) == (code, 422)
    assert not Slot.objects.filter(officer=clerk_binh).exists()


# ---- confirmation and reminders -------------------------------------------------------------


@pytest.fixture
def thursday(ward: Any, clerk_binh: Any) -> Slot:
    slot = Slot.objects.create(
        kind=SlotKind.HOME,
        start=at(2026, 12, 3, 9, 0),
        end=at(2026, 12, 3, 10, 0),
        officer=clerk_binh,
    )
    slot.units.add(ward)
    return slot


def test_booking_confirms_with_a_sealed_link_and_schedules_two_reminders(
    now, thursday, procedure, home_address
):
    booking = book(thursday, procedure, home_address)
    appointment = booking.appointment
    confirmations = Notification.objects.filter(kind=NotificationKind.APPOINTMENT_CONFIRMED)
    assert {n.channel for n in confirmations} == {"email", "sms"}
    for row in confirmations:
        # No personal data and no token in clear: the link is sealed.
        assert PLACEHOLDER in row.body and booking.cancel_token not in row.body
        assert "Nguyễn Huệ" not in row.body and "345" not in row.body
        assert row.sealed_secret
    reminders = {r.kind: r.due_at for r in appointment.reminders.all()}
    assert reminders == {
        "day_before": at(2026, 12, 2, 9, 0),
        "two_hours": at(2026, 12, 3, 7, 0),
    }


def test_reminders_go_out_at_their_moments_once(now, thursday, procedure, home_address):
    appointment = book(thursday, procedure, home_address).appointment
    reminders = Notification.objects.filter(kind=NotificationKind.APPOINTMENT_REMINDER)
    with clock(at(2026, 12, 2, 8, 59)):
        assert send_due_reminders() == 0
    with clock(at(2026, 12, 2, 9, 0)):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0  # a second run sends nothing more
    assert reminders.count() == 2  # email and SMS
    assert "09:00 ngày 03/12/2026" in reminders.get(channel="email").subject
    with clock(at(2026, 12, 3, 7, 30)):
        assert send_due_reminders() == 1
    assert reminders.count() == 4
    statuses = set(appointment.reminders.values_list("status", flat=True))
    assert statuses == {ReminderStatus.SENT}


def test_the_reminder_reaches_the_mailbox(now, thursday, procedure, home_address):
    """The outbox's rows are sent by its drain (the test's email backend is Django's
    in-memory one: ``mail.outbox``)."""
    book(thursday, procedure, home_address)
    mail.outbox.clear()
    with clock(at(2026, 12, 2, 9, 0)):
        send_due_reminders()
        drain()
    subjects = [m.subject for m in mail.outbox]
    assert any(s.startswith("Nhắc lịch hẹn tại nhà số") for s in subjects), subjects


def test_a_cancel_drops_the_pending_reminders(now, thursday, procedure, home_address):
    booking = book(thursday, procedure, home_address)
    cancel_appointment(appointment=booking.appointment, token=booking.cancel_token)
    assert set(booking.appointment.reminders.values_list("status", flat=True)) == {"dropped"}
    with clock(at(2026, 12, 3, 8, 0)):
        assert send_due_reminders() == 0
    assert not Notification.objects.filter(kind=NotificationKind.APPOINTMENT_REMINDER).exists()


def test_a_late_booking_has_only_the_reminders_still_ahead(now, home_slot, procedure, home_address):
    # Wednesday 08:00, booked Tuesday 08:00: the day-before reminder would be now.
    appointment = book(home_slot, procedure, home_address).appointment
    assert list(appointment.reminders.values_list("kind", flat=True)) == ["two_hours"]


# ---- reschedule by token --------------------------------------------------------------------


def test_reschedule_moves_the_place_the_reminders_and_renews_the_token(
    now, home_slot, thursday, procedure, home_address
):
    booking = book(home_slot, procedure, home_address)
    moved = reschedule_appointment(
        appointment=booking.appointment, slot=thursday, token=booking.cancel_token
    )
    appointment = Appointment.objects.get(pk=booking.appointment.pk)
    assert appointment.slot == thursday
    home_slot.refresh_from_db()
    thursday.refresh_from_db()
    assert (home_slot.booked, thursday.booked) == (0, 1)
    assert moved.cancel_token != booking.cancel_token
    reminders = {r.kind: r.due_at for r in appointment.reminders.filter(status="pending")}
    assert reminders == {"day_before": at(2026, 12, 2, 9, 0), "two_hours": at(2026, 12, 3, 7, 0)}
    assert Notification.objects.filter(kind="appointment_confirmed", channel="sms").count() == 2
    # The old link is dead.
    with pytest.raises(ActionError):
        cancel_appointment(appointment=appointment, token=booking.cancel_token)


@pytest.mark.parametrize("token", ["", "forged-token", "x" * 43])
def test_reschedule_with_a_bad_token_changes_nothing(
    now, home_slot, thursday, procedure, home_address, token
):
    booking = book(home_slot, procedure, home_address)
    with pytest.raises(ActionError) as excinfo:
        reschedule_appointment(appointment=booking.appointment, slot=thursday, token=token)
    assert (excinfo.value.code, excinfo.value.status) == ("not_found", 404)
    appointment = Appointment.objects.get(pk=booking.appointment.pk)
    assert appointment.slot == home_slot
    thursday.refresh_from_db()
    assert thursday.booked == 0


def test_reschedule_to_a_full_or_foreign_slot_is_refused(
    now, home_slot, thursday, procedure, home_address, ward, clerk_binh
):
    booking = book(home_slot, procedure, home_address)
    book(thursday, procedure, home_address, contact=Contact("Trần Văn Nam", "0987654321"))
    with pytest.raises(ActionError) as excinfo:
        reschedule_appointment(
            appointment=booking.appointment, slot=thursday, token=booking.cancel_token
        )
    assert excinfo.value.code == "slot_full"
    elsewhere = Slot.objects.create(
        kind=SlotKind.HOME, start=at(2026, 12, 4, 9), end=at(2026, 12, 4, 10), officer=clerk_binh
    )
    with pytest.raises(ActionError) as excinfo:
        reschedule_appointment(
            appointment=booking.appointment, slot=elsewhere, token=booking.cancel_token
        )
    assert excinfo.value.code == "unit_not_served"
    home_slot.refresh_from_db()
    assert home_slot.booked == 1


# ---- the visit's outcome, reception and return at home ---------------------------------------


def test_the_officer_records_an_absence_once(now, home_slot, procedure, home_address, clerk_binh):
    appointment = book(home_slot, procedure, home_address).appointment
    with pytest.raises(ActionError) as excinfo:
        record_visit_outcome(appointment=appointment, outcome="no_show", actor=clerk_binh)
    assert excinfo.value.code == "too_early"
    with clock(at(2026, 12, 2, 8, 20)):
        outcome = record_visit_outcome(
            appointment=appointment, outcome="no_show", actor=clerk_binh, note="Gọi không nghe"
        )
        with pytest.raises(ActionError) as excinfo:
            record_visit_outcome(appointment=appointment, outcome="done", actor=clerk_binh)
    assert excinfo.value.code == "already_recorded"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert outcome.note == "Gọi không nghe"
    assert set(appointment.reminders.values_list("status", flat=True)) == {"dropped"}


def test_only_the_visiting_officer_records(now, home_slot, procedure, home_address, specialist_chi):
    appointment = book(home_slot, procedure, home_address).appointment
    with clock(at(2026, 12, 2, 8, 20)), pytest.raises(ActionError) as excinfo:
        record_visit_outcome(appointment=appointment, outcome="done", actor=specialist_chi)
    assert excinfo.value.status == 404
    assert not VisitOutcome.objects.exists()


def test_a_dossier_received_at_home_goes_through_reception(
    now, home_slot, procedure, home_address, clerk_binh
):
    appointment = book(home_slot, procedure, home_address).appointment
    with clock(at(2026, 12, 2, 8, 15)):
        dossier = receive_at_visit(
            appointment=appointment,
            officer=clerk_binh,
            documents=[ReceivedDocument("Tờ khai", originals=1)],
            note="Đủ giấy tờ",
        )
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.origin_appointment == appointment.pk
    assert dossier.applicant_name == "Nguyễn Thị Hoa"
    assert dossier.applicant_address.startswith("12 Nguyễn Huệ")
    assert dossier.created_by == clerk_binh
    assert dossier.due_at is not None  # the clock runs, as at any desk
    event = DossierEvent.objects.get(dossier=dossier, kind="receive")
    assert event.data["origin_appointment"] == appointment.pk
    # Form 01's notice (receipt) went to the applicant as at any desk.
    assert Notification.objects.filter(dossier=dossier, kind=NotificationKind.RECEIPT).exists()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    assert appointment.dossier == dossier
    assert appointment.outcome.dossier == dossier


def test_a_result_returned_at_home(now, ward, clerk_binh, procedure, received):
    dossier = ready(received())
    slot = Slot.objects.create(
        kind=SlotKind.HOME, start=at(2026, 12, 2, 14), end=at(2026, 12, 2, 15), officer=clerk_binh
    )
    slot.units.add(ward)
    appointment = book(
        slot,
        dossier.procedure,
        Address("12 Nguyễn Huệ", ward),
        purpose="receive_result",
        dossier=dossier,
        actor=clerk_binh,  # the clerk who received it at the centre
        channel="desk",
    ).appointment
    with clock(at(2026, 12, 2, 14, 10)):
        returned_dossier = return_at_visit(appointment=appointment, officer=clerk_binh)
    assert returned_dossier.status == DossierStatus.RETURNED
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    assert appointment.outcome.dossier == dossier


def test_no_two_reminders_of_a_kind(now, thursday, procedure, home_address):
    appointment = book(thursday, procedure, home_address).appointment
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentReminder.objects.create(
            appointment=appointment, kind="two_hours", due_at=at(2026, 12, 3, 7)
        )


def test_the_periodic_job_sends_what_is_due(now, thursday, procedure, home_address):
    book(thursday, procedure, home_address)
    out = StringIO()
    with clock(at(2026, 12, 2, 9, 0)):
        call_command("send_appointment_reminders", stdout=out)
        call_command("send_appointment_reminders", stdout=out)
    assert out.getvalue().split() == ["sent=1", "sent=0"]
