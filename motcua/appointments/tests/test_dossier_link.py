"""Whose dossier a home visit may name (docs/appointments.md rule 6), checked in
``book_appointment`` so the pages and the API are both covered: a citizen's own; on a 1022
call one whose applicant's or submitter's phone is the contact's; a desk clerk's one they
may see. Anything else is 422 ``dossier_not_callers`` and nothing is written — no stranger's
result is handed to a door somebody typed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.appointments.actions import Contact, book_appointment
from motcua.appointments.models import Appointment, Slot
from motcua.core.actions import ActionError
from motcua.dossiers.actions.reception import receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import application, at, clock
from motcua.org.models import Membership, Role

pytestmark = pytest.mark.django_db

STRANGER = Contact(name="Kẻ Lạ", phone="0987 000 111")
APPLICANT = Contact(name="Nguyễn Văn An", phone="+84 912 345 678")  # the dossier's phone


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dossier(now: Any, centre: Any, clerk_binh: Any) -> Dossier:
    with clock(at(2026, 11, 30, 9, 0)):
        return receive_dossier(application=application("1.000426", centre), officer=clerk_binh)


def book(slot: Slot, dossier: Dossier, address: Any, contact: Contact, **kw: Any) -> Any:
    return book_appointment(
        slot=slot,
        procedure=dossier.procedure,
        purpose="receive_result",
        contact=contact,
        address=address,
        dossier=dossier,
        **kw,
    )


def refused(**kw: Any) -> None:
    with pytest.raises(ActionError) as caught:
        book(**kw)
    assert (caught.value.code, caught.value.status) == ("dossier_not_callers", 422)
    assert caught.value.details["field"] == "dossier"
    assert not Appointment.objects.exists()
    assert Slot.objects.get(pk=kw["slot"].pk).booked == 0


def test_a_1022_operator_books_only_for_the_dossiers_phone(home_slot, home_address, dossier):
    operator = get_user_model().objects.get(username="tongdai")
    common = {"slot": home_slot, "dossier": dossier, "address": home_address}
    refused(**common, contact=STRANGER, actor=operator, channel="hotline")
    booked = book(**common, contact=APPLICANT, actor=operator, channel="hotline")
    assert booked.appointment.dossier == dossier


def test_the_submitters_phone_counts_too(home_slot, home_address, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(applicant_phone="", submitter_phone=STRANGER.phone)
    operator = get_user_model().objects.get(username="tongdai")
    book(
        slot=home_slot,
        dossier=dossier,
        address=home_address,
        contact=STRANGER,
        actor=operator,
        channel="hotline",
    )
    assert Appointment.objects.get().dossier == dossier


def test_a_1022_operator_through_the_api_is_held_to_the_phone(home_slot, home_address, dossier):
    operator = get_user_model().objects.get(username="tongdai")
    refused(
        slot=home_slot,
        dossier=dossier,
        address=home_address,
        contact=STRANGER,
        actor=operator,
        channel="api",
    )


def test_the_operators_page_refuses_a_strangers_dossier(home_slot, ward, dossier):
    operator = get_user_model().objects.get(username="tongdai")
    data = {
        "unit": ward.pk,
        "slot": home_slot.pk,
        "procedure": "1.000426",
        "purpose": "receive_result",
        "dossier": dossier.code,
        "contact_name": STRANGER.name,
        "contact_phone": STRANGER.phone,
        "address_line": "99 Đường Lạ",
    }
    response = signed_in(operator).post(f"/lich-hen/dat-hen/?unit={ward.pk}&date=2026-12-02", data)
    assert response.status_code == 422
    assert "không phải của người đặt hẹn" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_citizen_books_only_for_their_own(home_slot, home_address, dossier):
    citizen = get_user_model().objects.create_user(username="hoa", password="x")
    common = {"slot": home_slot, "dossier": dossier, "address": home_address}
    # Even with the dossier's phone: a citizen names only a dossier of their account.
    refused(**common, contact=APPLICANT, actor=citizen, channel="portal")
    Dossier.objects.filter(pk=dossier.pk).update(applicant_account=citizen)
    book(**common, contact=STRANGER, actor=citizen, channel="portal")
    assert Appointment.objects.get().dossier == dossier


def test_the_public_names_no_dossier(home_slot, home_address, dossier):
    refused(
        slot=home_slot,
        dossier=dossier,
        address=home_address,
        contact=APPLICANT,
        actor=None,
        channel="api",
    )


def test_a_desk_clerk_books_for_a_dossier_they_may_see(home_slot, home_address, dossier):
    clerk = get_user_model().objects.get(username="tiepnhan")  # received it at the centre
    other = (
        Membership.objects.active()
        .filter(role=Role.RECEPTIONIST)
        .exclude(user=clerk)
        .exclude(desk=dossier.desk)
        .select_related("user")
        .first()
    )
    assert other is not None
    common = {"slot": home_slot, "dossier": dossier, "address": home_address}
    refused(**common, contact=APPLICANT, actor=other.user, channel="desk")
    book(**common, contact=STRANGER, actor=clerk, channel="desk")
    assert Appointment.objects.get().booked_by == clerk


def test_a_result_visit_names_a_dossier(home_slot, home_address, procedure):
    with pytest.raises(ActionError) as caught:
        book_appointment(
            slot=home_slot,
            procedure=procedure,
            purpose="receive_result",
            contact=APPLICANT,
            address=home_address,
            channel="api",
        )
    assert caught.value.code == "dossier_required"
    assert not Appointment.objects.exists()
