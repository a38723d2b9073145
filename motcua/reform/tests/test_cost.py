"""The compliance-cost calculator against the worked examples of docs/rules/compliance-cost.md,
to the đồng, with its rounding (exact until the end, half up to the đồng once)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from motcua.reform.cost import (
    CostInputs,
    Step,
    compliance_cost,
    hourly_income,
    saving,
    share,
    to_dong,
)


def inputs(*hours: str, **amounts: object) -> CostInputs:
    values: dict[str, object] = {
        "monthly_income_vnd": 5_280_000,
        "working_days_per_month": Decimal(22),
    }
    values.update(amounts)
    return CostInputs(
        steps=tuple(Step(f"bước {i}", Decimal(h)) for i, h in enumerate(hours, 1)),
        **values,  # type: ignore[arg-type]
    )


def test_hourly_income_is_monthly_income_over_working_days_over_eight_hours() -> None:
    # 5,280,000 đ a month, 22 working days: 30,000 đ an hour.
    assert hourly_income(5_280_000, Decimal(22)) == 30_000
    cost = compliance_cost(inputs("1"))
    assert cost.hourly_income_vnd == 30_000


def test_the_plan_of_1_024_000_to_231_000_a_dossier_saves_77_44_percent() -> None:
    # Before: 20 hours of the applicant's work (600,000 đ), 300,000 đ of fees, 124,000 đ of
    # services (copies, certification). After: 5 hours online, a lower fee, no service.
    before = compliance_cost(
        inputs("8", "6", "4", "2", fees_vnd=300_000, service_costs_vnd=124_000)
    )
    after = compliance_cost(inputs("3", "2", fees_vnd=50_000, other_costs_vnd=31_000))
    assert before.work_vnd == 600_000
    assert before.per_execution_vnd == 1_024_000
    assert after.per_execution_vnd == 231_000
    result = saving(before.per_execution_vnd, after.per_execution_vnd)
    assert result.amount_vnd == 793_000
    assert result.share == Decimal("77.44")


def test_annual_cost_is_per_execution_times_executions_times_subjects() -> None:
    cost = compliance_cost(
        inputs(
            "8",
            "6",
            "4",
            "2",
            fees_vnd=300_000,
            service_costs_vnd=124_000,
            executions_per_subject_per_year=Decimal("1.5"),
            subjects_per_year=12_000,
        )
    )
    assert cost.annual_vnd == 1_024_000 * 18_000 == 18_432_000_000


@pytest.mark.parametrize(
    ("before", "after", "amount", "percent"),
    [
        # Hanoi 2025: 293 procedures, 2,306 → 654 billion đ a year.
        (2_306_000_000_000, 654_000_000_000, 1_652_000_000_000, "71.64"),
        # Ministry of Construction: 137 procedures, 393.4 → 201 billion đ.
        (393_400_000_000, 201_000_000_000, 192_400_000_000, "48.91"),
    ],
)
def test_the_published_plans_savings(before: int, after: int, amount: int, percent: str) -> None:
    result = saving(before, after)
    assert result.amount_vnd == amount
    assert result.share == Decimal(percent)


def test_the_seeds_share_of_procedures_proposed() -> None:
    # 375 of 1,746 procedures proposed for simplification: 21.48 %, "21.5 %" to one decimal.
    assert share(375, 1746) == Decimal("21.48")
    assert round(share(375, 1746), 1) == Decimal("21.5")
    assert share(0, 0) == 0


def test_rounding_happens_once_at_the_end() -> None:
    # 4,960,000 đ ÷ 22 ÷ 8 = 28,181.818… đ an hour, shown as 28,182 đ. Three one-hour steps
    # cost 84,545.45… → 84,545 đ, not 3 × 28,182 = 84,546 đ: the hourly income enters the
    # cost unrounded, so the listing order of the steps changes nothing.
    cost = compliance_cost(inputs("1", "1", "1", monthly_income_vnd=4_960_000))
    assert cost.hourly_income_vnd == 28_182
    assert cost.per_execution_vnd == 84_545
    # A year of it: 84,545.4545… × 3 subjects = 253,636.36… → 253,636 (not 84,545 × 3 =
    # 253,635).
    assert (
        compliance_cost(
            inputs("1", "1", "1", monthly_income_vnd=4_960_000, subjects_per_year=3)
        ).annual_vnd
        == 253_636
    )


def test_half_a_dong_rounds_up() -> None:
    assert to_dong(Fraction(1, 2)) == 1
    assert to_dong(Fraction(5, 2)) == 3
    assert to_dong(Fraction(-5, 2)) == -3
    assert to_dong(Fraction(12_499, 10)) == 1_250
    assert to_dong(Fraction(12_494, 10)) == 1_249


def test_no_cost_before_saves_nothing_in_share() -> None:
    assert saving(0, 0).share == 0


def test_working_days_must_be_positive() -> None:
    with pytest.raises(ValueError):
        hourly_income(5_000_000, Decimal(0))
