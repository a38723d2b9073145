"""How the review pages and the report write amounts and shares (``reform.totals``):
``{{ amount|vnd }}`` 1.234.567, ``{{ amount|ty }}`` 1,23 (tỷ đồng), ``{{ share|vn_decimal }}``
77,44, ``{{ hours|vn_number }}`` 1,5."""

from __future__ import annotations

from decimal import Decimal

from django import template

from motcua.reform import totals

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return totals.vnd(int(amount or 0))


@register.filter
def ty(amount: int | None) -> str:
    return totals.billions(int(amount or 0))


@register.filter
def vn_decimal(value: Decimal | int | str | None) -> str:
    """As it is, with a decimal comma: a share keeps its two decimals (60,00)."""
    if value is None or value == "":
        return ""
    return totals.decimal_vn(Decimal(str(value)))


@register.filter
def vn_number(value: Decimal | int | str | None) -> str:
    """Without trailing zeros: 8 hours, 1,5 hours, 22 days."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return totals.decimal_vn(number.normalize() if number != number.to_integral() else number)
