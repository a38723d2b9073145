"""The post office's forms: the check of a pickup's papers and the desk's receipt of a
hand-over (docs/postal.md). Limits are the actions' (``checking.py``, ``handing_over.py``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import uploads
from motcua.postal.checking import (
    EXTRA_NAME_MAX,
    MAX_COUNT,
    CheckedDocument,
    ChecklistItem,
)
from motcua.postal.handover import NOTES_MAX


def _count(label: str, initial: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        initial=initial,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
    )


class CheckForm(forms.Form):
    """One row per document of the procedure's list (originals, copies received), one free
    row for a document the list does not name, the outcome, the notes and the slip."""

    complete = forms.TypedChoiceField(
        label=gettext_lazy("Kết quả kiểm tra"),
        choices=[
            ("1", gettext_lazy("Đã nhận đủ hồ sơ")),
            ("0", gettext_lazy("Hồ sơ chưa đủ (ghi rõ còn thiếu)")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    missing = forms.CharField(
        label=gettext_lazy("Giấy tờ còn thiếu"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    guidance = forms.CharField(
        label=gettext_lazy("Nội dung đã hướng dẫn người nộp"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    slip = forms.FileField(
        label=gettext_lazy("Ảnh chụp hoặc bản quét phiếu đã ký"),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT, "capture": "environment"}),
    )
    extra_name = forms.CharField(
        label=gettext_lazy("Giấy tờ khác (nếu có)"), required=False, max_length=EXTRA_NAME_MAX
    )

    def __init__(self, *args: Any, checklist: list[ChecklistItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        # Filled in with what the catalogue asks: the worker changes only what differs.
        for index, item in enumerate(checklist):
            self.fields[f"orig_{index}"] = _count(_("Bản chính"), item.originals)
            self.fields[f"copy_{index}"] = _count(_("Bản sao"), item.copies)
        self.fields["extra_orig"] = _count(_("Bản chính"), 0)
        self.fields["extra_copy"] = _count(_("Bản sao"), 0)
        max_mb = uploads.max_bytes() // (1024 * 1024)
        self.fields["slip"].help_text = _(
            "PDF, JPG hoặc PNG, tối đa %(max)s MB; hệ thống kiểm tra nội dung tệp."
        ) % {"max": max_mb}

    def rows(self) -> list[tuple[ChecklistItem, forms.BoundField, forms.BoundField]]:
        return [
            (item, self[f"orig_{index}"], self[f"copy_{index}"])
            for index, item in enumerate(self.checklist)
        ]

    def clean_slip(self) -> File:
        upload = self.cleaned_data["slip"]
        uploads.check(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("complete") is False and not (data.get("missing") or "").strip():
            self.add_error("missing", _("Hồ sơ chưa đủ: cần ghi rõ giấy tờ còn thiếu."))
        return data

    def documents(self) -> list[CheckedDocument]:
        data = self.cleaned_data
        found = [
            CheckedDocument(
                item.name,
                data.get(f"orig_{index}") or 0,
                data.get(f"copy_{index}") or 0,
                item.mandatory,
            )
            for index, item in enumerate(self.checklist)
        ]
        extra = (data.get("extra_name") or "").strip()
        if extra:
            found.append(
                CheckedDocument(
                    extra, data.get("extra_orig") or 0, data.get("extra_copy") or 0, False
                )
            )
        return found


class ReceiveForm(forms.Form):
    """The desk's receipt: the parcels found missing (ticked), and a note."""

    missing = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Bưu gửi không có trong túi (đánh dấu nếu thiếu)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["missing"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices
