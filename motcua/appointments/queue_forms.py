"""The desk queue's forms: what the pages accept, with the database's limits
(docs/appointments.md "Desk queue")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.appointments.models import COUNTER_MAX, NAME_MAX, Slot
from motcua.catalog.models import Sector
from motcua.org.models import Desk


def desk_sectors(desk: Desk) -> QuerySet[Sector]:
    """The sectors of the active procedures the desk receives."""
    return (
        Sector.objects.filter(procedures__desks=desk, procedures__active=True)
        .distinct()
        .order_by("name")
    )


class TakeForm(forms.Form):
    """An online number: the sector and a window of the chosen day."""

    sector = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Sector.objects.none(), empty_label=_("— Chọn lĩnh vực —")
    )
    slot = forms.ModelChoiceField(
        label=_("Khung giờ"), queryset=Slot.objects.none(), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, desk: Desk, windows: QuerySet[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = desk_sectors(desk)  # type: ignore[attr-defined]
        self.fields["slot"].queryset = windows  # type: ignore[attr-defined]


class WalkInForm(forms.Form):
    """A number given at the desk: the phone or ID number counts the daily limit."""

    sector = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("— Mọi lĩnh vực —"),
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=30, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=NAME_MAX, required=False)

    def __init__(self, *args: Any, desk: Desk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = desk_sectors(desk)  # type: ignore[attr-defined]


class CallForm(forms.Form):
    """Call the next number to the clerk's counter (and, optionally, only of a sector)."""

    counter = forms.CharField(label=_("Quầy số"), max_length=COUNTER_MAX)
    sector = forms.ModelChoiceField(
        label=_("Chỉ lĩnh vực"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("— Mọi lĩnh vực —"),
    )

    def __init__(self, *args: Any, desk: Desk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = desk_sectors(desk)  # type: ignore[attr-defined]


STEPS = {
    "recall": "recall_number",
    "arrived": "start_serving",
    "served": "finish_number",
    "no_show": "record_no_show",
    "cancel": "cancel_number",
}
