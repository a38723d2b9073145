"""The default process template derived from the statutory processing time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure, ProcessTemplate
from motcua.catalog.workflow import StepSpec, default_steps, publish_template
from motcua.org.models import Role


@pytest.mark.parametrize("days", [1, 3, 5, 15, 60])
def test_default_steps_add_up_to_the_statutory_time(days):
    steps = default_steps(Decimal(days * 8))
    assert sum(s.hours for s in steps) == days * 8
    assert [s.role for s in steps] == [
        Role.RECEPTIONIST,
        Role.SPECIALIST,
        Role.LEADER,
        Role.RECEPTIONIST,
    ]


def test_one_working_day_splits_into_an_hour_half_a_day_two_hours_and_an_hour():
    assert [s.hours for s in default_steps(Decimal(8))] == [1, 4, 2, 1]


def test_unknown_time_gives_untimed_steps():
    assert all(s.hours is None for s in default_steps(None))


@pytest.mark.django_db
def test_publishing_makes_a_new_active_version_and_keeps_the_old():
    procedure = Procedure.objects.get(code="1.003583")
    old = ProcessTemplate.objects.get(procedure=procedure, active=True)
    new = publish_template(
        procedure=procedure,
        steps=[StepSpec("Thẩm định", Role.SPECIALIST, Decimal(40))],
    )
    assert new.version == old.version + 1
    old.refresh_from_db()
    assert not old.active
    assert ProcessTemplate.objects.filter(procedure=procedure).count() == 2
