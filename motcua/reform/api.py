"""Simplification endpoints of the API (docs/rules/api.md "Simplification and compliance
cost"), for staff with a bearer token: the compliance-cost calculator as a service, and a
review cycle with its totals and proposals (``reform.access`` decides which)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema

from motcua.core.api_errors import ApiError
from motcua.dossiers.permissions import Scope
from motcua.dossiers.tokens import BearerToken
from motcua.reform.access import ReviewAccess, cycle_for
from motcua.reform.cost import CostInputs, Step, compliance_cost, share
from motcua.reform.models import ProposalChange
from motcua.reform.totals import row_of, totals, with_counts

router = Router(tags=["reform"], auth=BearerToken())

VND = Annotated[int, Field(ge=0, le=10**12, description="Số tiền (đồng).")]


class StepIn(Schema):
    name: str = Field(min_length=1, max_length=255, description="Công việc của đối tượng.")
    hours: Decimal = Field(ge=0, le=10_000, max_digits=7, decimal_places=2)


class CostIn(Schema):
    steps: list[StepIn] = Field(max_length=40)
    monthly_income_vnd: int = Field(ge=1, le=10**10, description="Thu nhập bình quân tháng.")
    working_days_per_month: Decimal = Field(ge=1, le=31, max_digits=3, decimal_places=1)
    fees_vnd: VND = 0
    service_costs_vnd: VND = 0
    other_costs_vnd: VND = 0
    executions_per_subject_per_year: Decimal = Field(
        default=Decimal(1), ge=Decimal("0.01"), le=9999, max_digits=6, decimal_places=2
    )
    subjects_per_year: int = Field(default=0, ge=0, le=10**8)


class CostOut(Schema):
    hourly_income_vnd: int = Field(description="Thu nhập bình quân một giờ, làm tròn đến đồng.")
    work_vnd: int = Field(description="Chi phí thời gian thực hiện của một lần, làm tròn.")
    per_execution_vnd: int
    annual_vnd: int


def _officer(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    if not Scope.of(user).memberships:
        raise ApiError(403, "forbidden", _("Chỉ cán bộ, công chức mới dùng được chức năng này."))
    return user


@router.post(
    "/compliance-cost",
    response=CostOut,
    summary="Tính chi phí tuân thủ thủ tục hành chính (Thông tư 02/2017/TT-VPCP)",
)
def compliance_cost_endpoint(request: HttpRequest, body: CostIn) -> CostOut:
    """Hourly income = monthly income ÷ working days ÷ 8; per execution = Σ hours × hourly
    income + service + fees + other costs; annual = per execution × executions per subject
    per year × subjects per year. Every amount is computed exactly and rounded once, to the
    đồng, half up (the hourly income enters the costs unrounded)."""
    _officer(request)
    cost = compliance_cost(
        CostInputs(
            steps=tuple(Step(step.name, step.hours) for step in body.steps),
            monthly_income_vnd=body.monthly_income_vnd,
            working_days_per_month=body.working_days_per_month,
            fees_vnd=body.fees_vnd,
            service_costs_vnd=body.service_costs_vnd,
            other_costs_vnd=body.other_costs_vnd,
            executions_per_subject_per_year=body.executions_per_subject_per_year,
            subjects_per_year=body.subjects_per_year,
        )
    )
    return CostOut(
        hourly_income_vnd=cost.hourly_income_vnd,
        work_vnd=cost.work_vnd,
        per_execution_vnd=cost.per_execution_vnd,
        annual_vnd=cost.annual_vnd,
    )


class NamedOut(Schema):
    code: str
    name: str


class ChangeOut(Schema):
    kind: str = Field(description="cut_document, cut_step, shorten_time, lower_fee, …")
    detail: str


class ProposalOut(Schema):
    id: int
    code: str
    procedure: NamedOut
    agency: NamedOut
    status: str = Field(description="draft, submitted, returned, approved, enacted")
    changes: list[ChangeOut]
    per_execution_before_vnd: int
    per_execution_after_vnd: int
    annual_before_vnd: int
    annual_after_vnd: int
    annual_saving_vnd: int
    decision_number: str
    effective_from: dt.date | None


class CycleTotalsOut(Schema):
    listed: int = Field(description="Thủ tục trong đợt rà soát.")
    reviewed: int = Field(description="Đã gửi phương án (kể cả giữ nguyên).")
    proposed: int = Field(description="Đề xuất đơn giản hóa.")
    proposed_share: float = Field(description="proposed ÷ reviewed, trong [0, 1].")
    approved: int = Field(description="Đề xuất đã được thông qua hoặc ban hành.")
    annual_before_vnd: int = Field(description="Chi phí tuân thủ/năm trước, của các đề xuất.")
    annual_after_vnd: int
    annual_saving_vnd: int
    saving_share: float = Field(description="Tiết kiệm ÷ chi phí trước, trong [0, 1].")


class CycleOut(Schema):
    id: int
    year: int
    title: str
    plan_number: str
    deadline: dt.date
    status: str
    totals: CycleTotalsOut
    proposals: list[ProposalOut]


def _fraction(percent: Decimal) -> float:
    return float(percent / 100)


@router.get(
    "/cycles/{cycle_id}",
    response=CycleOut,
    summary="Đợt rà soát thủ tục hành chính: tổng hợp và các phương án",
)
def cycle_endpoint(
    request: HttpRequest, cycle_id: Annotated[int, Path(ge=1, le=2**53)]
) -> CycleOut:
    """The cycle's totals (docs/reform.md "The report and its counting rules") and its proposals
    with their cost before and after. An agency's staff see their agency's proposals and
    the totals of those; the reform office and those who read every proposal see all."""
    user = _officer(request)
    access = ReviewAccess.of(user)
    try:
        cycle = cycle_for(user, cycle_id)
    except Http404:
        raise ApiError(404, "not_found", _("Không tìm thấy đợt rà soát này.")) from None
    proposals = list(
        with_counts(access.proposals().filter(cycle=cycle))
        .prefetch_related(
            Prefetch("changes", queryset=ProposalChange.objects.order_by("position", "pk"))
        )
        .order_by("number")
    )
    figures = totals(row_of(p) for p in proposals)
    return CycleOut(
        id=cycle.pk,
        year=cycle.year,
        title=cycle.title,
        plan_number=cycle.plan_number,
        deadline=cycle.deadline,
        status=cycle.status,
        totals=CycleTotalsOut(
            listed=figures.listed,
            reviewed=figures.reviewed,
            proposed=figures.proposed,
            proposed_share=_fraction(share(figures.proposed, figures.reviewed)),
            approved=figures.decided,
            annual_before_vnd=figures.before_vnd,
            annual_after_vnd=figures.after_vnd,
            annual_saving_vnd=figures.saving_vnd,
            saving_share=_fraction(share(figures.saving_vnd, figures.before_vnd)),
        ),
        proposals=[
            ProposalOut(
                id=p.pk,
                code=p.code,
                procedure=NamedOut(code=p.procedure.code, name=p.procedure.name),
                agency=NamedOut(code=p.agency.code, name=p.agency.name),
                status=p.status,
                changes=[ChangeOut(kind=c.kind, detail=c.detail) for c in p.changes.all()],
                per_execution_before_vnd=p.per_execution_before_vnd,
                per_execution_after_vnd=p.per_execution_after_vnd,
                annual_before_vnd=p.annual_before_vnd,
                annual_after_vnd=p.annual_after_vnd,
                annual_saving_vnd=p.annual_saving_vnd,
                decision_number=p.decision_number,
                effective_from=p.effective_from,
            )
            for p in proposals
        ],
    )
