"""The back office's form basics: Vietnamese messages, phone numbers, money, moments."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.inputs import EARLIEST, LATEST, MAX_VND
from motcua.core.phones import normalize_phone

REQUIRED = gettext_lazy("Cần nhập thông tin này.")


class BackofficeForm(forms.Form):
    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED

    def focus(self, default: str | None = None) -> bool:
        """Put the cursor on the first field in error (else on ``default``)."""
        name = next((n for n in self.fields if n in self.errors), default)
        if name is None:
            return False
        self.fields[name].widget.attrs["autofocus"] = True
        return True


class PhoneField(forms.CharField):
    """A mobile or landline number (``core.phones``), kept in its national form."""

    default_error_messages = {
        "phone": gettext_lazy("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."),
    }

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return normalize_phone(text)
        except ValidationError as exc:
            raise ValidationError(self.error_messages["phone"], "phone") from exc


class VndField(forms.CharField):
    """An amount in đồng, written with or without dots: "1.200.000"."""

    def clean(self, value: Any) -> int | None:
        text = re.sub(r"[\s.,]|đồng|đ$", "", super().clean(value) or "")
        if not text:
            return None
        # isascii: "²" is a digit to str.isdigit but not to int().
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_VND:
            raise ValidationError(_("Số tiền là số nguyên dương, ví dụ 1.200.000."))
        return int(text)


class MomentField(forms.DateTimeField):
    """dd/mm/yyyy HH:MM in the province's time zone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y"], **kwargs)
        self.error_messages["invalid"] = _(
            "Nhập theo dạng ngày/tháng/năm giờ:phút, ví dụ 15/03/2026 16:00."
        )

    def clean(self, value: Any) -> Any:
        moment = super().clean(value)
        if moment is not None and not EARLIEST <= moment < LATEST:
            raise ValidationError(_("Ngày giờ phải trong khoảng năm 2000 đến 2099."))
        return moment
