"""Filters for the back office: money in VND and moments in the province's local time."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


def format_vnd(amount: int | None) -> str:
    """1200000 → "1.200.000" (Vietnamese writes thousands with dots)."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", ".")


def format_moment(moment: dt.datetime | str | None, *, with_time: bool = True) -> str:
    """A moment as the forms print it, in Asia/Ho_Chi_Minh: "02/03/2026 08:00"."""
    if not moment:
        return ""
    if isinstance(moment, str):
        try:
            moment = dt.datetime.fromisoformat(moment)
        except ValueError:
            return str(moment)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


@register.filter
def vnd(amount: int | None) -> str:
    return format_vnd(amount)


@register.filter
def moment(value: dt.datetime | str | None) -> str:
    return format_moment(value) or "—"


@register.filter
def day(value: dt.datetime | str | None) -> str:
    return format_moment(value, with_time=False) or "—"
