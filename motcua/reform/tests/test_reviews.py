"""Simplification reviews through their actions: who opens a cycle, drafts, sends, returns
and approves a proposal; the compliance cost a draft records; refusals that change nothing;
the proposal's hash-chained history. And the calculator's API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.catalog.models import Fee, Procedure, ProcedureVersion, RequiredDocument
from motcua.catalog.versions import Changes
from motcua.core.actions import ActionError
from motcua.core.chain import verify_model
from motcua.dossiers.tokens import create_token
from motcua.org.models import Agency
from motcua.reform.actions import (
    ChangeSpec,
    VolumeOverride,
    approve_proposal,
    enact_proposal,
    open_cycle,
    return_proposal,
    save_proposal,
    submit_proposal,
)
from motcua.reform.actions.enactment import catalogue_changes
from motcua.reform.cost import Step
from motcua.reform.costing import CostSide, volume_of
from motcua.reform.models import (
    ChangeKind,
    IncomeRate,
    Proposal,
    ProposalChange,
    ProposalEvent,
    ProposalStatus,
)

pytestmark = pytest.mark.django_db


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


@pytest.fixture
def office() -> Any:
    return user("chuyenvien.ubnd")


@pytest.fixture
def justice() -> Agency:
    return user("chuyenvien").memberships.get().agency


@pytest.fixture
def procedure(justice: Agency) -> Procedure:
    """A procedure of the Department of Justice with a fee and required documents."""
    found = (
        Procedure.objects.filter(
            competent_agency=justice,
            methods__fees__amount_vnd__gt=0,
            documents__isnull=False,
        )
        .distinct()
        .order_by("code")
        .first()
    )
    assert found is not None
    return found


@pytest.fixture
def income() -> IncomeRate:
    return IncomeRate.objects.create(
        valid_from=dt.date(2020, 1, 1),
        monthly_income_vnd=5_280_000,
        working_days_per_month=Decimal(22),
        source="Niên giám thống kê tỉnh 2024",
    )


@pytest.fixture
def proposal(office: Any, justice: Agency, procedure: Procedure) -> Proposal:
    cycle = open_cycle(
        year=2026,
        title="Rà soát, đánh giá thủ tục hành chính năm 2026",
        deadline=dt.date(2026, 12, 31),
        items=[(procedure, justice)],
        user=office,
        plan_number="12/KH-UBND",
    )
    return cycle.proposals.get()


def sides(before_hours: str = "20", after_hours: str = "5") -> tuple[CostSide, CostSide]:
    before = CostSide((Step("Chuẩn bị hồ sơ", Decimal(before_hours)),), 300_000, 124_000, 0)
    after = CostSide((Step("Nộp trực tuyến", Decimal(after_hours)),), 50_000, 0, 31_000)
    return before, after


def draft(proposal: Proposal, who: Any, **overrides: Any) -> Proposal:
    before, after = sides()
    document = RequiredDocument.objects.filter(procedure=proposal.procedure).first()
    assert document is not None
    values: dict[str, Any] = {
        "proposal": proposal,
        "description": "Rút ngắn thời hạn, bỏ bản sao giấy tờ đã có trong CSDL quốc gia.",
        "reason": "Dữ liệu đã có trong Cơ sở dữ liệu quốc gia về dân cư.",
        "changes": [
            ChangeSpec(ChangeKind.SHORTEN_TIME, "Từ 5 xuống 3 ngày", new_time_value=Decimal(3)),
            ChangeSpec(ChangeKind.CUT_DOCUMENT, "Khai thác dữ liệu", document_id=document.pk),
        ],
        "before": before,
        "after": after,
        "volume": VolumeOverride(Decimal("1.5"), 12_000, "Số liệu năm 2025 của Sở"),
        "user": who,
    }
    values.update(overrides)
    return save_proposal(**values)


def test_the_office_opens_a_cycle_with_a_draft_per_procedure(proposal: Proposal) -> None:
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.code == f"PA2026-{proposal.cycle_id:03d}-0001"
    assert list(proposal.cycle.agencies.all()) == [proposal.agency]
    assert [e.kind for e in ProposalEvent.objects.filter(proposal=proposal)] == ["open"]


def test_only_the_office_opens_a_cycle(justice: Agency, procedure: Procedure) -> None:
    with pytest.raises(ActionError) as refused:
        open_cycle(
            year=2026,
            title="Rà soát",
            deadline=dt.date(2026, 12, 31),
            items=[(procedure, justice)],
            user=user("lanhdao"),
        )
    assert refused.value.status == 403


def test_a_draft_records_the_cost_before_and_after(proposal: Proposal, income: IncomeRate) -> None:
    saved = draft(proposal, user("chuyenvien"))
    assert saved.monthly_income_vnd == 5_280_000
    assert saved.income_source == "Niên giám thống kê tỉnh 2024"
    assert saved.per_execution_before_vnd == 1_024_000
    assert saved.per_execution_after_vnd == 231_000
    assert saved.annual_before_vnd == 1_024_000 * 18_000
    assert saved.annual_after_vnd == 231_000 * 18_000
    assert saved.volume_source == "override"
    assert [c.kind for c in saved.changes.all()] == ["shorten_time", "cut_document"]
    assert saved.simplifies
    edit = ProposalEvent.objects.filter(proposal=saved, kind="edit").get()
    assert edit.data["annual_before_vnd"] == 18_432_000_000


def test_without_an_override_the_volume_is_the_dossiers_received(
    proposal: Proposal, income: IncomeRate
) -> None:
    saved = draft(proposal, user("chuyenvien"), volume=None)
    assert saved.volume_source == "dossiers"
    assert "hồ sơ tiếp nhận" in saved.volume_note
    # The demo has no dossiers for it: no subjects, no annual cost, the cost of one stays.
    assert saved.subjects_per_year == 0
    assert saved.annual_before_vnd == 0
    assert saved.per_execution_before_vnd == 1_024_000


def test_another_agencys_officer_cannot_draft(proposal: Proposal, income: IncomeRate) -> None:
    with pytest.raises(ActionError) as refused:
        draft(proposal, user("chuyenvien.nnmt"))
    assert refused.value.status == 403


@pytest.mark.parametrize(
    "change",
    [
        ChangeSpec("no_such_kind"),
        ChangeSpec(ChangeKind.SHORTEN_TIME),
        ChangeSpec(ChangeKind.SHORTEN_TIME, new_time_value=Decimal(0)),
        ChangeSpec(ChangeKind.CUT_DOCUMENT, document_id=10**9),
        ChangeSpec(ChangeKind.LOWER_FEE, fee_id=10**9, new_fee_vnd=0),
        ChangeSpec(ChangeKind.CUT_STEP, detail="   "),
        ChangeSpec(ChangeKind.OTHER, detail="x" * 2001),
    ],
)
def test_a_bad_change_is_refused_and_changes_nothing(
    proposal: Proposal, income: IncomeRate, change: ChangeSpec
) -> None:
    with pytest.raises(ActionError) as refused:
        draft(proposal, user("chuyenvien"), changes=[change])
    assert refused.value.status == 422
    proposal.refresh_from_db()
    assert proposal.event_seq == 1
    assert proposal.per_execution_before_vnd == 0
    assert not proposal.changes.exists()


def test_a_fee_of_another_procedure_is_refused(proposal: Proposal, income: IncomeRate) -> None:
    other = Fee.objects.exclude(method__procedure=proposal.procedure).filter(amount_vnd__gt=0)
    fee = other.first()
    assert fee is not None
    with pytest.raises(ActionError):
        draft(
            proposal,
            user("chuyenvien"),
            changes=[ChangeSpec(ChangeKind.LOWER_FEE, fee_id=fee.pk, new_fee_vnd=0)],
        )


def test_a_lower_fee_must_be_lower(proposal: Proposal, income: IncomeRate) -> None:
    fee = Fee.objects.filter(method__procedure=proposal.procedure, amount_vnd__gt=0).first()
    assert fee is not None
    with pytest.raises(ActionError) as refused:
        draft(
            proposal,
            user("chuyenvien"),
            changes=[ChangeSpec(ChangeKind.LOWER_FEE, fee_id=fee.pk, new_fee_vnd=fee.amount_vnd)],
        )
    assert refused.value.details["field"] == "changes"
    saved = draft(
        proposal,
        user("chuyenvien"),
        changes=[ChangeSpec(ChangeKind.LOWER_FEE, fee_id=fee.pk, new_fee_vnd=0)],
    )
    assert saved.changes.get().new_fee_vnd == 0


def test_bad_volume_and_costs_are_refused(proposal: Proposal, income: IncomeRate) -> None:
    for volume in (
        VolumeOverride(Decimal(0), 10, "x"),
        VolumeOverride(Decimal(1), 10**9, "x"),
        VolumeOverride(Decimal(1), 10, "  "),
    ):
        with pytest.raises(ActionError):
            draft(proposal, user("chuyenvien"), volume=volume)
    for data in (
        {"steps": [{"name": "a", "hours": "-1"}]},
        {"steps": [{"name": "a", "hours": "NaN"}]},
        {"steps": [{"name": "", "hours": "1"}]},
        {"steps": [{"name": "a" * 256, "hours": "1"}]},
        {"steps": [{"name": "a", "hours": 1}] * 41},
        {"fees_vnd": -5},
        {"service_costs_vnd": 10**13},
        {"other_costs_vnd": "abc"},
    ):
        with pytest.raises(ActionError) as refused:
            CostSide.from_json(data)
        assert refused.value.status == 422
    assert proposal.changes.count() == 0


def test_the_leader_sends_the_office_returns_and_approves(
    proposal: Proposal, income: IncomeRate, office: Any
) -> None:
    draft(proposal, user("chuyenvien"))
    with pytest.raises(ActionError) as refused:
        submit_proposal(proposal=proposal, user=user("chuyenvien"))
    assert refused.value.status == 403
    submit_proposal(proposal=proposal, user=user("lanhdao"))
    with pytest.raises(ActionError) as refused:
        return_proposal(proposal=proposal, note="Bổ sung", user=user("lanhdao"))
    assert refused.value.status == 403
    with pytest.raises(ActionError) as refused:
        return_proposal(proposal=proposal, note="  ", user=office)
    assert refused.value.status == 422
    returned = return_proposal(proposal=proposal, note="Tính lại chi phí đi lại.", user=office)
    assert returned.status == ProposalStatus.RETURNED
    assert returned.review_note == "Tính lại chi phí đi lại."
    draft(proposal, user("chuyenvien"), before=sides(before_hours="22")[0])
    submit_proposal(proposal=proposal, user=user("lanhdao"))
    approved = approve_proposal(proposal=proposal, user=office)
    assert approved.status == ProposalStatus.APPROVED
    assert approved.decided_at is not None
    kinds = [e.kind for e in ProposalEvent.objects.filter(proposal=proposal).order_by("seq")]
    assert kinds == ["open", "edit", "submit", "return", "edit", "submit", "approve"]
    assert list(verify_model(ProposalEvent)) == []


def test_a_step_out_of_order_is_refused(proposal: Proposal, office: Any) -> None:
    with pytest.raises(ActionError) as refused:
        approve_proposal(proposal=proposal, user=office)
    assert refused.value.status == 409
    assert refused.value.code == "invalid_transition"


def test_a_simplification_needs_its_reason_before_it_is_sent(
    proposal: Proposal, income: IncomeRate
) -> None:
    draft(proposal, user("chuyenvien"), reason="")
    with pytest.raises(ActionError) as refused:
        submit_proposal(proposal=proposal, user=user("lanhdao"))
    assert refused.value.status == 422
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_keeping_a_procedure_is_a_review_too(proposal: Proposal) -> None:
    save_proposal(
        proposal=proposal,
        description="",
        reason="",
        changes=[],
        before=CostSide((), 0, 0, 0),
        after=CostSide((), 0, 0, 0),
        user=user("chuyenvien"),
    )
    sent = submit_proposal(proposal=proposal, user=user("lanhdao"))
    assert sent.status == ProposalStatus.SUBMITTED
    assert not sent.simplifies


# -- the calculator as a service -------------------------------------------------------------

BODY = {
    "steps": [{"name": "Chuẩn bị hồ sơ", "hours": 12}, {"name": "Đi lại, chờ đợi", "hours": 8}],
    "monthly_income_vnd": 5_280_000,
    "working_days_per_month": 22,
    "fees_vnd": 300_000,
    "service_costs_vnd": 124_000,
    "other_costs_vnd": 0,
    "executions_per_subject_per_year": 1.5,
    "subjects_per_year": 12_000,
}


def post(body: dict[str, Any], token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().post(
        "/api/v1/reform/compliance-cost", body, content_type="application/json", headers=headers
    )


def test_the_calculator_answers_staff(clerk_binh: Any) -> None:
    answer = post(BODY, create_token(clerk_binh))
    assert answer.status_code == 200
    assert answer.json() == {
        "hourly_income_vnd": 30_000,
        "work_vnd": 600_000,
        "per_execution_vnd": 1_024_000,
        "annual_vnd": 18_432_000_000,
    }


def test_the_calculator_refuses_the_public_and_bad_input(clerk_binh: Any) -> None:
    assert post(BODY, None).status_code == 401
    assert post(BODY, "mc_nonsense").status_code == 401
    token = create_token(clerk_binh)
    for bad in (
        {"working_days_per_month": 0},
        {"monthly_income_vnd": 0},
        {"steps": [{"name": "", "hours": 1}]},
        {"steps": [{"name": "a", "hours": -1}]},
        {"fees_vnd": 10**13},
        {"executions_per_subject_per_year": 0},
    ):
        answer = post({**BODY, **bad}, token)
        assert answer.status_code == 422, bad
        assert "error" in answer.json()


# -- enactment --------------------------------------------------------------------------------


def approved(proposal: Proposal, office: Any) -> Proposal:
    draft(proposal, user("chuyenvien"))
    submit_proposal(proposal=proposal, user=user("lanhdao"))
    return approve_proposal(proposal=proposal, user=office)


def test_enacting_makes_a_catalogue_version_from_its_date(
    proposal: Proposal, income: IncomeRate, office: Any
) -> None:
    approved(proposal, office)
    with pytest.raises(ActionError) as refused:
        enact_proposal(
            proposal=proposal,
            decision_number="1234/QĐ-UBND",
            effective_from=dt.date(2099, 1, 1),
            user=user("lanhdao"),
        )
    assert refused.value.status == 403
    with pytest.raises(ActionError) as refused:
        enact_proposal(
            proposal=proposal, decision_number=" ", effective_from=dt.date(2099, 1, 1), user=office
        )
    assert refused.value.status == 422
    enacted = enact_proposal(
        proposal=proposal,
        decision_number="1234/QĐ-UBND",
        effective_from=dt.date(2099, 1, 1),
        user=office,
    )
    assert enacted.status == ProposalStatus.ENACTED
    version = enacted.version
    assert version is not None and version.pending
    assert version.decision_number == "1234/QĐ-UBND"
    assert version.effective_from == dt.date(2099, 1, 1)
    document = proposal.changes.get(kind=ChangeKind.CUT_DOCUMENT).document_id
    assert Changes.from_json(version.changes) == Changes(
        time_value=Decimal(3), removed_documents=(document,)
    )
    assert proposal.code in version.source
    last = ProposalEvent.objects.filter(proposal=proposal).order_by("-seq").first()
    assert last is not None and last.kind == "enact"
    assert last.data["version"] == version.number
    assert list(verify_model(ProposalEvent)) == []


def test_what_reaches_the_catalogue() -> None:
    changes = [
        ProposalChange(kind=ChangeKind.SHORTEN_TIME, new_time_value=Decimal(2)),
        ProposalChange(kind=ChangeKind.LOWER_FEE, fee_id=7, new_fee_vnd=10_000),
        ProposalChange(kind=ChangeKind.ONLINE_PARTIAL),
        ProposalChange(kind=ChangeKind.ONLINE_FULL),
        ProposalChange(kind=ChangeKind.CUT_STEP, detail="Bỏ bước trình ký phó giám đốc"),
        ProposalChange(kind=ChangeKind.ABOLISH),
    ]
    assert catalogue_changes(changes) == Changes(
        time_value=Decimal(2), fees=((7, 10_000),), online_mode="full", abolished=True
    )
    with pytest.raises(ActionError) as refused:
        catalogue_changes([ProposalChange(kind=ChangeKind.CUT_DOCUMENT)])
    assert refused.value.code == "catalogue_changed"


def test_a_change_inside_the_agency_is_enacted_without_a_catalogue_version(
    proposal: Proposal, income: IncomeRate, office: Any
) -> None:
    draft(proposal, user("chuyenvien"), changes=[ChangeSpec(ChangeKind.CUT_STEP, "Bỏ bước")])
    submit_proposal(proposal=proposal, user=user("lanhdao"))
    approve_proposal(proposal=proposal, user=office)
    enacted = enact_proposal(
        proposal=proposal,
        decision_number="9/QĐ-UBND",
        effective_from=dt.date(2026, 1, 1),
        user=office,
    )
    assert enacted.status == ProposalStatus.ENACTED and enacted.version is None


def test_keeping_a_procedure_has_nothing_to_enact(proposal: Proposal, office: Any) -> None:
    test_keeping_a_procedure_is_a_review_too(proposal)
    approve_proposal(proposal=proposal, user=office)
    with pytest.raises(ActionError) as refused:
        enact_proposal(
            proposal=proposal,
            decision_number="9/QĐ-UBND",
            effective_from=dt.date(2026, 1, 1),
            user=office,
        )
    assert refused.value.code == "nothing_to_enact"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


def test_a_document_gone_from_the_catalogue_refuses_the_enactment(
    proposal: Proposal, income: IncomeRate, office: Any
) -> None:
    approved(proposal, office)
    change = proposal.changes.get(kind=ChangeKind.CUT_DOCUMENT)
    # A catalogue re-import recreates the documents: the link is lost, the change kept.
    RequiredDocument.objects.filter(pk=change.document_id).delete()
    change.refresh_from_db()
    assert change.document_id is None
    with pytest.raises(ActionError) as refused:
        enact_proposal(
            proposal=proposal,
            decision_number="1234/QĐ-UBND",
            effective_from=dt.date(2099, 1, 1),
            user=office,
        )
    assert refused.value.code == "catalogue_changed"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert not ProcedureVersion.objects.filter(procedure=proposal.procedure).exists()


def test_a_cycle_through_the_api(proposal: Proposal, income: IncomeRate, office: Any) -> None:
    approved(proposal, office)
    path = f"/api/v1/reform/cycles/{proposal.cycle_id}"

    def get(who: Any) -> Any:
        token = create_token(who)
        return Client().get(path, headers={"Authorization": f"Bearer {token}"})

    answer = get(office)
    assert answer.status_code == 200
    body = answer.json()
    assert body["plan_number"] == "12/KH-UBND"
    assert body["totals"] == {
        "listed": 1,
        "reviewed": 1,
        "proposed": 1,
        "proposed_share": 1.0,
        "approved": 1,
        "annual_before_vnd": 18_432_000_000,
        "annual_after_vnd": 4_158_000_000,
        "annual_saving_vnd": 14_274_000_000,
        "saving_share": 0.7744,
    }
    [item] = body["proposals"]
    assert item["code"] == proposal.code
    assert item["procedure"]["code"] == proposal.procedure.code
    assert [c["kind"] for c in item["changes"]] == ["shorten_time", "cut_document"]
    assert item["per_execution_before_vnd"] == 1_024_000
    assert item["status"] == "approved"
    # The agency sees its own; another agency's officer finds no such cycle; so does a clerk.
    assert get(user("lanhdao")).status_code == 200
    assert get(user("chuyenvien.nnmt")).status_code == 404
    assert get(user("tiepnhan")).status_code == 404
    assert Client().get(path).status_code == 401
    assert get(office).status_code == 200
    missing = Client().get(
        "/api/v1/reform/cycles/999999",
        headers={"Authorization": f"Bearer {create_token(office)}"},
    )
    assert missing.status_code == 404


# -- what a review of the changes found --------------------------------------------------------


def test_an_approved_proposal_can_be_sent_back(
    proposal: Proposal, income: IncomeRate, office: Any
) -> None:
    approved(proposal, office)
    returned = return_proposal(proposal=proposal, note="Danh mục đã thay đổi.", user=office)
    assert returned.status == ProposalStatus.RETURNED
    assert returned.decided_at is None


def test_shortening_a_procedure_with_no_stated_time_is_refused_at_once(
    office: Any, justice: Agency, income: IncomeRate
) -> None:
    untimed = (
        Procedure.objects.filter(active=True, documents__isnull=False)
        .exclude(methods__time_value__isnull=False)
        .first()
    )
    assert untimed is not None
    cycle = open_cycle(
        year=2026,
        title="Rà soát bổ sung",
        deadline=dt.date(2026, 12, 31),
        items=[(untimed, justice)],
        user=office,
    )
    with pytest.raises(ActionError) as refused:
        draft(
            cycle.proposals.get(),
            user("chuyenvien"),
            changes=[ChangeSpec(ChangeKind.SHORTEN_TIME, new_time_value=Decimal(2))],
        )
    assert refused.value.code == "no_timed_method"


def test_a_year_beyond_what_the_columns_hold_is_refused(
    proposal: Proposal, income: IncomeRate
) -> None:
    huge = CostSide((), 10**12, 0, 0)
    with pytest.raises(ActionError) as refused:
        draft(
            proposal,
            user("chuyenvien"),
            before=huge,
            after=huge,
            volume=VolumeOverride(Decimal(9999), 10**8, "x"),
        )
    assert refused.value.code == "annual_too_large"
    proposal.refresh_from_db()
    assert proposal.annual_before_vnd == 0


def test_the_volume_on_the_29th_of_february(proposal: Proposal) -> None:
    found = volume_of(proposal.procedure, end=dt.date(2028, 2, 29))
    assert found.start == dt.date(2027, 3, 2) and found.end == dt.date(2028, 2, 29)


def test_a_cycle_is_opened_once(proposal: Proposal, office: Any, justice: Agency) -> None:
    with pytest.raises(ActionError) as refused:
        open_cycle(
            year=2026,
            title="Rà soát, đánh giá thủ tục hành chính năm 2026",
            deadline=dt.date(2026, 12, 31),
            items=[(proposal.procedure, justice)],
            user=office,
        )
    assert refused.value.code == "cycle_exists"
    with pytest.raises(ActionError):
        open_cycle(
            year=2026,
            title="Một tên khác",
            plan_number="12/KH-UBND",
            deadline=dt.date(2026, 12, 31),
            items=[],
            user=office,
        )
