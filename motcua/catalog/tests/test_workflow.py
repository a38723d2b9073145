"""The default process template derived from the statutory processing time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure, ProcessTemplate
from motcua.catalog.workflow import (
    StepSpec,
    TemplateError,
    default_steps,
    draft_from,
    publish,
    publish_template,
)
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


@pytest.mark.django_db
def test_a_published_version_cannot_be_published_again():
    procedure = Procedure.objects.get(code="1.003583")
    active = ProcessTemplate.objects.get(procedure=procedure, active=True)
    with pytest.raises(TemplateError):
        publish(active)


@pytest.mark.django_db
def test_drafting_copies_the_steps_and_leaves_the_active_version_alone():
    procedure = Procedure.objects.get(code="1.003583")
    active = ProcessTemplate.objects.get(procedure=procedure, active=True)
    active.steps.filter(role="leader").update(personal_signature=True)
    draft = draft_from(active)
    assert draft.is_draft and not draft.active
    fields = ("name", "hours", "personal_signature")
    assert list(draft.steps.values_list(*fields)) == list(active.steps.values_list(*fields))
    assert ProcessTemplate.objects.get(procedure=procedure, active=True) == active


@pytest.mark.django_db
def test_admin_shows_a_published_version_read_only(admin_anh):
    from django.test import Client

    client = Client()
    client.force_login(admin_anh)
    procedure = Procedure.objects.get(code="1.003583")
    active = ProcessTemplate.objects.get(procedure=procedure, active=True)
    url = f"/admin/catalog/processtemplate/{active.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="steps-0-hours"' not in page.content.decode()
    assert client.post(url, {}).status_code == 403

    draft = draft_from(active)
    page = client.get(f"/admin/catalog/processtemplate/{draft.pk}/change/")
    assert 'name="steps-0-hours"' in page.content.decode()


@pytest.mark.django_db
def test_admin_action_publishes_a_draft(admin_anh):
    from django.test import Client

    client = Client()
    client.force_login(admin_anh)
    procedure = Procedure.objects.get(code="1.003583")
    draft = draft_from(ProcessTemplate.objects.get(procedure=procedure, active=True))
    client.post(
        "/admin/catalog/processtemplate/",
        {"action": "publish_drafts", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.active and draft.published_at is not None
