"""The demo's 2021 review cycle: a few dozen procedures, about a fifth proposed and approved,
priced in billions of đồng a year, with their history; seeding it twice adds nothing."""

from __future__ import annotations

import pytest

from motcua.core.chain import verify_model
from motcua.demo.reviews import seed_review_cycle
from motcua.reform.models import Proposal, ProposalEvent, ProposalStatus, ReviewCycle

pytestmark = pytest.mark.django_db


def test_the_demo_cycle_looks_like_a_provinces_review() -> None:
    created = seed_review_cycle()
    cycle = ReviewCycle.objects.get(plan_number="15/KH-UBND")
    proposals = list(Proposal.objects.filter(cycle=cycle).prefetch_related("changes"))
    assert created == len(proposals) >= 30
    assert {p.status for p in proposals} == {ProposalStatus.APPROVED}
    proposed = [p for p in proposals if p.simplifies]
    assert 0.15 <= len(proposed) / len(proposals) <= 0.3
    before = sum(p.annual_before_vnd for p in proposed)
    after = sum(p.annual_after_vnd for p in proposed)
    assert before > after > 0
    assert before - after >= 1_000_000_000  # billions of đồng a year
    assert all(p.annual_before_vnd == p.annual_after_vnd for p in proposals if not p.simplifies)
    assert all(p.monthly_income_vnd == 3_520_000 for p in proposals)
    first = ProposalEvent.objects.filter(proposal=proposals[0]).order_by("seq")
    assert [e.kind for e in first] == ["open", "edit", "submit", "approve"]
    assert first[0].at.year == 2021
    assert list(verify_model(ProposalEvent)) == []
    assert seed_review_cycle() == 0
