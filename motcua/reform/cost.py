"""The compliance cost of a procedure by the standard-cost method (Circular 02/2017/TT-VPCP,
Art. 27; docs/rules/compliance-cost.md).

One execution costs the work the subject does (the hours of every step × the average hourly
income) plus service and outsourcing costs, fees and charges, and other required costs. The
hourly income is the monthly average income ÷ working days in a month ÷ 8 hours. A year costs
one execution × executions per subject per year × subjects per year.

Rounding: every product and quotient is kept exact (as a fraction) and each reported amount is
rounded once, to the đồng, half up. The hourly income is reported rounded but enters the
costs unrounded, so a cost does not depend on the order the steps are listed in. A saving's
share is rounded to a hundredth of a percent, half up.

The functions here are pure: no database, no clock. The review pages and the API feed them
what they read or receive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HOURS_PER_WORKING_DAY = 8


@dataclass(frozen=True)
class Step:
    """One thing the subject does to comply: prepare a document, travel, wait at the desk,
    receive an appraisal visit… with the hours it takes one person."""

    name: str
    hours: Decimal


@dataclass(frozen=True)
class CostInputs:
    steps: Sequence[Step]
    monthly_income_vnd: int
    working_days_per_month: Decimal
    fees_vnd: int = 0
    service_costs_vnd: int = 0
    other_costs_vnd: int = 0
    executions_per_subject_per_year: Decimal = Decimal(1)
    subjects_per_year: int = 0

    @property
    def hours(self) -> Decimal:
        return sum((step.hours for step in self.steps), Decimal(0))


@dataclass(frozen=True)
class Cost:
    hourly_income_vnd: int
    work_vnd: int  # the steps' hours at the hourly income, one execution
    per_execution_vnd: int
    annual_vnd: int
    # The exact amounts, for totals that round once at the end.
    exact_per_execution: Fraction = field(repr=False, compare=False, default=Fraction(0))
    exact_annual: Fraction = field(repr=False, compare=False, default=Fraction(0))


@dataclass(frozen=True)
class Saving:
    amount_vnd: int
    share: Decimal  # a percentage with two decimals: 77.44 for 77.44 %


def to_dong(amount: Fraction) -> int:
    """``amount`` rounded to the đồng, half up (away from zero)."""
    sign = -1 if amount < 0 else 1
    whole, rest = divmod(abs(amount), 1)
    return sign * int(whole + (1 if rest >= Fraction(1, 2) else 0))


def hourly_income(monthly_income_vnd: int, working_days_per_month: Decimal) -> Fraction:
    """The average income of an hour of work, exact."""
    if working_days_per_month <= 0:
        raise ValueError("working_days_per_month must be positive")
    return Fraction(monthly_income_vnd) / Fraction(working_days_per_month) / HOURS_PER_WORKING_DAY


def compliance_cost(inputs: CostInputs) -> Cost:
    """The cost of one execution and of a year of executions (module docstring)."""
    hourly = hourly_income(inputs.monthly_income_vnd, inputs.working_days_per_month)
    work = sum((Fraction(step.hours) * hourly for step in inputs.steps), Fraction(0))
    per_execution = work + inputs.service_costs_vnd + inputs.fees_vnd + inputs.other_costs_vnd
    annual = (
        per_execution * Fraction(inputs.executions_per_subject_per_year) * inputs.subjects_per_year
    )
    return Cost(
        hourly_income_vnd=to_dong(hourly),
        work_vnd=to_dong(work),
        per_execution_vnd=to_dong(per_execution),
        annual_vnd=to_dong(annual),
        exact_per_execution=per_execution,
        exact_annual=annual,
    )


def saving(before_vnd: int | Fraction, after_vnd: int | Fraction) -> Saving:
    """What a simplification saves: before − after, and its share of before
    (0 when there was no cost before)."""
    amount = Fraction(before_vnd) - Fraction(after_vnd)
    share = Decimal(0)
    if before_vnd:
        exact = amount * 100 / Fraction(before_vnd)
        share = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return Saving(amount_vnd=to_dong(amount), share=share)


def share(part: int, whole: int, places: int = 2) -> Decimal:
    """``part`` of ``whole`` in percent, rounded half up to ``places`` decimals, from the
    exact ratio (0 of nothing)."""
    step = Decimal(1).scaleb(-places)
    if not whole:
        return Decimal(0).quantize(step)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(step, ROUND_HALF_UP)
