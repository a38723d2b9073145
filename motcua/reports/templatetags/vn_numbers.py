"""Template filters for the indicator pages (``motcua/reports/numbers.py``)."""

from __future__ import annotations

import datetime as dt

from django import template

from motcua.reports import numbers

register = template.Library()


@register.filter
def vn_number(value: float | int | None, digits: int = 1) -> str:
    return numbers.number(value, int(digits))


@register.filter
def vn_percent(share: float | None, digits: int = 1) -> str:
    return numbers.percent(share, int(digits))


@register.filter
def vn_signed(value: float | None, digits: int = 1) -> str:
    return numbers.signed(value, int(digits))


@register.filter
def vn_day(value: dt.date | dt.datetime | None) -> str:
    return numbers.day(value)
