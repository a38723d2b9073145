"""What the citizens' forms share (the portal's, the hotline's web form): a Vietnamese message
for every required field, and the error summary at the top of the page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy

REQUIRED = gettext_lazy("Cần nhập thông tin này.")


class CitizenForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary at the top of the page."""
        out = [("", str(message)) for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            anchor = self[name].auto_id or ""
            if isinstance(self.fields[name].widget, forms.RadioSelect):
                anchor = f"{anchor}_0"
            out.extend((anchor, f"{self.fields[name].label}: {message}") for message in errors)
        return out
