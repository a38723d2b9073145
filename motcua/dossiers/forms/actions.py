"""Each dossier action's inputs on the dossier page; ``arguments()`` feed the action."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.core import uploads
from motcua.dossiers.forms.fields import BackofficeForm, MomentField, VndField
from motcua.dossiers.models import Dossier, DossierResult, ResultDelivery, SignatureStatus
from motcua.dossiers.permissions import Scope
from motcua.dossiers.templatetags.backoffice import format_moment
from motcua.org.models import Agency
from motcua.signing.queries import personal_key
from motcua.workcalendar.hours import add_working_hours
from motcua.workcalendar.store import calendar_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ActionForm(BackofficeForm):
    """Each action's inputs; ``arguments()`` are the action function's keyword arguments."""

    def __init__(
        self, *args: Any, dossier: Dossier, scope: Scope | None = None, **kwargs: Any
    ) -> None:
        self.dossier = dossier
        self.scope = scope
        super().__init__(*args, **kwargs)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def note_field(label: StrOrPromise = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label or gettext_lazy("Ghi chú"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(ActionForm):
    note = note_field()


class OpinionForm(ActionForm):
    note = note_field(gettext_lazy("Ý kiến"), required=True)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=gettext_lazy("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(ActionForm):
    to_agency = forms.ModelChoiceField(
        label=gettext_lazy("Chuyển đến cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("Theo quy trình"),
    )
    note = note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Sending the next step elsewhere than the process plans is a leader's decision
        # (actions.processing.redirect_step): nobody else is offered the choice.
        if self.scope is None or self.dossier.current_agency_id not in self.scope.led_agencies:
            del self.fields["to_agency"]
            return
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(active=True).order_by("name")

    def arguments(self) -> dict[str, Any]:
        return {"to_agency": self.cleaned_data.get("to_agency"), "note": self.cleaned_data["note"]}


class SupplementForm(ActionForm):
    items = forms.CharField(
        label=gettext_lazy("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(label=gettext_lazy("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    note = note_field()

    def arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["items"] = [line.strip() for line in data["items"].splitlines() if line.strip()]
        return data


class RequestPaymentForm(ActionForm):
    amount_vnd = VndField(
        label=gettext_lazy("Số tiền phải nộp (đồng)"),
        required=False,
        help_text=gettext_lazy("Để trống để lấy theo phí, lệ phí của thủ tục."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    note = note_field()


class PaymentForm(ActionForm):
    amount_vnd = VndField(
        label=gettext_lazy("Số tiền đã nộp (đồng)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    reference = forms.CharField(label=gettext_lazy("Số biên lai / mã giao dịch"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owed = self.dossier.fee_total_vnd - self.dossier.paid_vnd
        if owed > 0:
            self.fields["amount_vnd"].initial = f"{owed:,}".replace(",", ".")


class ApologyForm(ActionForm):
    new_due_at = MomentField(
        label=gettext_lazy("Ngày hẹn trả mới"),
        help_text=gettext_lazy("ngày/tháng/năm giờ:phút, ví dụ 15/03/2026 16:00"),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy HH:MM"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do chậm trễ"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Suggest one working day after the later of now and the current due moment.
        dossier = self.dossier
        start = max(filter(None, [timezone.now(), dossier.due_at]))
        suggested = add_working_hours(
            calendar_for(dossier.competent_agency_id), start, dt.timedelta(hours=8)
        )
        self.fields["new_due_at"].initial = format_moment(suggested)


class ResultReadyForm(ActionForm):
    results = forms.CharField(
        label=gettext_lazy("Giấy tờ kết quả (mỗi dòng một giấy tờ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Để trống để lấy theo kết quả của thủ tục."),
    )
    result_file = forms.FileField(
        label=gettext_lazy("Bản điện tử của kết quả (PDF, JPEG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
        help_text=gettext_lazy("Chủ hồ sơ tải về khi hồ sơ đã trả kết quả."),
    )
    note = note_field()

    def clean_result_file(self) -> Any:
        upload = self.cleaned_data.get("result_file")
        if upload:
            kind = uploads.check(upload)
            upload.name = uploads.stored_name(kind=kind)
        return upload

    def arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["results"] = [line.strip() for line in data["results"].splitlines() if line.strip()]
        return data


class ReturnForm(ActionForm):
    channel = forms.ChoiceField(
        label=gettext_lazy("Trả kết quả"), choices=ResultDelivery.choices, widget=forms.RadioSelect
    )
    note = note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].initial = self.dossier.result_delivery


class PersonalSignatureForm(ActionForm):
    """A leader signs a result with their own key; the PIN field only for a key whose PIN
    is typed at each signature (it goes to the action and nowhere else)."""

    result = forms.ModelChoiceField(
        label=gettext_lazy("Kết quả cần ký số"), queryset=DossierResult.objects.none()
    )
    pin = forms.CharField(
        label=gettext_lazy("Mã PIN (mật khẩu) khóa ký số cá nhân"),
        required=False,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["result"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = DossierResult.objects.filter(
            dossier_id=self.dossier.pk, signature=SignatureStatus.AWAITING_LEADER
        ).order_by("pk")
        field.empty_label = None
        key = personal_key(self.scope.user_id if self.scope is not None else None)
        if key is None:
            self.fields["pin"].help_text = gettext_lazy(
                "Bạn chưa có khóa ký số cá nhân đang dùng; đề nghị quản trị hệ thống thêm khóa."
            )
        elif not key.asks_pin:
            del self.fields["pin"]
        self.asks_pin = key is not None and key.asks_pin

    def clean_pin(self) -> str:
        pin = str(self.cleaned_data.get("pin") or "")
        if self.asks_pin and not pin:
            raise forms.ValidationError(gettext_lazy("Cần nhập mã PIN của khóa ký số."))
        return pin

    def arguments(self) -> dict[str, Any]:
        return {"result": self.cleaned_data["result"], "pin": self.cleaned_data.get("pin", "")}
