"""Forms of the simplification review pages (``review_views``). Each field states its limits,
which are those the actions check (``actions.reviews``, ``costing``); the actions stay the
last word, and what they refuse comes back as a form error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, Sector
from motcua.org.models import Agency
from motcua.reform.actions.cycles import TITLE_LENGTH
from motcua.reform.actions.reviews import (
    NOTE_LENGTH,
    VolumeOverride,
)
from motcua.reform.cost import Step
from motcua.reform.costing import MAX_HOURS, MAX_STEPS, MAX_VND, STEP_NAME_LENGTH, CostSide

DATE_FORMAT = "%d/%m/%Y"
MAX_EXECUTIONS = Decimal(9999)
MAX_SUBJECTS = 10**8


def money_field(label: Any, *, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_VND,
        required=False,
        help_text=help_text or _("Đồng, từ 0 đến 1.000.000.000.000."),
        error_messages={
            "invalid": _("Nhập số đồng (chữ số, không dấu chấm)."),
            "min_value": _("Số tiền không được âm."),
            "max_value": _("Số tiền tối đa 1.000.000.000.000 đồng."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )


def _text(label: Any, limit: int, *, rows: int = 3, required: bool = False) -> forms.CharField:
    assert limit == NOTE_LENGTH, "the help text states 4.000"
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=_("Tối đa 4.000 ký tự."),
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": _("Tối đa %(limit_value)s ký tự.")},
    )


class VietnameseFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": _("Biểu mẫu thiếu dữ liệu quản lý; tải lại trang."),
        "too_many_forms": _("Quá nhiều dòng."),
        "too_few_forms": _("Thiếu dòng."),
    }


# -- a cycle ----------------------------------------------------------------------------------


class CycleForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm rà soát"),
        min_value=2000,
        max_value=2100,
        help_text=_("Từ 2000 đến 2100."),
        error_messages={
            "required": _("Nhập năm rà soát."),
            "invalid": _("Nhập năm bằng chữ số."),
            "min_value": _("Năm rà soát phải từ 2000 đến 2100."),
            "max_value": _("Năm rà soát phải từ 2000 đến 2100."),
        },
    )
    title = forms.CharField(
        label=_("Tên đợt rà soát"),
        max_length=TITLE_LENGTH,
        help_text=_("Tối đa 255 ký tự."),
        error_messages={
            "required": _("Nhập tên đợt rà soát."),
            "max_length": _("Tối đa %(limit_value)s ký tự."),
        },
    )
    plan_number = forms.CharField(
        label=_("Số kế hoạch"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: 25/KH-UBND. Tối đa 100 ký tự."),
        error_messages={"max_length": _("Tối đa %(limit_value)s ký tự.")},
    )
    scope = _text(_("Phạm vi rà soát"), NOTE_LENGTH)
    deadline = forms.DateField(
        label=_("Hạn gửi phương án"),
        input_formats=[DATE_FORMAT],
        help_text=_("Dạng dd/mm/yyyy."),
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={
            "required": _("Nhập hạn gửi phương án."),
            "invalid": _("Nhập ngày theo dạng dd/mm/yyyy."),
        },
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan rà soát"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Mỗi cơ quan rà soát các thủ tục đang áp dụng mà cơ quan là cơ quan có thẩm quyền."
        ),
        error_messages={
            "required": _("Chọn ít nhất một cơ quan."),
            "invalid_choice": _("Cơ quan đã chọn không có trong danh sách."),
            "invalid_pk_value": _("Cơ quan đã chọn không có trong danh sách."),
        },
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Chỉ các lĩnh vực"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Không chọn: mọi lĩnh vực của các cơ quan đã chọn."),
        error_messages={
            "invalid_choice": _("Lĩnh vực đã chọn không có trong danh sách."),
            "invalid_pk_value": _("Lĩnh vực đã chọn không có trong danh sách."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = reviewing_agencies()

    def procedures(self) -> QuerySet[Procedure]:
        """The active procedures the chosen agencies are competent for (in the sectors
        chosen, if any); call after ``is_valid``."""
        data = self.cleaned_data
        found = Procedure.objects.filter(active=True, competent_agency__in=data["agencies"])
        if data.get("sectors"):
            found = found.filter(sector__in=data["sectors"])
        return found.select_related("competent_agency").order_by("competent_agency__name", "code")


def reviewing_agencies() -> QuerySet[Agency]:
    """The agencies that are the competent agency of at least one active procedure."""
    competent = Procedure.objects.filter(active=True, competent_agency__isnull=False).values(
        "competent_agency"
    )
    return Agency.objects.filter(pk__in=competent, active=True).order_by("name")


class AddProcedureForm(forms.Form):
    code = forms.CharField(
        label=_("Mã thủ tục"),
        max_length=40,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia, ví dụ 1.000426. Tối đa 40 ký tự."),
        error_messages={
            "required": _("Nhập mã thủ tục."),
            "max_length": _("Tối đa %(limit_value)s ký tự."),
        },
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan rà soát"),
        queryset=Agency.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label=_("— Cơ quan có thẩm quyền của thủ tục —"),
        error_messages={"invalid_choice": _("Cơ quan đã chọn không có trong danh sách.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("code") or "").strip()
        if code:
            procedure = Procedure.objects.filter(code=code).select_related("competent_agency")
            found = procedure.first()
            if found is None:
                self.add_error("code", _("Không có thủ tục mã %(code)s.") % {"code": code})
                return data
            data["procedure"] = found
            if data.get("agency") is None:
                if found.competent_agency is None:
                    self.add_error(
                        "agency", _("Thủ tục chưa có cơ quan có thẩm quyền: chọn cơ quan rà soát.")
                    )
                data["agency"] = found.competent_agency
        return data


# -- a proposal -------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    """What the agency proposes and why, the costs besides the work, and its own volume."""

    description = _text(_("Nội dung phương án"), NOTE_LENGTH, rows=4)
    reason = _text(_("Lý do, căn cứ"), NOTE_LENGTH, rows=4)
    fees_before = money_field(_("Phí, lệ phí (hiện tại)"))
    service_before = money_field(_("Chi phí dịch vụ, thuê ngoài (hiện tại)"))
    other_before = money_field(_("Chi phí khác (hiện tại)"))
    fees_after = money_field(_("Phí, lệ phí (sau đơn giản hóa)"))
    service_after = money_field(_("Chi phí dịch vụ, thuê ngoài (sau đơn giản hóa)"))
    other_after = money_field(_("Chi phí khác (sau đơn giản hóa)"))
    volume_override = forms.BooleanField(
        label=_("Tự nhập số lượng (thay cho số hồ sơ đã tiếp nhận)"), required=False
    )
    executions_per_subject = forms.DecimalField(
        label=_("Số lần thực hiện của một đối tượng/năm"),
        min_value=Decimal("0.01"),
        max_value=MAX_EXECUTIONS,
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text=_("Từ 0,01 đến 9.999, hai chữ số thập phân."),
        error_messages={
            "invalid": _("Nhập một số, ví dụ 1 hoặc 1.5."),
            "min_value": _("Từ 0,01 đến 9.999."),
            "max_value": _("Từ 0,01 đến 9.999."),
            "max_digits": _("Từ 0,01 đến 9.999, hai chữ số thập phân."),
            "max_decimal_places": _("Tối đa hai chữ số thập phân."),
            "max_whole_digits": _("Từ 0,01 đến 9.999."),
        },
    )
    subjects_per_year = forms.IntegerField(
        label=_("Số đối tượng thực hiện/năm"),
        min_value=0,
        max_value=MAX_SUBJECTS,
        required=False,
        help_text=_("Từ 0 đến 100.000.000."),
        error_messages={
            "invalid": _("Nhập số nguyên."),
            "min_value": _("Từ 0 đến 100.000.000."),
            "max_value": _("Từ 0 đến 100.000.000."),
        },
    )
    volume_note = forms.CharField(
        label=_("Nguồn số liệu số lượng"),
        max_length=255,
        required=False,
        help_text=_("Bắt buộc khi tự nhập số lượng. Tối đa 255 ký tự."),
        error_messages={"max_length": _("Tối đa %(limit_value)s ký tự.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("volume_override"):
            if data.get("executions_per_subject") is None and "executions_per_subject" not in (
                self.errors
            ):
                self.add_error("executions_per_subject", _("Nhập số lần thực hiện/năm."))
            if data.get("subjects_per_year") is None and "subjects_per_year" not in self.errors:
                self.add_error("subjects_per_year", _("Nhập số đối tượng/năm."))
            if not (data.get("volume_note") or "").strip() and "volume_note" not in self.errors:
                self.add_error("volume_note", _("Nêu nguồn số liệu khi tự nhập số lượng."))
        return data

    def side(self, which: str, steps: list[Step]) -> CostSide:
        data = self.cleaned_data
        return CostSide(
            steps=tuple(steps),
            fees_vnd=data.get(f"fees_{which}") or 0,
            service_costs_vnd=data.get(f"service_{which}") or 0,
            other_costs_vnd=data.get(f"other_{which}") or 0,
        )

    def volume(self) -> VolumeOverride | None:
        data = self.cleaned_data
        if not data.get("volume_override"):
            return None
        return VolumeOverride(
            executions_per_subject=data["executions_per_subject"],
            subjects_per_year=data["subjects_per_year"],
            note=data["volume_note"],
        )


class StepForm(forms.Form):
    """One thing the applicant does, with its hours; a row left empty is ignored."""

    name = forms.CharField(
        label=_("Công việc"),
        max_length=STEP_NAME_LENGTH,
        required=False,
        error_messages={"max_length": _("Tối đa %(limit_value)s ký tự.")},
    )
    hours = forms.DecimalField(
        label=_("Số giờ"),
        min_value=Decimal(0),
        max_value=MAX_HOURS,
        max_digits=7,
        decimal_places=2,
        required=False,
        error_messages={
            "invalid": _("Nhập số giờ, ví dụ 1.5."),
            "min_value": _("Số giờ không được âm."),
            "max_value": _("Tối đa 10.000 giờ."),
            "max_digits": _("Tối đa 10.000 giờ, hai chữ số thập phân."),
            "max_decimal_places": _("Tối đa hai chữ số thập phân."),
            "max_whole_digits": _("Tối đa 10.000 giờ."),
        },
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("name") or "").strip()
        if not name and data.get("hours") not in (None, Decimal(0)):
            self.add_error("name", _("Nhập tên công việc."))
        return data

    def step(self) -> Step | None:
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            return None
        return Step(name=name, hours=self.cleaned_data.get("hours") or Decimal(0))


StepFormSet = forms.formset_factory(
    StepForm,
    formset=VietnameseFormSet,
    extra=3,
    max_num=MAX_STEPS,
    validate_max=True,
    absolute_max=MAX_STEPS + 10,
)


def steps_of(formset: VietnameseFormSet) -> list[Step]:
    return [step for form in formset.forms if (step := form.step()) is not None]


def is_valid(*forms_: forms.Form | VietnameseFormSet) -> bool:
    """Every form checked (so each shows its errors), all valid."""
    results = [form.is_valid() for form in forms_]
    return all(results)
