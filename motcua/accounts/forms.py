"""The citizen's forms: sign-up, sign-in, verification code, profile. Messages in Vietnamese;
values come out normalised (phone "0xxxxxxxxx", email lower-case, ID number 12 digits)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.actions import ProfileChanges
from motcua.accounts.identifiers import Identifier, parse_identifier, profile_by_identifier
from motcua.accounts.models import Channel, CitizenProfile
from motcua.accounts.verification import unavailable_message
from motcua.core.id_numbers import birth_year_matches, normalize_id_number
from motcua.core.phones import normalize_mobile
from motcua.notifications.delivery import channel_enabled
from motcua.notifications.models import NotificationChannel

REQUIRED = gettext_lazy("Cần nhập thông tin này.")
IDENTIFIER_LABEL = gettext_lazy("Số điện thoại hoặc thư điện tử")


def can_send_to(channel: str) -> bool:
    """A code can reach this kind of address: SMS for phones, email for emails."""
    return channel_enabled(
        NotificationChannel.SMS if channel == Channel.PHONE else NotificationChannel.EMAIL
    )


class CitizenForm(forms.Form):
    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED

    def focus(self, default: str | None = None) -> None:
        """Put the cursor on the first field in error (else on ``default``)."""
        name = next((n for n in self.fields if n in self.errors), default)
        if name is not None:
            self.fields[name].widget.attrs["autofocus"] = True


def _identifier_field() -> forms.CharField:
    return forms.CharField(
        label=IDENTIFIER_LABEL,
        max_length=254,
        help_text=gettext_lazy("Ví dụ: 0912 345 678 hoặc an@example.vn"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )


class SignUpForm(CitizenForm):
    full_name = forms.CharField(
        label=gettext_lazy("Họ và tên"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    identifier = _identifier_field()
    password1 = forms.CharField(
        label=gettext_lazy("Mật khẩu"),
        strip=False,
        help_text=gettext_lazy("Ít nhất 8 ký tự, không chỉ gồm chữ số, không quá dễ đoán."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_identifier(self) -> Identifier:
        identifier = parse_identifier(self.cleaned_data["identifier"])
        if not can_send_to(identifier.channel):
            raise ValidationError(unavailable_message(identifier.channel))
        holder = profile_by_identifier(identifier)
        if holder is not None and holder.is_verified(identifier.channel):
            raise ValidationError(
                _("Đã có tài khoản dùng %(value)s. Vui lòng đăng nhập.")
                % {"value": identifier.value}
            )
        return identifier

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password1"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
        elif password:
            identifier = data.get("identifier")
            # The similarity check compares the password with these attributes.
            probe = get_user_model()(
                username=identifier.value if identifier else "",
                first_name=data.get("full_name", ""),
                email=identifier.value if identifier and identifier.channel == "email" else "",
            )
            try:
                validate_password(password, user=probe)
            except ValidationError as exc:
                self.add_error("password1", [_password_message(e) for e in exc.error_list])
        return data


# Django's Vietnamese catalogue misses some of these, and calls the phone a "username".
_PASSWORD_MESSAGES = {
    "password_too_short": gettext_lazy("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
    "password_too_similar": gettext_lazy("Mật khẩu quá giống họ tên, số điện thoại hoặc email."),
    "password_too_common": gettext_lazy("Mật khẩu này quá phổ biến, dễ bị đoán ra."),
    "password_entirely_numeric": gettext_lazy("Mật khẩu không được chỉ gồm chữ số."),
}


def _password_message(error: ValidationError) -> str:
    template = _PASSWORD_MESSAGES.get(error.code or "")
    if template is None:
        return " ".join(error.messages)
    return str(template) % (error.params or {}) if "%(" in str(template) else str(template)


class SignInForm(CitizenForm):
    identifier = _identifier_field()
    password = forms.CharField(
        label=gettext_lazy("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(CitizenForm):
    code = forms.CharField(
        label=gettext_lazy("Mã xác minh (6 chữ số)"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError(_("Mã xác minh gồm 6 chữ số."))
        return code


class ProfileForm(CitizenForm):
    full_name = forms.CharField(
        label=gettext_lazy("Họ và tên"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (CCCD)"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("12 chữ số in trên thẻ căn cước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=gettext_lazy("Ngày sinh"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Nhập ngày theo dạng ngày/tháng/năm.")},
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại di động"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": gettext_lazy("Địa chỉ thư điện tử không hợp lệ.")},
    )
    address = forms.CharField(
        label=gettext_lazy("Địa chỉ"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args: Any, profile: CitizenProfile, **kwargs: Any) -> None:
        self.profile = profile
        kwargs.setdefault(
            "initial",
            {
                "full_name": profile.full_name,
                "id_number": profile.id_number,
                "date_of_birth": profile.date_of_birth,
                "phone": profile.phone,
                "email": profile.email,
                "address": profile.address,
            },
        )
        super().__init__(*args, **kwargs)
        if profile.id_verified:  # asserted by the identity provider: not for the citizen to edit
            self.fields["id_number"].disabled = True
            self.fields["id_number"].help_text = gettext_lazy("Đã xác thực qua định danh điện tử.")

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_id_number(self) -> str:
        if self.profile.id_verified:
            return self.profile.id_number
        value = self.cleaned_data.get("id_number") or ""
        return normalize_id_number(value) if value.strip() else ""

    def clean_date_of_birth(self) -> dt.date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born and not (dt.date(1900, 1, 1) < born <= timezone.localdate()):
            raise ValidationError(_("Ngày sinh không hợp lệ."))
        return born

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone") or ""
        return normalize_mobile(value) if value.strip() else ""

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number, born = data.get("id_number"), data.get("date_of_birth")
        if number and born and not birth_year_matches(number, born):
            self.add_error(
                "id_number", _("Số định danh không khớp với năm sinh (chữ số thứ 4 đến 6).")
            )
        if (
            not self.errors
            and not data.get("phone")
            and not data.get("email")
            and not self.profile.oidc_subject
        ):
            self.add_error("phone", _("Cần ít nhất số điện thoại hoặc thư điện tử để đăng nhập."))
        return data

    def changes(self) -> ProfileChanges:
        data = self.cleaned_data
        return ProfileChanges(
            full_name=data["full_name"],
            id_number=data["id_number"],
            date_of_birth=data["date_of_birth"],
            phone=data["phone"],
            email=data["email"],
            address=" ".join(data["address"].split()),
        )
