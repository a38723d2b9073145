"""The postal service's registration form, the same for a citizen on the portal and an officer
at a desk, on the 1022 line or at a post office (docs/postal.md "Registering").

The form checks what a form can (lengths as the database holds them, a service among those
the dossier may still order, a unit of the province as it is today); the action checks the
rest (who, the dossier's status, the phone, an order already there) and its refusals are put
back on the form by ``add_refusal``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.core.actions import ActionError
from motcua.core.forms import CitizenForm
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import can
from motcua.org.models import AdministrativeUnit, UnitLevel
from motcua.postal.actions import GUARD, LINE_MAX, NAME_MAX, NOTE_MAX, TIME_MAX
from motcua.postal.models import OrderStatus, PostalService

BOTH = "both"
PHONE_MAX = 30  # as typed; the action keeps the normalised number (at most 20 characters)

# An action's refusal is shown on the field it names (``details["field"]``).
FIELDS_BY_ACTION = {
    "address.line": "address_line",
    "address.unit_code": "unit_code",
    "contact.name": "contact_name",
    "contact.phone": "contact_phone",
    "contact.preferred_time": "preferred_time",
    "note": "note",
    "service": "service",
}


def open_services(dossier: Dossier) -> list[str]:
    """The services the dossier may still order: allowed by its status, not ordered yet."""
    ordered = set(
        dossier.postal_orders.exclude(status=OrderStatus.CANCELLED).values_list(
            "service", flat=True
        )
    )
    return [
        service
        for service in (PostalService.PICKUP, PostalService.DELIVERY)
        if service not in ordered and can(GUARD[service], dossier.status)
    ]


def service_choices(services: list[str]) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [(s, PostalService(s).label) for s in services]
    if len(services) == 2:
        choices.append((BOTH, gettext_lazy("Cả hai: thu gom hồ sơ và chuyển trả kết quả")))
    return choices


def unit_choices() -> list[tuple[str, str]]:
    """The province's communes and wards as they are today (directly under the province, or
    under one of its districts in the three-level structure), by name; an address in an old
    unit is entered in the unit it became."""
    today = timezone.localdate()
    province = (
        AdministrativeUnit.objects.valid_on(today)
        .filter(level=UnitLevel.PROVINCE, code=settings.MOTCUA_PROVINCE_CODE)
        .first()
    )
    if province is None:
        return []
    units = (
        AdministrativeUnit.objects.valid_on(today)
        .filter(level=UnitLevel.COMMUNE)
        .filter(Q(parent=province) | Q(parent__parent=province))
        .order_by("name")
    )
    return [(u.code, u.name) for u in units]


class PostalOrderForm(CitizenForm):
    service = forms.ChoiceField(label=gettext_lazy("Dịch vụ"), widget=forms.RadioSelect, choices=[])
    address_line = forms.CharField(
        label=gettext_lazy("Địa chỉ (số nhà, đường, ấp, khu phố)"),
        max_length=LINE_MAX,
        help_text=gettext_lazy("Tối đa %(max)s ký tự.") % {"max": LINE_MAX},
    )
    unit_code = forms.ChoiceField(label=gettext_lazy("Xã, phường"), choices=[])
    contact_name = forms.CharField(label=gettext_lazy("Người liên hệ"), max_length=NAME_MAX)
    contact_phone = forms.CharField(
        label=gettext_lazy("Điện thoại liên hệ"),
        max_length=PHONE_MAX,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("Bưu điện gọi số này trước khi đến."),
    )
    preferred_time = forms.CharField(
        label=gettext_lazy("Thời gian thuận tiện"),
        max_length=TIME_MAX,
        required=False,
        help_text=gettext_lazy("Ví dụ: sáng thứ Bảy, sau 17 giờ các ngày thường."),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú cho bưu điện"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, services: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        assert isinstance(service, forms.ChoiceField)
        service.choices = service_choices(services)
        if len(services) == 1:
            service.initial = services[0]
        unit = self.fields["unit_code"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [("", gettext_lazy("— Chọn xã, phường —")), *unit_choices()]

    def services(self) -> list[str]:
        chosen = self.cleaned_data["service"]
        return [PostalService.PICKUP, PostalService.DELIVERY] if chosen == BOTH else [chosen]

    def add_refusal(self, refusal: ActionError) -> None:
        """Put an action's refusal on the field it is about, or above the form."""
        field = FIELDS_BY_ACTION.get(str(refusal.details.get("field", "")))
        self.add_error(field if field in self.fields else None, refusal.message)
