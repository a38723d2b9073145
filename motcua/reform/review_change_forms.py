"""The changes of a proposal's edit form (docs/reform.md "The pages"): one form per change,
with the fields its kind needs, limited to the procedure's own documents and fees."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Fee, Procedure, RequiredDocument
from motcua.reform.actions.reviews import (
    DETAIL_LENGTH,
    MAX_CHANGES,
    ChangeSpec,
)
from motcua.reform.models import ChangeKind
from motcua.reform.review_forms import VietnameseFormSet, money_field


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)[:120]


class FeeChoiceField(forms.ModelChoiceField):
    """A fee with its amount, as the catalogue has it."""

    def label_from_instance(self, obj: Any) -> str:
        amount = f"{obj.amount_vnd:,} đ".replace(",", ".")
        return f"{str(obj.name)[:100]} — {amount} ({obj.method.get_channel_display()})"


class ChangeForm(forms.Form):
    """One change; the fields its kind needs are checked here (and again by the action)."""

    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=[("", _("— Không chọn —")), *ChangeKind.choices],
        required=False,
        error_messages={"invalid_choice": _("Loại nội dung không hợp lệ.")},
    )
    detail = forms.CharField(
        label=_("Nội dung"),
        max_length=DETAIL_LENGTH,
        required=False,
        help_text=_("Tối đa 2.000 ký tự."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Tối đa %(limit_value)s ký tự.")},
    )
    new_time_value = forms.DecimalField(
        label=_("Thời hạn mới"),
        min_value=Decimal("0.01"),
        max_value=Decimal(9999),
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text=_("Từ 0,01 đến 9.999, theo đơn vị thời hạn hiện hành."),
        error_messages={
            "invalid": _("Nhập một số, ví dụ 5 hoặc 2.5."),
            "min_value": _("Từ 0,01 đến 9.999."),
            "max_value": _("Từ 0,01 đến 9.999."),
            "max_digits": _("Từ 0,01 đến 9.999."),
            "max_decimal_places": _("Tối đa hai chữ số thập phân."),
            "max_whole_digits": _("Từ 0,01 đến 9.999."),
        },
    )
    document = DocumentChoiceField(
        label=_("Thành phần hồ sơ cắt giảm"),
        queryset=RequiredDocument.objects.none(),
        required=False,
        empty_label=_("— Không chọn —"),
        error_messages={"invalid_choice": _("Thành phần hồ sơ không thuộc thủ tục này.")},
    )
    fee = FeeChoiceField(
        label=_("Phí, lệ phí"),
        queryset=Fee.objects.none(),
        required=False,
        empty_label=_("— Không chọn —"),
        error_messages={"invalid_choice": _("Khoản phí không thuộc thủ tục này.")},
    )
    new_fee_vnd = money_field(_("Mức phí mới"), help_text=_("Đồng; thấp hơn mức hiện hành."))
    merged_with = forms.CharField(
        label=_("Hợp nhất với thủ tục (mã)"),
        max_length=40,
        required=False,
        help_text=_("Mã thủ tục, tối đa 40 ký tự."),
        error_messages={"max_length": _("Tối đa %(limit_value)s ký tự.")},
    )

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        document = self.fields["document"]
        fee = self.fields["fee"]
        assert isinstance(document, forms.ModelChoiceField)
        assert isinstance(fee, forms.ModelChoiceField)
        document.queryset = (
            RequiredDocument.objects.in_force()
            .filter(procedure=procedure)
            .order_by("position", "pk")
        )
        fee.queryset = (
            Fee.objects.filter(method__procedure=procedure)
            .select_related("method")
            .order_by("method_id", "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if not kind:
            return data
        if kind == ChangeKind.SHORTEN_TIME and data.get("new_time_value") is None:
            self._need("new_time_value", _("Nhập thời hạn mới."))
        elif kind == ChangeKind.CUT_DOCUMENT and data.get("document") is None:
            self._need("document", _("Chọn thành phần hồ sơ cắt giảm."))
        elif kind == ChangeKind.LOWER_FEE:
            fee = data.get("fee")
            if fee is None:
                self._need("fee", _("Chọn khoản phí, lệ phí."))
            elif data.get("new_fee_vnd") is None:
                self._need("new_fee_vnd", _("Nhập mức phí mới."))
            elif data["new_fee_vnd"] >= fee.amount_vnd:
                self.add_error(
                    "new_fee_vnd",
                    _("Mức phí mới phải thấp hơn mức hiện hành (%(amount)s đồng).")
                    % {"amount": f"{fee.amount_vnd:,}".replace(",", ".")},
                )
        elif kind == ChangeKind.MERGE:
            code = (data.get("merged_with") or "").strip()
            other = (
                Procedure.objects.filter(code=code).exclude(pk=self.procedure.pk).first()
                if code
                else None
            )
            if other is None:
                self._need("merged_with", _("Nhập mã một thủ tục khác có trong danh mục."))
            data["merged_procedure"] = other
        elif kind in (ChangeKind.CUT_STEP, ChangeKind.OTHER) and not (data.get("detail") or ""):
            self._need("detail", _("Mô tả nội dung sửa đổi."))
        return data

    def _need(self, field: str, message: Any) -> None:
        if field not in self.errors:
            self.add_error(field, message)

    def spec(self) -> ChangeSpec | None:
        data = self.cleaned_data
        kind = data.get("kind")
        if not kind:
            return None
        document = data.get("document") if kind == ChangeKind.CUT_DOCUMENT else None
        fee = data.get("fee") if kind == ChangeKind.LOWER_FEE else None
        merged = data.get("merged_procedure") if kind == ChangeKind.MERGE else None
        return ChangeSpec(
            kind=kind,
            detail=data.get("detail") or "",
            new_time_value=(
                data.get("new_time_value") if kind == ChangeKind.SHORTEN_TIME else None
            ),
            document_id=document.pk if document is not None else None,
            fee_id=fee.pk if fee is not None else None,
            new_fee_vnd=data.get("new_fee_vnd") if kind == ChangeKind.LOWER_FEE else None,
            merged_with_id=merged.pk if merged is not None else None,
        )


ChangeFormSet = forms.formset_factory(
    ChangeForm,
    formset=VietnameseFormSet,
    extra=2,
    max_num=MAX_CHANGES,
    validate_max=True,
    absolute_max=MAX_CHANGES + 10,
)


def specs_of(formset: VietnameseFormSet) -> list[ChangeSpec]:
    return [spec for form in formset.forms if (spec := form.spec()) is not None]
