"""A cycle's figures by the report's counting rules (reform/totals.py, docs/reform.md)."""

from __future__ import annotations

from decimal import Decimal

from motcua.reform.totals import Row, billions, by_agency, percent, totals, vnd


def row(status: str, simplifies: bool = True, before: int = 0, after: int = 0, **kw: str) -> Row:
    return Row(status, simplifies, before, after, **kw)


ROWS = [
    row("approved", before=1_000_000_000, after=600_000_000, agency="Sở Tư pháp"),
    row("enacted", before=500_000_000, after=500_000_000, agency="Sở Tư pháp"),
    row("submitted", before=300_000_000, after=100_000_000, agency="Công an tỉnh"),
    row("submitted", simplifies=False, before=9_000_000, after=9_000_000, agency="Công an tỉnh"),
    row("returned", before=7_000_000_000, after=0, agency="Sở Tư pháp"),
    row("draft", before=7_000_000_000, after=0, agency="Sở Tư pháp"),
]


def test_reviewed_are_sent_proposals_and_proposed_those_with_a_change() -> None:
    result = totals(ROWS)
    assert (result.listed, result.reviewed, result.proposed, result.decided) == (6, 4, 3, 2)
    assert result.proposed_share == Decimal("75.00")
    assert result.proposed_share_1 == Decimal("75.0")


def test_costs_sum_over_the_proposed_only_with_the_decided_beside() -> None:
    result = totals(ROWS)
    assert result.before_vnd == 1_800_000_000
    assert result.after_vnd == 1_200_000_000
    assert result.saving_vnd == 600_000_000
    assert result.saving_share == Decimal("33.33")
    assert result.saving_share_1 == Decimal("33.3")
    assert result.decided_saving_vnd == 400_000_000
    assert result.decided_saving_share == Decimal("26.67")


def test_one_decimal_is_rounded_from_the_exact_share_not_from_two_decimals() -> None:
    # 0.2449…% → 0.24 and 0.2 (rounding 0.24 again would also give 0.2); 14.95 exactly →
    # 14.95 and 15.0; 1/6 → 16.67 and 16.7.
    assert percent(2449, 1_000_000) == Decimal("0.24")
    assert percent(2449, 1_000_000, 1) == Decimal("0.2")
    assert percent(1495, 10_000, 1) == Decimal("15.0")
    assert percent(1, 6) == Decimal("16.67")
    assert percent(1, 6, 1) == Decimal("16.7")
    # 0.04449…: two decimals 0.04; one decimal 0.0 (not 0.1 via 0.05).
    assert percent(4449, 100_000 * 100, 1) == Decimal("0.0")


def test_nothing_reviewed_is_zero_not_an_error() -> None:
    result = totals([row("draft")])
    assert result.proposed_share == Decimal("0.00")
    assert result.saving_share == Decimal("0.00")
    assert totals([]).listed == 0


def test_per_agency_by_name() -> None:
    groups = dict(by_agency(ROWS))
    assert list(groups) == ["Công an tỉnh", "Sở Tư pháp"]
    assert groups["Công an tỉnh"].reviewed == 2
    assert groups["Công an tỉnh"].proposed == 1
    assert groups["Sở Tư pháp"].saving_vnd == 400_000_000


def test_amounts_as_the_report_writes_them() -> None:
    assert vnd(1_234_567) == "1.234.567"
    assert vnd(0) == "0"
    assert billions(12_345_678_901) == "12,35"
    assert billions(1_234_567_890_123) == "1.234,57"
    assert billions(180_000_000) == "0,18"
    assert billions(-5_000_000_000) == "-5,00"


def test_two_agencies_with_one_name_are_two_groups() -> None:
    rows = [
        Row("approved", True, 100, 50, agency="Phòng Tư pháp", agency_id=1),
        Row("approved", True, 300, 100, agency="Phòng Tư pháp", agency_id=2),
    ]
    groups = by_agency(rows)
    assert [name for name, _figures in groups] == ["Phòng Tư pháp", "Phòng Tư pháp"]
    assert sorted(figures.saving_vnd for _name, figures in groups) == [50, 200]
