"""The reception screen's inputs: the applicant, the documents, delivery (Form 01's fields)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Channel, Procedure, RequiredDocument
from motcua.core.id_numbers import normalize_id_number
from motcua.core.text import fold
from motcua.dossiers.actions import Applicant, Application, ReceivedDocument
from motcua.dossiers.forms.fields import REQUIRED, BackofficeForm, PhoneField
from motcua.dossiers.models import (
    ApplicantKind,
    Dossier,
    DossierDocument,
    ResultDelivery,
    StoredDocument,
)
from motcua.org.models import Desk

DESK_CHANNELS = [(Channel.DIRECT, Channel.DIRECT.label), (Channel.POSTAL, Channel.POSTAL.label)]


class ApplicantForm(BackofficeForm):
    applicant_kind = forms.ChoiceField(
        label=gettext_lazy("Chủ hồ sơ là"), choices=ApplicantKind.choices, initial="citizen"
    )
    applicant_id_number = forms.CharField(
        label=gettext_lazy("Số định danh / mã số thuế"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("Nhập số định danh để điền sẵn từ hồ sơ trước (nếu có)."),
    )
    applicant_name = forms.CharField(label=gettext_lazy("Họ và tên / tên tổ chức"), max_length=255)
    applicant_phone = PhoneField(
        label=gettext_lazy("Điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        error_messages={"invalid": gettext_lazy("Địa chỉ thư điện tử không hợp lệ.")},
    )
    applicant_address = forms.CharField(
        label=gettext_lazy("Địa chỉ"), max_length=500, required=False
    )
    submitter_name = forms.CharField(
        label=gettext_lazy("Người nộp (nếu khác chủ hồ sơ)"), max_length=255, required=False
    )
    submitter_phone = PhoneField(
        label=gettext_lazy("Điện thoại người nộp"), max_length=20, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Typing a known ID number or phone recalls the applicant (htmx; without JS nothing
        # happens).
        for name in ("applicant_id_number", "applicant_phone"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse("dossiers:reception-applicant"),
                    "hx-trigger": "change",
                    "hx-target": "#applicant",
                    "hx-swap": "outerHTML",
                }
            )

    def clean_applicant_id_number(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("applicant_id_number") or "")
        kind = self.data.get("applicant_kind", "citizen")
        if value and kind == ApplicantKind.CITIZEN:
            return normalize_id_number(value, old_card=True)
        if value and not re.fullmatch(r"[0-9A-Za-z\-]{6,20}", value):
            raise ValidationError(_("Mã số chỉ gồm chữ số, chữ cái và dấu gạch ngang."))
        return value

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            kind=data["applicant_kind"],
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
        )

    @staticmethod
    def initial_from(dossier: Dossier) -> dict[str, str]:
        """ "Công dân không viết": what an earlier dossier already says about the applicant."""
        return {
            "applicant_kind": dossier.applicant_kind,
            "applicant_id_number": dossier.applicant_id_number,
            "applicant_name": dossier.applicant_name,
            "applicant_phone": dossier.applicant_phone,
            "applicant_email": dossier.applicant_email,
            "applicant_address": dossier.applicant_address,
        }


def same_document(a: str, b: str) -> bool:
    return fold(a).strip() == fold(b).strip()


@dataclass
class ReuseOffer:
    """A document digitised in an earlier dossier of the applicant, offered for reuse."""

    document: DossierDocument
    matches: str  # the checklist item of the same name, "" when none
    checked: bool


def reuse_offers(
    documents: list[DossierDocument], checklist: list[str], checked: set[int]
) -> list[ReuseOffer]:
    return [
        ReuseOffer(
            doc,
            next((name for name in checklist if same_document(name, doc.name)), ""),
            doc.pk in checked,
        )
        for doc in documents
    ]


@dataclass
class DocumentRow:
    document: RequiredDocument
    received: forms.BoundField
    originals: forms.BoundField
    copies: forms.BoundField


class ReceptionForm(BackofficeForm):
    """The dossier itself: where, how, which documents, how the result goes back."""

    desk = forms.ModelChoiceField(
        label=gettext_lazy("Nơi tiếp nhận"), queryset=Desk.objects.none(), empty_label=None
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"),
        choices=DESK_CHANNELS,
        initial=Channel.DIRECT,
        widget=forms.RadioSelect,
    )
    extra_document = forms.CharField(
        label=gettext_lazy("Giấy tờ khác (nếu có)"), max_length=500, required=False
    )
    extra_originals = forms.IntegerField(
        label=gettext_lazy("Bản chính"), min_value=0, max_value=99, initial=0, required=False
    )
    extra_copies = forms.IntegerField(
        label=gettext_lazy("Bản sao"), min_value=0, max_value=99, initial=0, required=False
    )
    sets = forms.IntegerField(
        label=gettext_lazy("Số bộ hồ sơ"), min_value=1, max_value=50, initial=1
    )
    result_delivery = forms.ChoiceField(
        label=gettext_lazy("Nhận kết quả"),
        choices=ResultDelivery.choices,
        initial=ResultDelivery.DESK,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label=gettext_lazy("Địa chỉ nhận kết quả qua bưu chính"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Để trống nếu trùng địa chỉ của chủ hồ sơ."),
    )
    refuse_reason = forms.CharField(
        label=gettext_lazy("Lý do từ chối tiếp nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    from_store = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Dùng giấy tờ trong kho của công dân"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Giấy tờ này không còn trong kho, hoặc công dân chưa đồng ý cho sử dụng."
            )
        },
    )
    reuse = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Dùng lại bản số hóa"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Chỉ dùng lại được bản số hóa của chính chủ hồ sơ này.")
        },
    )

    def __init__(
        self,
        *args: Any,
        procedure: Procedure,
        desks: QuerySet[Desk],
        refusing: bool = False,
        reusable: list[DossierDocument] | None = None,
        stored: list[StoredDocument] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stored = {item.pk: item for item in stored or []}
        store_field = self.fields["from_store"]
        assert isinstance(store_field, forms.TypedMultipleChoiceField)
        store_field.choices = [(pk, item.name) for pk, item in self.stored.items()]
        self.reusable = {doc.pk: doc for doc in reusable or []}
        reuse_field = self.fields["reuse"]
        assert isinstance(reuse_field, forms.TypedMultipleChoiceField)
        reuse_field.choices = [(pk, doc.name) for pk, doc in self.reusable.items()]
        self.procedure = procedure
        self.refusing = refusing
        self.documents_error = ""
        desk_field = self.fields["desk"]
        assert isinstance(desk_field, forms.ModelChoiceField)
        desk_field.queryset = desks
        self.only_desk = desks[0] if len(desks) == 1 else None
        if self.only_desk is not None:
            desk_field.initial = self.only_desk.pk
            desk_field.required = False
            desk_field.widget = forms.HiddenInput()
        self.documents = list(procedure.documents.in_force())
        for doc in self.documents:
            self.fields[f"doc_{doc.pk}"] = forms.BooleanField(label=doc.name, required=False)
            self.fields[f"doc_{doc.pk}_originals"] = forms.IntegerField(
                label=_("Bản chính"), min_value=0, max_value=99, initial=doc.originals
            )
            self.fields[f"doc_{doc.pk}_copies"] = forms.IntegerField(
                label=_("Bản sao"), min_value=0, max_value=99, initial=doc.copies
            )
        for name, field in self.fields.items():
            if name.startswith("doc_"):
                field.error_messages["required"] = REQUIRED

    def clean_desk(self) -> Desk:
        desk = self.cleaned_data.get("desk") or self.only_desk
        if desk is None:
            raise ValidationError(REQUIRED)
        return desk

    def document_groups(self) -> list[tuple[str, list[DocumentRow]]]:
        """The catalogue's checklist, grouped by case ("trường hợp") as published."""
        groups: list[tuple[str, list[DocumentRow]]] = []
        for doc in self.documents:
            row = DocumentRow(
                doc,
                self[f"doc_{doc.pk}"],
                self[f"doc_{doc.pk}_originals"],
                self[f"doc_{doc.pk}_copies"],
            )
            if not groups or groups[-1][0] != doc.group:
                groups.append((doc.group, []))
            groups[-1][1].append(row)
        return groups

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.refusing:
            if not (data.get("refuse_reason") or "").strip():
                self.add_error("refuse_reason", _("Cần nêu lý do từ chối tiếp nhận."))
            return data
        if not self.received_documents():
            self.documents_error = _("Chưa đánh dấu giấy tờ nào đã nhận.")
            self.add_error(None, self.documents_error)
        for doc in self.documents:
            if data.get(f"doc_{doc.pk}") and not (
                data.get(f"doc_{doc.pk}_originals") or data.get(f"doc_{doc.pk}_copies")
            ):
                self.add_error(f"doc_{doc.pk}_originals", _("Giấy tờ đã nhận cần ít nhất 1 bản."))
        if data.get("result_delivery") == ResultDelivery.POSTAL and not (
            (data.get("delivery_address") or "").strip()
            or str(self.data.get("applicant_address", "")).strip()
        ):
            self.add_error("delivery_address", _("Nhận kết quả qua bưu chính cần địa chỉ."))
        return data

    def received_documents(self) -> list[ReceivedDocument]:
        """The ticked checklist items, a reused digitised copy attached to the item of the
        same name; a reused copy matching no ticked item is a document of its own."""
        data = self.cleaned_data
        reused = [self.reusable[pk] for pk in data.get("reuse") or [] if pk in self.reusable]
        stored = [self.stored[pk] for pk in data.get("from_store") or [] if pk in self.stored]
        documents = []
        for doc in self.documents:
            if not data.get(f"doc_{doc.pk}"):
                continue
            match = next((r for r in reused if same_document(r.name, doc.name)), None)
            if match is not None:
                reused.remove(match)
            kept = (
                next((s for s in stored if same_document(s.name, doc.name)), None)
                if match is None
                else None
            )
            if kept is not None:
                stored.remove(kept)
            documents.append(
                ReceivedDocument(
                    doc.name,
                    originals=data.get(f"doc_{doc.pk}_originals") or 0,
                    copies=data.get(f"doc_{doc.pk}_copies") or 0,
                    reuse_of=match.pk if match else None,
                    stored=kept.pk if kept else None,
                )
            )
        documents += [ReceivedDocument(r.name, reuse_of=r.pk) for r in reused]
        documents += [ReceivedDocument(s.name, stored=s.pk) for s in stored]
        extra = (data.get("extra_document") or "").strip()
        if extra:
            originals, copies = data.get("extra_originals") or 0, data.get("extra_copies") or 0
            documents.append(
                ReceivedDocument(extra, originals=originals, copies=copies or int(not originals))
            )
        return documents

    def application(self, applicant: Applicant, *, submitter: tuple[str, str]) -> Application:
        data = self.cleaned_data
        return Application(
            procedure=self.procedure,
            desk=data["desk"],
            channel=data["channel"],
            applicant=applicant,
            documents=self.received_documents(),
            result_delivery=data["result_delivery"],
            delivery_address=(data.get("delivery_address") or "").strip(),
            sets=data["sets"],
            submitter_name=submitter[0],
            submitter_phone=submitter[1],
        )
