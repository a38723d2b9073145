"""The plan: reproducible, long-tailed, near the profile's shares, with valid people."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from motcua.catalog.models import Channel
from motcua.core.id_numbers import birth_year_matches, normalize_id_number
from motcua.core.phones import normalize_mobile
from motcua.dossiers.models import Outcome
from motcua.dossiers.status import DossierStatus
from motcua.org.models import DeskKind
from motcua.simulate.plan import Plan
from motcua.simulate.profile import Profile
from motcua.simulate.stories import DossierStory
from motcua.simulate.world import World, load_world

MONDAY = dt.date(2026, 3, 2)  # a working week with no holiday
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> World:
    """The seeded demo as the plan sees it: read once, the tests never change it."""
    with django_db_blocker.unblock():
        return load_world()


def plan(
    world: World, *, seed: int = 7, days: int = 5, settle: bool = True, **figures: Any
) -> Plan:
    """A plan over ``days`` from MONDAY; ``settle`` lets every story run to its end."""
    horizon = dt.datetime(2026, 6, 1, tzinfo=dt.UTC) if settle else None
    return Plan(world, Profile(**figures), start=MONDAY, days=days, seed=seed, horizon=horizon)


def dossiers(p: Plan) -> list[DossierStory]:
    return [story for day in p.days() for story in day.dossiers]


def test_the_same_seed_gives_the_same_stories(world: World) -> None:
    first = plan(world, arrivals_per_day=20, tickets_per_day=10, days=3)
    again = plan(world, arrivals_per_day=20, tickets_per_day=10, days=3)
    assert list(first.days()) == list(again.days())
    other = plan(world, arrivals_per_day=20, tickets_per_day=10, days=3, seed=8)
    assert list(other.days()) != list(first.days())


def test_a_day_does_not_depend_on_the_days_before(world: World) -> None:
    week = plan(world, arrivals_per_day=10, days=5)
    wednesday = plan(world, arrivals_per_day=10, days=5)
    assert week.day(MONDAY + dt.timedelta(days=2)) == wednesday.day(MONDAY + dt.timedelta(days=2))


def test_arrivals_come_on_working_days_at_working_moments(world: World) -> None:
    week = plan(world, arrivals_per_day=20, days=7)
    saturday, sunday = (week.day(MONDAY + dt.timedelta(days=d)) for d in (5, 6))
    assert saturday.dossiers == [] and sunday.dossiers == []
    calendar = world.calendar(None)
    for story in week.day(MONDAY).dossiers:
        local = story.arrives_at.astimezone(calendar.tz)
        assert any(start <= local.time() <= end for start, end in calendar.periods_on(MONDAY))


def test_popularity_is_long_tailed_and_led_by_the_heavy_sectors(world: World) -> None:
    popularity = plan(world).popularity
    weights = sorted((popularity.weight(p.id) for p in world.procedures), reverse=True)
    assert sum(weights[:20]) > 0.5  # a handful of the ~2,600 procedures carry most dossiers
    by_sector = Counter[str]()
    for procedure in world.procedures:
        by_sector[procedure.sector] += popularity.weight(procedure.id)
    heavy = by_sector["Chứng thực"] + by_sector["Hộ tịch"] + by_sector["Đất đai"]
    assert heavy > 0.6


def test_shares_come_near_the_profile(world: World) -> None:
    stories = dossiers(plan(world, arrivals_per_day=300, days=5))
    count = len(stories)
    channels = Counter(s.channel for s in stories)
    assert 0.25 < channels[Channel.ONLINE] / count < 0.45  # 40% of those offered online
    postal_desks = {d.id for d in world.desks.values() if d.kind == DeskKind.POST_OFFICE}
    by_post = [s for s in stories if set(world.procedure(s.procedure_id).desk_ids) & postal_desks]
    postal = sum(s.channel == Channel.POSTAL for s in by_post) / len(by_post)
    assert 0.02 < postal < 0.09  # 5% of those the post office takes
    refused = sum(s.status == DossierStatus.REFUSED for s in stories) / count
    assert 0.005 < refused < 0.04
    received = [s for s in stories if s.received_at is not None]
    supplemented = sum(any(c.kind == "request_supplement" for c in s.changes) for s in received)
    assert 0.06 < supplemented / len(received) < 0.14
    finished = [s for s in received if s.outcome]
    late = sum(s.outcome == Outcome.LATE for s in finished) / len(finished)
    assert 0.02 < late < 0.08
    apologised = [s for s in finished if s.apologised]
    assert apologised and all(s.outcome == Outcome.LATE for s in apologised)


def test_every_applicant_has_a_valid_id_number_and_mobile(world: World) -> None:
    for story in dossiers(plan(world, arrivals_per_day=50, days=1)):
        applicant = story.applicant
        assert normalize_id_number(applicant.id_number) == applicant.id_number
        assert birth_year_matches(applicant.id_number, applicant.born)
        assert normalize_mobile(applicant.phone) == applicant.phone
        assert len(applicant.name.split()) >= 3


def test_stories_are_in_time_order_and_stop_at_the_horizon(world: World) -> None:
    week = plan(world, arrivals_per_day=40, tickets_per_day=20, days=5, settle=False)
    stories = dossiers(week)
    for story in stories:
        moments = [c.at for c in story.changes]
        assert moments == sorted(moments) and moments[-1] <= week.horizon
    assert any(s.status == DossierStatus.RETURNED for s in stories)
    assert any(s.status in {DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS} for s in stories)
    tickets = [t for day in week.days() for t in day.tickets]
    assert tickets and all(c.at <= week.horizon for t in tickets for c in t.changes)


def test_a_finished_story_follows_its_steps(world: World) -> None:
    returned = [
        s
        for s in dossiers(plan(world, arrivals_per_day=30, days=1))
        if s.rating or s.status == DossierStatus.RETURNED
    ]
    assert returned
    for story in returned:
        assert all(step.started_at and step.finished_at for step in story.steps)
        ready = next(c for c in story.changes if c.kind == "mark_result_ready")
        assert ready.outcome == story.outcome and story.finished_at == ready.at


def test_a_profile_refuses_impossible_figures() -> None:
    with pytest.raises(ValueError, match="late-share"):
        Profile(late_share=1.5).validate()
    with pytest.raises(ValueError, match="online-share"):
        Profile(online_share=0.9, postal_share=0.2).validate()


def test_every_option_is_explained_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """The help text is built from the profile (shares written with "%"); it must render."""
    from django.core.management import call_command

    with pytest.raises(SystemExit) as exit_:
        call_command("simulate", "--help")
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    assert "--late-share" in shown and "95–98% đúng hạn" in shown
