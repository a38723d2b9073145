"""Numbers and dates as the indicator pages write them: the Vietnamese way in Vietnamese
(``87,5 điểm``, ``92,3 %``, ``03/12/2026``), through Django's formats for the active
language, so the SVG charts, drawn in Python, read like the tables beside them."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, numberformat, timezone


def number(value: float | int | None, digits: int = 1) -> str:
    """``87,5``; an em dash for a value that cannot be computed (nothing to divide by)."""
    if value is None:
        return "—"
    return numberformat.format(
        round(value, digits),
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=digits,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def percent(share: float | None, digits: int = 1) -> str:
    """A share 0..1 as ``92,3 %``."""
    if share is None:
        return "—"
    return f"{number(share * 100, digits)} %"


def day(value: dt.date | dt.datetime | None) -> str:
    """``dd/mm/yyyy``, a moment in the province's time zone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value:%d/%m/%Y}"


def signed(value: float | None, digits: int = 1) -> str:
    """A difference with its sign: ``+1,5``, ``−2,0``, ``0,0``."""
    if value is None:
        return "—"
    shown = number(abs(value), digits)
    if round(value, digits) > 0:
        return f"+{shown}"
    if round(value, digits) < 0:
        return f"−{shown}"
    return shown
