"""Staff publish slots in the admin (docs/appointments.md): the creator is recorded, and a
slot that breaks the rules is sent back with the reason instead of failing in the database."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.appointments.models import Slot

pytestmark = pytest.mark.django_db

ADD = "/admin/appointments/slot/add/"


def form(**over: str) -> dict[str, str]:
    data = {
        "kind": "desk",
        "start_0": "02/12/2026",
        "start_1": "08:00",
        "end_0": "02/12/2026",
        "end_1": "08:30",
        "capacity": "5",
        "travel_minutes": "0",
        "team": "",
    }
    data.update(over)
    return data


def test_an_administrator_publishes_a_desk_slot(admin_anh, centre):
    client = Client()
    client.force_login(admin_anh)
    answer = client.post(ADD, form(desk=str(centre.pk)))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    slot = Slot.objects.get()
    assert (slot.desk, slot.capacity, slot.booked, slot.created_by) == (centre, 5, 0, admin_anh)


def test_a_slot_against_the_rules_is_sent_back(admin_anh, centre):
    client = Client()
    client.force_login(admin_anh)
    backwards = client.post(ADD, form(desk=str(centre.pk), end_1="07:00"))
    assert backwards.status_code == 200
    assert "Giờ kết thúc phải sau giờ bắt đầu" in backwards.content.decode()
    nobody = client.post(ADD, form(kind="home"))
    assert nobody.status_code == 200
    assert "cán bộ hoặc tổ công tác" in nobody.content.decode()
    assert not Slot.objects.exists()
