"""A proposal's compliance cost from what the province holds (docs/reform.md "Compliance cost").

``cost.py`` computes; this module gathers its inputs and says where each came from:

- the applicant's steps, service and other costs: the agency's estimate, stored on the
  proposal before and after the change (``CostSide``);
- the fees: the catalogue's, for the "before" side, unless the agency states otherwise;
- the hourly income: the province's average income in force on the day (``IncomeRate``);
- executions per subject and subjects per year: the dossiers actually received for the
  procedure in the twelve months before the day (subjects told apart by their ID or
  enterprise number), unless the agency overrides them with its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Fee, Procedure
from motcua.core.actions import invalid
from motcua.dossiers.models import Dossier
from motcua.reform.cost import Cost, CostInputs, Step, compliance_cost
from motcua.reform.models import IncomeRate

MAX_STEPS = 40
MAX_HOURS = Decimal(10_000)
MAX_VND = 10**12
STEP_NAME_LENGTH = 255
# Without a dated income rate, this is used and flagged (about the national average
# monthly income per person, 2024).
FALLBACK_MONTHLY_INCOME_VND = 5_000_000
FALLBACK_WORKING_DAYS = Decimal(22)


@dataclass(frozen=True)
class CostSide:
    """The agency's estimate of one side (before or after): the applicant's steps and the
    costs besides the work."""

    steps: tuple[Step, ...]
    fees_vnd: int
    service_costs_vnd: int
    other_costs_vnd: int

    def to_json(self) -> dict[str, Any]:
        return {
            "steps": [{"name": s.name, "hours": str(s.hours)} for s in self.steps],
            "fees_vnd": self.fees_vnd,
            "service_costs_vnd": self.service_costs_vnd,
            "other_costs_vnd": self.other_costs_vnd,
        }

    @classmethod
    def from_json(cls, data: Any) -> CostSide:
        """Read and check a side as sent by a form or the API; ``invalid`` (422) names the
        first field out of its limits."""
        if not isinstance(data, dict):
            data = {}
        raw_steps = data.get("steps") or []
        if not isinstance(raw_steps, list) or len(raw_steps) > MAX_STEPS:
            raise invalid(
                "steps", _("Tối đa %(n)s bước cho mỗi phương án.") % {"n": MAX_STEPS}, field="steps"
            )
        steps = []
        for index, raw in enumerate(raw_steps):
            raw = raw if isinstance(raw, dict) else {}
            name = str(raw.get("name") or "").strip()
            if not name or len(name) > STEP_NAME_LENGTH:
                raise invalid(
                    "step_name",
                    _("Bước %(n)s: nhập tên công việc (tối đa %(max)s ký tự).")
                    % {"n": index + 1, "max": STEP_NAME_LENGTH},
                    field="steps",
                )
            steps.append(Step(name=name, hours=hours_of(raw.get("hours"), index + 1)))
        return cls(
            steps=tuple(steps),
            fees_vnd=amount_of(data.get("fees_vnd"), "fees_vnd"),
            service_costs_vnd=amount_of(data.get("service_costs_vnd"), "service_costs_vnd"),
            other_costs_vnd=amount_of(data.get("other_costs_vnd"), "other_costs_vnd"),
        )

    @property
    def hours(self) -> Decimal:
        return sum((s.hours for s in self.steps), Decimal(0))


def hours_of(value: Any, position: int) -> Decimal:
    try:
        hours = Decimal(str(value if value not in (None, "") else "0").replace(",", "."))
    except InvalidOperation:
        hours = Decimal(-1)
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        raise invalid(
            "step_hours",
            _("Bước %(n)s: số giờ phải từ 0 đến %(max)s.") % {"n": position, "max": MAX_HOURS},
            field="steps",
        )
    return hours.quantize(Decimal("0.01"), ROUND_HALF_UP)


def amount_of(value: Any, field: str) -> int:
    try:
        amount = int(value or 0)
    except (TypeError, ValueError, OverflowError):
        amount = -1
    if amount < 0 or amount > MAX_VND:
        raise invalid(
            "amount",
            _("Số tiền phải là số đồng từ 0 đến %(max)s.")
            % {"max": f"{MAX_VND:,}".replace(",", ".")},
            field=field,
        )
    return amount


@dataclass(frozen=True)
class Income:
    monthly_vnd: int
    working_days: Decimal
    source: str


def income_on(day: dt.date) -> Income:
    """The province's average income on ``day``; a stated national figure when none is set."""
    rate = IncomeRate.on(day)
    if rate is None:
        return Income(
            FALLBACK_MONTHLY_INCOME_VND,
            FALLBACK_WORKING_DAYS,
            _("Chưa khai báo thu nhập bình quân của tỉnh: dùng mức tham chiếu 5.000.000 đ/tháng."),
        )
    return Income(rate.monthly_income_vnd, rate.working_days_per_month, rate.source)


@dataclass(frozen=True)
class Volume:
    dossiers: int
    subjects: int
    executions_per_subject: Decimal
    start: dt.date
    end: dt.date


def volume_of(procedure: Procedure, *, end: dt.date) -> Volume:
    """The dossiers received for ``procedure`` in the 365 days up to ``end`` and the
    subjects who filed them (one per ID or enterprise number; a dossier without one counts
    as its own subject)."""
    start = end - dt.timedelta(days=364)
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone)
    found = Dossier.objects.filter(
        procedure=procedure, received_at__gte=since, received_at__lt=until
    ).aggregate(
        dossiers=Count("pk"),
        identified=Count("applicant_id_number", distinct=True, filter=~Q(applicant_id_number="")),
        anonymous=Count("pk", filter=Q(applicant_id_number="")),
    )
    dossiers = found["dossiers"]
    subjects = found["identified"] + found["anonymous"]
    per_subject = (
        (Decimal(dossiers) / Decimal(subjects)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if subjects
        else Decimal(1)
    )
    return Volume(dossiers, subjects, per_subject, start, end)


def catalogue_fees(procedure: Procedure) -> int:
    """The fees and charges one execution pays, by the catalogue: the first method's total
    (the catalogue lists a fee per way of filing; they are the same in nearly every case)."""
    fees = Fee.objects.filter(method__procedure=procedure).order_by("method_id", "pk")
    first_method = None
    total = 0
    for fee in fees:
        if first_method is None:
            first_method = fee.method_id
        if fee.method_id == first_method:
            total += fee.amount_vnd
    return total


def cost_of(
    side: CostSide,
    *,
    income: Income,
    executions_per_subject: Decimal,
    subjects_per_year: int,
) -> Cost:
    return compliance_cost(
        CostInputs(
            steps=side.steps,
            monthly_income_vnd=income.monthly_vnd,
            working_days_per_month=income.working_days,
            fees_vnd=side.fees_vnd,
            service_costs_vnd=side.service_costs_vnd,
            other_costs_vnd=side.other_costs_vnd,
            executions_per_subject_per_year=executions_per_subject,
            subjects_per_year=subjects_per_year,
        )
    )
