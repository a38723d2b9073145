"""The what-if pages of a simplification proposal: the form carries the proposal's values,
a run is queued and computed by its task, its page shows the figures side by side with the
assumptions; a bad share changes nothing; another agency finds no such page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.org.models import Agency
from motcua.reform.actions import ChangeSpec, VolumeOverride, open_cycle, save_proposal
from motcua.reform.cost import Step
from motcua.reform.costing import CostSide
from motcua.reform.models import ChangeKind, Proposal
from motcua.reports.whatif_views import reform_of
from motcua.simulate.models import WhatIfRun, WhatIfStatus

pytestmark = pytest.mark.django_db


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


@pytest.fixture
def proposal() -> Proposal:
    justice = Agency.objects.get(name="Sở Tư pháp")
    cycle = open_cycle(
        year=2026,
        title="Rà soát năm 2026",
        deadline=dt.date(2026, 12, 31),
        items=[(Procedure.objects.get(code="1.000426"), justice)],
        user=user("chuyenvien.ubnd"),
    )
    proposal = cycle.proposals.get()
    document = RequiredDocument.objects.filter(procedure=proposal.procedure).first()
    assert document is not None
    return save_proposal(
        proposal=proposal,
        description="Rút ngắn thời hạn, bỏ một giấy tờ, trực tuyến toàn trình",
        reason="Khai thác dữ liệu dân cư",
        changes=[
            ChangeSpec(ChangeKind.SHORTEN_TIME, "5 → 3 ngày", new_time_value=Decimal(3)),
            ChangeSpec(ChangeKind.CUT_DOCUMENT, "Bỏ giấy tờ", document_id=document.pk),
            ChangeSpec(ChangeKind.ONLINE_FULL, "Toàn trình"),
        ],
        before=CostSide((Step("Chuẩn bị", Decimal(6)), Step("Đi lại", Decimal(4))), 0, 20_000, 0),
        after=CostSide((Step("Chuẩn bị", Decimal(4)),), 0, 0, 0),
        volume=VolumeOverride(Decimal(1), 500, "Ước tính"),
        user=user("chuyenvien"),
    )


def test_the_proposals_values_are_what_the_what_if_plays(proposal: Proposal) -> None:
    reform = reform_of(proposal, Decimal(60))
    assert reform.procedure_id == proposal.procedure_id
    assert reform.time_value == Decimal(3)
    assert reform.documents_removed == 1
    assert reform.online_share == 0.6
    assert (reform.citizen_hours_before, reform.citizen_hours_after) == (10, 4)
    assert reform.cost_before_vnd == proposal.per_execution_before_vnd > 0
    assert reform.cost_after_vnd == proposal.per_execution_after_vnd


def test_asking_queues_a_run_computed_by_its_task(
    proposal: Proposal, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for("lanhdao")
    form = client.get(f"/bao-cao/gia-dinh/phuong-an/{proposal.pk}/")
    assert form.status_code == 200
    # Moving fully online suggests 60 % online, for the user to change.
    assert 'value="60"' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"/bao-cao/gia-dinh/phuong-an/{proposal.pk}/", {"online_percent": "55"})
    run = WhatIfRun.objects.get(proposal_id=proposal.pk)
    assert asked.status_code == 302 and asked["Location"] == f"/bao-cao/gia-dinh/{run.pk}/"
    assert run.status == WhatIfStatus.DONE, run.error
    assert run.requested_by == user("lanhdao")
    assert run.reform["online_share"] == 0.55
    page = client.get(f"/bao-cao/gia-dinh/{run.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tỷ lệ đúng hạn" in text and "Chi phí tuân thủ (đồng/năm)" in text
    assert "Giả định" in text
    assert all(line in text for line in run.result["assumptions"][:3])
    assert 'http-equiv="refresh"' not in text


def test_a_queued_run_reloads_itself(proposal: Proposal) -> None:
    run = WhatIfRun.objects.create(proposal_id=proposal.pk, reform={"procedure_id": 1})
    page = client_for("chuyenvien").get(f"/bao-cao/gia-dinh/{run.pk}/")
    assert page.status_code == 200
    assert 'http-equiv="refresh"' in page.content.decode()


@pytest.mark.parametrize("share", ["-1", "101", "abc", "1" * 30])
def test_a_bad_share_is_refused_and_nothing_is_queued(proposal: Proposal, share: str) -> None:
    answer = client_for("chuyenvien").post(
        f"/bao-cao/gia-dinh/phuong-an/{proposal.pk}/", {"online_percent": share}
    )
    assert answer.status_code == 400
    assert not WhatIfRun.objects.exists()


def test_another_agency_finds_no_what_if(proposal: Proposal) -> None:
    run = WhatIfRun.objects.create(proposal_id=proposal.pk, reform={"procedure_id": 1})
    other = client_for("chuyenvien.nnmt")
    assert other.get(f"/bao-cao/gia-dinh/phuong-an/{proposal.pk}/").status_code == 404
    assert other.get(f"/bao-cao/gia-dinh/{run.pk}/").status_code == 404
    assert other.post(f"/bao-cao/gia-dinh/phuong-an/{proposal.pk}/", {}).status_code == 404
    assert client_for("chuyenvien").get("/bao-cao/gia-dinh/99999999/").status_code == 404


def test_one_run_at_a_time_and_a_stalled_one_stops_waiting(proposal: Proposal) -> None:
    client = client_for("chuyenvien")
    waiting = WhatIfRun.objects.create(
        proposal_id=proposal.pk, requested_by=user("chuyenvien"), reform={"procedure_id": 1}
    )
    again = client.post(f"/bao-cao/gia-dinh/phuong-an/{proposal.pk}/", {"online_percent": ""})
    assert again["Location"] == f"/bao-cao/gia-dinh/{waiting.pk}/"
    assert WhatIfRun.objects.count() == 1
    WhatIfRun.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    page = client.get(f"/bao-cao/gia-dinh/{waiting.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Chưa có kết quả sau 10 phút" in page
    # A stalled run no longer holds the next one back.
    client.post(f"/bao-cao/gia-dinh/phuong-an/{proposal.pk}/", {"online_percent": ""})
    assert WhatIfRun.objects.count() == 2
