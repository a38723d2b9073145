from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Sector
from motcua.hotline.status import TicketKind
from motcua.org.models import Agency
from motcua.reform.models import DialogueSession

DATE_FORMAT = "%d/%m/%Y"


class SessionForm(forms.ModelForm[DialogueSession]):
    held_on = forms.DateField(
        label=_("Ngày tổ chức"),
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(
            format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )

    class Meta:
        model = DialogueSession
        fields = ["title", "held_on", "place", "leaders", "businesses", "notes"]
        labels = {
            "title": _("Tên buổi đối thoại"),
            "place": _("Địa điểm"),
            "leaders": _("Lãnh đạo chủ trì, tham dự"),
            "businesses": _("Doanh nghiệp tham dự"),
            "notes": _("Ghi chú"),
        }
        help_texts = {
            "leaders": _("Mỗi dòng một người, kèm chức vụ."),
            "businesses": _("Mỗi dòng một doanh nghiệp."),
        }
        widgets = {
            "leaders": forms.Textarea(attrs={"rows": 4}),
            "businesses": forms.Textarea(attrs={"rows": 6}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class IssueForm(forms.Form):
    business = forms.CharField(
        label=_("Doanh nghiệp nêu vấn đề"),
        max_length=255,
        error_messages={"required": _("Nhập tên doanh nghiệp nêu vấn đề.")},
    )
    text = forms.CharField(
        label=_("Nội dung vấn đề, kiến nghị"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Nhập nội dung vấn đề doanh nghiệp nêu.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại"), choices=TicketKind.choices, initial=TicketKind.PETITION
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan chủ trì giải quyết"),
        queryset=Agency.objects.filter(active=True).order_by("name"),
        empty_label=_("— Chọn cơ quan —"),
        error_messages={
            "required": _("Chọn cơ quan chủ trì giải quyết vấn đề này."),
            "invalid_choice": _("Cơ quan đã chọn không có trong danh sách."),
        },
    )
    sector = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        empty_label=_("— Không chọn —"),
        error_messages={"invalid_choice": _("Lĩnh vực đã chọn không có trong danh sách.")},
    )

    def __init__(self, *args: Any, businesses: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The businesses present, offered as suggestions (a datalist); any name is accepted.
        self.businesses = list(businesses)
        self.fields["business"].widget.attrs["list"] = "doanh-nghiep"
