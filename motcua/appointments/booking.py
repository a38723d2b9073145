"""The home-visit booking form shared by the three booking pages (docs/appointments.md
"Booking channels"): the citizen on the portal, a 1022 operator taking a call, a desk clerk.

The citizen chooses the commune of their home, then a date, then one of the free slots
serving that commune; gives the procedure, the purpose (to submit a dossier, or to receive a
result: then one of their dossiers), the contact and the address. Everything goes through
``actions.book_appointment``; a refusal comes back as the form's error, nothing written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from motcua.appointments.actions import (
    ActionError,
    Address,
    Booking,
    Contact,
    book_appointment,
)
from motcua.appointments.models import (
    ADDRESS_MAX,
    EMAIL_MAX,
    NAME_MAX,
    Purpose,
    Slot,
    SlotKind,
)
from motcua.catalog.models import Procedure
from motcua.core.actions import User
from motcua.core.inputs import validate_day
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus
from motcua.org.models import AdministrativeUnit

# The dossiers a result visit may be booked for: being processed, or with the result ready.
RESULT_STATUSES = (
    DossierStatus.RECEIVED,
    DossierStatus.IN_PROGRESS,
    DossierStatus.AWAITING_PAYMENT,
    DossierStatus.RESULT_READY,
)
HOME_PURPOSES = [
    (Purpose.SUBMIT.value, _lazy("Nộp hồ sơ tại nhà")),
    (Purpose.RECEIVE_RESULT.value, _lazy("Nhận kết quả tại nhà")),
]


def served_units() -> QuerySet[AdministrativeUnit]:
    """The units some future home slot with room serves."""
    ids = Slot.objects.filter(
        kind=SlotKind.HOME, start__gt=timezone.now(), booked__lt=F("capacity")
    ).values("units")
    return AdministrativeUnit.objects.filter(pk__in=ids).order_by("name")


def free_slots(unit: AdministrativeUnit | None, day: dt.date | None) -> list[Slot]:
    """Home slots with room on ``day`` (Vietnam's time) serving ``unit``."""
    if unit is None or day is None:
        return []
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return list(
        Slot.objects.filter(
            kind=SlotKind.HOME,
            units=unit,
            start__gt=max(timezone.now(), start),
            start__lt=start + dt.timedelta(days=1),
            booked__lt=F("capacity"),
        )
        .select_related("officer")
        .order_by("start", "id")[:100]
    )


class FindForm(forms.Form):
    """Step 1 and 2 (GET): the commune and the date."""

    unit = forms.ModelChoiceField(
        label=_lazy("Xã, phường nơi ở"),
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_lazy("— Chọn xã, phường —"),
    )
    date = forms.DateField(
        label=_lazy("Ngày hẹn"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        validators=[validate_day],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = served_units()  # type: ignore[attr-defined]


class HomeVisitForm(forms.Form):
    """Step 3 (POST): the slot and who, what, where."""

    unit = forms.ModelChoiceField(
        queryset=AdministrativeUnit.objects.all(), widget=forms.HiddenInput
    )
    slot = forms.IntegerField(label=_lazy("Khung giờ"), min_value=1, max_value=2**62)
    procedure = forms.CharField(
        label=_lazy("Mã thủ tục"), max_length=40, help_text=_lazy("Ví dụ 1.000426.")
    )
    purpose = forms.ChoiceField(label=_lazy("Mục đích"), choices=HOME_PURPOSES)
    dossier = forms.CharField(
        label=_lazy("Mã hồ sơ (khi nhận kết quả)"), max_length=40, required=False
    )
    contact_name = forms.CharField(label=_lazy("Họ tên người liên hệ"), max_length=NAME_MAX)
    contact_phone = forms.CharField(
        label=_lazy("Số điện thoại"), max_length=30, help_text=_lazy("Ví dụ 0912 345 678.")
    )
    contact_email = forms.EmailField(
        label=_lazy("Thư điện tử (nhận xác nhận, nhắc lịch)"), max_length=EMAIL_MAX, required=False
    )
    address_line = forms.CharField(
        label=_lazy("Số nhà, đường, thôn, ấp"),
        max_length=ADDRESS_MAX,
        help_text=_lazy("Tối đa %(max)s ký tự.") % {"max": ADDRESS_MAX},
    )

    def __init__(self, *args: Any, dossiers: QuerySet[Dossier] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if dossiers is not None:
            # A citizen picks one of their own dossiers.
            choices = [("", _("— Chọn hồ sơ —"))] + [
                (d.code, f"{d.code} · {d.procedure.name[:80]}")
                for d in dossiers.filter(status__in=RESULT_STATUSES).select_related("procedure")[
                    :50
                ]
            ]
            self.fields["dossier"] = forms.ChoiceField(
                label=_lazy("Hồ sơ nhận kết quả"), choices=choices, required=False
            )


def book_from(
    form: HomeVisitForm,
    *,
    actor: User | None,
    channel: str,
    dossiers: QuerySet[Dossier],
) -> Booking | None:
    """Book from a valid form; on a refusal, the form gets the error and None is returned.
    ``dossiers``: those the caller may link (their own, or those staff may see)."""
    data = form.cleaned_data
    slot = Slot.objects.filter(pk=data["slot"], kind=SlotKind.HOME).first()
    if slot is None:
        form.add_error("slot", _("Không tìm thấy khung giờ hẹn; hãy chọn lại."))
        return None
    procedure = Procedure.objects.filter(code=data["procedure"].strip()).first()
    if procedure is None:
        form.add_error("procedure", _("Không tìm thấy thủ tục có mã này."))
        return None
    dossier = None
    if data["purpose"] == Purpose.RECEIVE_RESULT:
        code = (data.get("dossier") or "").strip()
        dossier = dossiers.filter(code=code, status__in=RESULT_STATUSES).first() if code else None
        if dossier is None:
            form.add_error("dossier", _("Chọn hồ sơ đang xử lý hoặc đã có kết quả."))
            return None
        procedure = dossier.procedure
    try:
        return book_appointment(
            slot=slot,
            procedure=procedure,
            purpose=data["purpose"],
            contact=Contact(
                name=data["contact_name"],
                phone=data["contact_phone"],
                email=data.get("contact_email") or "",
            ),
            address=Address(line=data["address_line"], unit=data["unit"]),
            dossier=dossier,
            actor=actor,
            channel=channel,
        )
    except ActionError as exc:
        field = str(exc.details.get("field", "")).replace("contact.", "contact_")
        field = {"address.line": "address_line"}.get(field, field)
        form.add_error(field if field in form.fields else None, exc.message)
        return None
