"""The citizen's forms: the online application, a supplement, a rating, the search filters.

Every message is Vietnamese (the msgid language); required-field errors say what to do.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Level, OnlineMode, Sector
from motcua.core import uploads
from motcua.core.forms import CitizenForm
from motcua.core.id_numbers import normalize_id_number
from motcua.core.phones import normalize_phone
from motcua.dossiers.models import RatingCriterion, RatingLevel, ResultDelivery
from motcua.org.models import Agency, Desk
from motcua.portal.procedures import Slot


class UploadField(forms.FileField):
    """A PDF/JPEG/PNG checked by content (``uploads.check``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": uploads.ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> UploadedFile | None:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            uploads.check(upload)
            return upload
        return None


def choose(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def store_key(slot: Slot) -> str:
    return f"store_{slot.document.pk}"


def desk_choices(desks: list[Desk]) -> list[tuple[str, str]]:
    return [
        (str(desk.pk), f"{desk.name} — {desk.address}" if desk.address else desk.name)
        for desk in desks
    ]


class ApplicationForm(CitizenForm):
    """The applicant, the desk, each document, the result delivery. ``complete`` is false
    when saving a draft: then nothing is demanded, but what is given is still checked."""

    applicant_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=255)
    applicant_id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("12 chữ số trên thẻ căn cước."),
    )
    applicant_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": gettext_lazy("Địa chỉ thư điện tử không hợp lệ.")},
    )
    applicant_address = forms.CharField(
        label=gettext_lazy("Địa chỉ thường trú"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    desk = forms.ChoiceField(label=gettext_lazy("Nơi nộp hồ sơ"), widget=forms.RadioSelect)
    result_delivery = forms.ChoiceField(
        label=gettext_lazy("Cách nhận kết quả"),
        choices=ResultDelivery.choices,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label=gettext_lazy("Địa chỉ nhận kết quả qua bưu chính"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Chỉ cần khi nhận kết quả qua bưu chính; để trống: địa chỉ trên."),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        desks: list[Desk],
        slots: list[Slot],
        held: dict[int, str],
        complete: bool = True,
        stored: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.complete = complete
        self.stored = stored or []
        choose(self.fields["desk"], desk_choices(desks))
        self.fields["desk"].error_messages["required"] = _("Cần chọn nơi nộp hồ sơ.")
        self.fields["result_delivery"].error_messages["required"] = _("Cần chọn cách nhận kết quả.")
        for slot in slots:
            self.fields[slot.key] = UploadField(label=slot.document.name, required=False)
            if self.stored:
                # "Chọn từ Kho giấy tờ": an item of the citizen's own store instead of a file.
                self.fields[store_key(slot)] = forms.TypedChoiceField(
                    label=_("Chọn từ Kho giấy tờ"),
                    choices=[("", _("— Không chọn —")), *self.stored],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    error_messages={
                        "invalid_choice": _("Giấy tờ này không còn trong Kho giấy tờ của bạn.")
                    },
                )
        self.mark_held(held)
        if not complete:
            for form_field in self.fields.values():
                form_field.required = False

    def mark_held(self, held: dict[int, str]) -> None:
        """Say under each document which file the draft already holds for it."""
        self.held = held
        for slot in self.slots:
            kept = held.get(slot.document.pk)
            if kept:
                self.fields[slot.key].help_text = _(
                    "Đã tải lên: %(name)s. Chọn tệp khác nếu muốn thay."
                ) % {"name": kept}

    def clean_applicant_id_number(self) -> str:
        value = self.cleaned_data.get("applicant_id_number") or ""
        return normalize_id_number(value, old_card=True) if value.strip() else ""

    def clean_applicant_phone(self) -> str:
        value = self.cleaned_data.get("applicant_phone") or ""
        return normalize_phone(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.complete:
            return data
        if data.get("result_delivery") == ResultDelivery.POSTAL and not (
            (data.get("delivery_address") or "").strip()
            or (data.get("applicant_address") or "").strip()
        ):
            self.add_error("delivery_address", _("Nhận kết quả qua bưu chính cần địa chỉ."))
        for slot in self.slots:
            missing = (
                not data.get(slot.key)
                and slot.document.pk not in self.held
                and not data.get(store_key(slot))
            )
            if slot.required and missing and slot.key not in self.errors:
                self.add_error(slot.key, _("Cần tải lên giấy tờ này."))
        return data

    def uploads(self) -> dict[int, UploadedFile]:
        """Newly uploaded files by required-document id."""
        return {
            slot.document.pk: self.cleaned_data[slot.key]
            for slot in self.slots
            if self.cleaned_data.get(slot.key)
        }

    def picked(self) -> dict[int, int]:
        """The store's item picked for each required document (a new upload wins)."""
        return {
            slot.document.pk: self.cleaned_data[store_key(slot)]
            for slot in self.slots
            if self.cleaned_data.get(store_key(slot)) and not self.cleaned_data.get(slot.key)
        }

    def values(self) -> dict[str, str]:
        """What a draft keeps (everything but the files and the token)."""
        keep = (
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "desk",
            "result_delivery",
            "delivery_address",
        )
        values = {name: str(self.cleaned_data.get(name) or "") for name in keep}
        for slot in self.slots:
            values[store_key(slot)] = str(self.cleaned_data.get(store_key(slot)) or "")
        return values


class SupplementForm(CitizenForm):
    """One upload per item the office asked for, and a note; at least one file."""

    note = forms.CharField(
        label=gettext_lazy("Ghi chú gửi cơ quan"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, items: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for index, item in enumerate(items or [_("Giấy tờ bổ sung")]):
            self.fields[f"item_{index}"] = UploadField(label=item, required=False)
        self.order_fields([name for name in self.fields if name != "note"])

    def files_by_item(self) -> list[tuple[str, UploadedFile]]:
        labels = self.items or [_("Giấy tờ bổ sung")]
        return [
            (label, self.cleaned_data[f"item_{index}"])
            for index, label in enumerate(labels)
            if self.cleaned_data.get(f"item_{index}")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.files_by_item():
            raise ValidationError(_("Cần tải lên ít nhất một giấy tờ bổ sung."))
        return data


class RatingForm(CitizenForm):
    level = forms.ChoiceField(
        label=gettext_lazy("Nhìn chung, bạn có hài lòng với việc giải quyết hồ sơ?"),
        choices=RatingLevel.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Góp ý (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, criteria: list[RatingCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text, choices=RatingLevel.choices, widget=forms.RadioSelect
            )
            self.fields[f"criterion_{criterion.pk}"].error_messages["required"] = _(
                "Cần chọn một mức."
            )
        self.fields["level"].error_messages["required"] = _("Cần chọn một mức.")

    def answers(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Bạn cần làm thủ tục gì?"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("Cấp thực hiện"), required=False)
    sector = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), required=False)
    agency = forms.ChoiceField(label=gettext_lazy("Cơ quan"), required=False)
    online = forms.ChoiceField(label=gettext_lazy("Nộp trực tuyến"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        # No district level since 01/07/2025: the filter offers the levels that remain.
        levels = [(value, str(label)) for value, label in Level.choices if value != Level.DISTRICT]
        choose(self.fields["level"], everything + levels)
        sectors = Sector.objects.filter(procedures__active=True).distinct()
        choose(self.fields["sector"], everything + [(s.name, s.name) for s in sectors])
        agencies = Agency.objects.filter(competent_for__active=True, active=True).distinct()
        choose(
            self.fields["agency"],
            everything + [(a.code, a.name) for a in agencies.order_by("name")],
        )
        choose(
            self.fields["online"],
            [
                *everything,
                (OnlineMode.FULL, _("Toàn trình")),
                (OnlineMode.PARTIAL, _("Một phần")),
                (OnlineMode.NONE, _("Không trực tuyến")),
            ],
        )

    def filters(self) -> dict[str, str]:
        """The valid, non-empty choices; an unknown value is dropped, not an error page."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
