"""Simplification endpoints of the API (docs/rules/api.md "Simplification and compliance
cost"), for staff with a bearer token: the compliance-cost calculator as a service, and a
review cycle with its totals and proposals (``reform.access`` decides which)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from motcua.core.api_errors import ApiError
from motcua.dossiers.permissions import Scope
from motcua.dossiers.tokens import BearerToken
from motcua.reform.cost import CostInputs, Step, compliance_cost

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
