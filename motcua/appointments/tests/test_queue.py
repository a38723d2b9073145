"""The desk queue's rules (docs/appointments.md "Desk queue"): one sequence per desk and day
for online and walk-in numbers, two numbers per person and day counted together, hours and
horizon, first come first served, no-shows and the day's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from motcua.accounts.profiles import profile_for
from motcua.appointments import queue
from motcua.appointments.actions import Contact, book_appointment
from motcua.appointments.models import (
    Appointment,
    AppointmentStatus,
    DeskQueue,
    QueueTicket,
    Slot,
    SlotKind,
    TicketState,
)
from motcua.appointments.queue_days import figures, open_days
from motcua.appointments.tests.queue_fixtures import HOA_ID, HOA_PHONE, TUESDAY_0800, windows
from motcua.catalog.models import Procedure
from motcua.core.actions import ActionError
from motcua.dossiers.tests.fixtures import at, clock

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 12, 1)
WEDNESDAY = dt.date(2026, 12, 2)


@pytest.fixture
def tuesday(db: Any) -> Any:
    with clock(TUESDAY_0800):
        yield TUESDAY_0800


def online(desk: Any, slot: Slot, who: Any, sector: Any = None) -> QueueTicket:
    profile = profile_for(who)
    assert profile is not None
    return queue.take_number(
        desk=desk,
        slot=slot,
        sector=sector,
        name=profile.full_name,
        phone=profile.phone,
        id_number=profile.id_number,
        actor=who,
    )


def test_windows_cover_the_desks_hours_on_working_days(centre, tuesday):
    made = windows(centre, WEDNESDAY)
    assert [(w.start, w.end, w.capacity) for w in made[:2]] == [
        (at(2026, 12, 2, 8, 0), at(2026, 12, 2, 9, 0), 12),
        (at(2026, 12, 2, 9, 0), at(2026, 12, 2, 10, 0), 12),
    ]
    assert len(made) == 8 and made[-1].end == at(2026, 12, 2, 16, 0)
    assert len(windows(centre, WEDNESDAY)) == 8  # made once
    assert windows(centre, dt.date(2026, 12, 5)) == []  # Saturday
    # Today and the working days of the next six: not the weekend, not Tuesday 08/12.
    assert open_days(centre, tuesday) == [
        TUESDAY,
        WEDNESDAY,
        dt.date(2026, 12, 3),
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 7),
    ]


def test_a_desks_own_hours_replace_the_defaults(centre, tuesday):
    DeskQueue.objects.create(
        desk=centre,
        opens=dt.time(7, 30),
        closes=dt.time(11, 30),
        window_minutes=120,
        numbers_per_window=3,
        horizon_days=1,
    )
    made = windows(centre, WEDNESDAY)
    assert [(w.start, w.end, w.capacity) for w in made] == [
        (at(2026, 12, 2, 7, 30), at(2026, 12, 2, 9, 30), 3),
        (at(2026, 12, 2, 9, 30), at(2026, 12, 2, 11, 30), 3),
    ]
    assert open_days(centre, tuesday) == [TUESDAY, WEDNESDAY]


def test_the_job_opens_the_horizon_and_the_public_api_lists_desk_windows(centre, tuesday, client):
    call_command("open_desk_queue", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Slot.objects.filter(kind=SlotKind.DESK, desk=centre).count() == 5 * 8
    response = client.get(f"/api/v1/appointments/slots?kind=desk&desk={centre.pk}&date=2026-12-02")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 8


def test_online_and_walk_in_numbers_share_one_sequence(centre, sector, hoa, lan, clerk_binh):
    with clock(at(2026, 12, 1, 8, 10)):
        first = queue.issue_walk_in(
            desk=centre, sector=None, phone="0901 234 567", actor=clerk_binh
        )
        nine = windows(centre, TUESDAY)[1]
        second = online(centre, nine, hoa, sector)
        third = online(centre, nine, lan, sector)
        fourth = queue.issue_walk_in(
            desk=centre, sector=sector, id_number="001090000001", actor=clerk_binh
        )
    assert [t.number for t in (first, second, third, fourth)] == [1, 2, 3, 4]
    assert first.walk_in and not second.walk_in
    # Five minutes a number (twelve an hour): the expected times follow the window's places.
    assert first.expected_at == at(2026, 12, 1, 8, 10)
    assert (second.expected_at, third.expected_at) == (at(2026, 12, 1, 9, 0), at(2026, 12, 1, 9, 5))
    nine.refresh_from_db()
    assert nine.booked == 2
    # A walk-in's phone is not kept: only its digest, for the daily limit.
    walk_in = first.appointment
    assert walk_in.contact_phone == "" and walk_in.channel == "desk"
    assert first.phone_digest and "0901234567" not in first.phone_digest
    assert second.appointment.booked_by == hoa and second.appointment.status == "booked"


def test_two_numbers_a_day_online_and_walk_in_together(centre, sector, hoa, clerk_binh):
    with clock(at(2026, 12, 1, 8, 10)):
        today = windows(centre, TUESDAY)
        online(centre, today[2], hoa, sector)  # known by phone and ID number
        # At the desk Hoa gives only her ID number: the online number links it to her phone.
        walk = queue.issue_walk_in(desk=centre, sector=None, id_number=HOA_ID, actor=clerk_binh)
        refused = []
        for attempt in (
            lambda: queue.issue_walk_in(
                desk=centre, sector=None, phone=HOA_PHONE, actor=clerk_binh
            ),
            lambda: queue.issue_walk_in(
                desk=centre, sector=None, id_number=HOA_ID, actor=clerk_binh
            ),
            lambda: online(centre, today[3], hoa, sector),
        ):
            with pytest.raises(ActionError) as exc:
                attempt()
            refused.append((exc.value.code, exc.value.status))
        # Another day is another count.
        tomorrow = online(centre, windows(centre, WEDNESDAY)[0], hoa, sector)
    assert refused == [("daily_limit", 409)] * 3
    assert walk.phone_digest and walk.id_digest
    assert tomorrow.number == 1
    assert QueueTicket.objects.filter(day=TUESDAY).count() == 2


def test_a_cancelled_number_frees_its_place_and_the_persons_count(centre, sector, hoa, tuesday):
    slot = windows(centre, WEDNESDAY)[0]
    first = online(centre, slot, hoa, sector)
    online(centre, slot, hoa, sector)
    queue.cancel_number(ticket=first, actor=hoa)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Appointment.objects.get(pk=first.appointment_id).status == AppointmentStatus.CANCELLED
    assert online(centre, slot, hoa, sector).number == 3  # numbers are not given twice


def test_outside_the_hours_and_the_horizon_refused_clearly(centre, sector, hoa, clerk_binh):
    with clock(at(2026, 12, 1, 7, 30)), pytest.raises(ActionError) as early:
        queue.issue_walk_in(desk=centre, sector=None, phone=HOA_PHONE, actor=clerk_binh)
    with clock(at(2026, 12, 1, 16, 0)), pytest.raises(ActionError) as late:
        queue.issue_walk_in(desk=centre, sector=None, phone=HOA_PHONE, actor=clerk_binh)
    assert (early.value.code, early.value.status) == ("outside_hours", 422)
    assert "08:00" in early.value.message and "16:00" in early.value.message
    assert late.value.code == "outside_hours"
    with clock(TUESDAY_0800):
        far = windows(centre, dt.date(2026, 12, 8))[0]
        evening = Slot.objects.create(
            kind=SlotKind.DESK,
            desk=centre,
            start=at(2026, 12, 2, 17, 0),
            end=at(2026, 12, 2, 18, 0),
            capacity=5,
        )
        saturday = Slot.objects.create(
            kind=SlotKind.DESK,
            desk=centre,
            start=at(2026, 12, 5, 8, 0),
            end=at(2026, 12, 5, 9, 0),
            capacity=5,
        )
        refused = {}
        for name, slot in (("far", far), ("evening", evening), ("saturday", saturday)):
            with pytest.raises(ActionError) as exc:
                online(centre, slot, hoa, sector)
            refused[name] = (exc.value.code, exc.value.status)
    assert refused == {
        "far": ("outside_horizon", 422),
        "evening": ("outside_hours", 422),
        "saturday": ("day_off", 422),
    }
    assert not QueueTicket.objects.exists()


def test_a_window_that_is_over_or_full(centre, sector, hoa, lan):
    DeskQueue.objects.create(desk=centre, numbers_per_window=1)
    with clock(at(2026, 12, 1, 9, 30)):
        past, current = windows(centre, TUESDAY)[:2]
        with pytest.raises(ActionError) as over:
            online(centre, past, hoa, sector)
        online(centre, current, hoa, sector)  # the window under way is still open
        with pytest.raises(ActionError) as full:
            online(centre, current, lan, sector)
    assert over.value.code == "window_over"
    assert (full.value.code, full.value.status) == ("slot_full", 409)


def test_bad_input_is_refused_without_writing(centre, sector, clerk_binh, tuesday):
    for kwargs, code in (
        ({}, "person_required"),
        ({"phone": "12"}, "bad_phone"),
        ({"id_number": "999999999999"}, "bad_id_number"),
        ({"phone": HOA_PHONE, "name": "x" * 201}, "name_too_long"),
    ):
        with pytest.raises(ActionError) as exc:
            queue.issue_walk_in(desk=centre, sector=None, actor=clerk_binh, **kwargs)
        assert (exc.value.code, exc.value.status) == (code, 422)
    assert not QueueTicket.objects.exists()


def test_only_the_desks_clerks_give_and_call_numbers(centre, hoa, specialist_chi, tuesday):
    for actor in (hoa, specialist_chi, None):
        with pytest.raises(ActionError) as exc:
            queue.issue_walk_in(desk=centre, sector=None, phone=HOA_PHONE, actor=actor)
        assert exc.value.status == 403
        with pytest.raises(ActionError):
            queue.call_next_number(desk=centre, counter="1", actor=actor)


def test_first_come_first_served_whoever_took_the_number(centre, sector, hoa, lan, clerk_binh):
    with clock(at(2026, 12, 1, 8, 5)):
        today = windows(centre, TUESDAY)
        early = online(centre, today[0], hoa, sector)  # 1
        later = online(centre, today[3], lan, sector)  # 2, from 11:00
        walk = queue.issue_walk_in(desk=centre, sector=None, phone="0901234567", actor=clerk_binh)
        assert walk.number == 3
        calls = [
            queue.call_next_number(desk=centre, counter="1", actor=clerk_binh),
            queue.call_next_number(desk=centre, counter="2", actor=clerk_binh),
            queue.call_next_number(desk=centre, counter="1", actor=clerk_binh),
        ]
    # Number 2's window has not begun: number 3 (a walk-in) comes before it; then nobody.
    assert [c.number if c else None for c in calls] == [early.number, walk.number, None]
    assert calls[0].state == TicketState.CALLED and calls[0].counter == "1"
    with clock(at(2026, 12, 1, 11, 0)):
        assert queue.call_next_number(desk=centre, counter="1", actor=clerk_binh).pk == later.pk


def test_a_sector_counter_calls_its_sector_and_any(centre, sector, hoa, clerk_binh, tuesday):
    other = type(sector).objects.exclude(pk=sector.pk).first()
    windows(centre, TUESDAY)
    mine = queue.issue_walk_in(desk=centre, sector=sector, phone="0901234567", actor=clerk_binh)
    called = queue.call_next_number(desk=centre, counter="3", sector=other, actor=clerk_binh)
    assert called is None
    assert (
        queue.call_next_number(desk=centre, counter="3", sector=sector, actor=clerk_binh).pk
        == mine.pk
    )


def test_served_no_show_and_the_days_figures(centre, sector, hoa, lan, clerk_binh):
    with clock(at(2026, 12, 1, 8, 0)):
        today = windows(centre, TUESDAY)
        online(centre, today[0], hoa, sector)
        online(centre, today[0], lan, sector)
        queue.issue_walk_in(desk=centre, sector=None, phone="0901234567", actor=clerk_binh)
        gone = queue.issue_walk_in(desk=centre, sector=None, phone="0901234568", actor=clerk_binh)
        queue.cancel_number(ticket=gone, actor=clerk_binh)
    with clock(at(2026, 12, 1, 8, 10)):
        served = queue.call_next_number(desk=centre, counter="1", actor=clerk_binh)
        queue.start_serving(ticket=served, actor=clerk_binh)
        missed = queue.call_next_number(desk=centre, counter="2", actor=clerk_binh)
    with clock(at(2026, 12, 1, 8, 12)):
        queue.finish_number(ticket=served, actor=clerk_binh)
        with pytest.raises(ActionError) as early:
            queue.record_no_show(ticket=missed, actor=clerk_binh)
        assert early.value.code == "grace_not_over"
        queue.recall_number(ticket=missed, actor=clerk_binh)
    with clock(at(2026, 12, 1, 8, 17)):
        queue.record_no_show(ticket=missed, actor=clerk_binh)
        with pytest.raises(ActionError) as twice:
            queue.record_no_show(ticket=missed, actor=clerk_binh)
    assert twice.value.code == "invalid_transition"
    served.refresh_from_db()
    missed.refresh_from_db()
    assert served.state == TicketState.DONE and missed.recalls == 1
    assert served.appointment.status == AppointmentStatus.DONE
    assert Appointment.objects.get(pk=missed.appointment_id).status == AppointmentStatus.NO_SHOW
    day = figures(centre, TUESDAY)
    assert (day.online, day.walk_in, day.served, day.no_show, day.waiting, day.cancelled) == (
        2,
        1,
        1,
        1,
        1,
        1,
    )
    assert day.average_wait_minutes == 10  # both called at 08:10, waiting since 08:00


def test_a_called_number_nobody_comes_for_expires_after_the_grace(centre, clerk_binh):
    with clock(at(2026, 12, 1, 8, 0)):
        queue.issue_walk_in(desk=centre, sector=None, phone="0901234567", actor=clerk_binh)
        queue.issue_walk_in(desk=centre, sector=None, phone="0901234568", actor=clerk_binh)
        first = queue.call_next_number(desk=centre, counter="1", actor=clerk_binh)
        second = queue.call_next_number(desk=centre, counter="2", actor=clerk_binh)
        queue.start_serving(ticket=second, actor=clerk_binh)
    with clock(at(2026, 12, 1, 8, 4)):
        assert queue.expire_called_numbers() == 0
    with clock(at(2026, 12, 1, 8, 5)):
        call_command("expire_queue_calls", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert queue.expire_called_numbers() == 0  # twice changes nothing
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == TicketState.NO_SHOW and second.state == TicketState.SERVING
    assert first.appointment.status == AppointmentStatus.NO_SHOW
    assert figures(centre, TUESDAY).no_show == 1


def test_a_called_number_cannot_be_cancelled(centre, sector, hoa, clerk_binh):
    with clock(at(2026, 12, 1, 8, 0)):
        ticket = online(centre, windows(centre, TUESDAY)[0], hoa, sector)
        queue.call_next_number(desk=centre, counter="1", actor=clerk_binh)
        with pytest.raises(ActionError) as exc:
            queue.cancel_number(ticket=ticket, actor=hoa)
    assert exc.value.code == "invalid_transition"


def test_a_desk_slot_booked_through_the_api_counts_towards_the_limit(centre, sector, hoa, tuesday):
    wednesday = windows(centre, WEDNESDAY)
    procedure = Procedure.objects.get(code="1.000426")
    book_appointment(
        slot=wednesday[0],
        procedure=procedure,
        purpose="counter",
        contact=Contact("Nguyễn Thị Hoa", HOA_PHONE),
        channel="api",
    )
    online(centre, wednesday[1], hoa, sector)
    with pytest.raises(ActionError) as exc:
        online(centre, wednesday[2], hoa, sector)
    assert exc.value.code == "daily_limit"


def test_a_recall_between_the_sweeps_read_and_its_update_is_no_no_show(
    centre, clerk_binh, monkeypatch
):
    """The sweep reads the expired numbers, then updates them; a clerk's recall landing in
    between restarts the grace, so the update must judge it again."""
    from django.db import transaction as real

    from motcua.appointments import queue_sweeps

    with clock(at(2026, 12, 1, 8, 0)):
        queue.issue_walk_in(desk=centre, sector=None, phone="0901234567", actor=clerk_binh)
        called = queue.call_next_number(desk=centre, counter="1", actor=clerk_binh)

    class RecallFirst:
        """``transaction`` as the sweep sees it: the recall lands just before its update."""

        @staticmethod
        def atomic() -> Any:
            queue.recall_number(ticket=called, actor=clerk_binh)
            return real.atomic()

    monkeypatch.setattr(queue_sweeps, "transaction", RecallFirst)
    with clock(at(2026, 12, 1, 8, 6)):
        assert queue.expire_called_numbers() == 0
    called.refresh_from_db()
    assert (called.state, called.recalls) == (TicketState.CALLED, 1)


def test_walk_in_numbers_count_towards_the_apis_desk_limit(centre, clerk_binh, hoa):
    """A walk-in keeps only the phone's digest; a desk slot booked through the API counts it
    all the same, so walk-in, online and API numbers stay within the limit together."""
    procedure = Procedure.objects.get(code="1.000426")
    hoa_contact = Contact(name="Nguyễn Thị Hoa", phone="0912 345 678")
    with clock(TUESDAY_0800):
        today = windows(centre, TUESDAY)
        queue.issue_walk_in(desk=centre, sector=None, phone=HOA_PHONE, actor=clerk_binh)
        book_appointment(
            slot=today[2], procedure=procedure, purpose="submit", contact=hoa_contact, channel="api"
        )
        with pytest.raises(ActionError) as caught:
            book_appointment(
                slot=today[3],
                procedure=procedure,
                purpose="submit",
                contact=hoa_contact,
                channel="api",
            )
    assert caught.value.code == "daily_limit"
    assert Appointment.objects.filter(ticket__isnull=True).count() == 1
