"""What operators and agency staff type in the console. Messages are Vietnamese; the actions
validate again under their row lock."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Procedure, Sector
from motcua.core.inputs import parse_id
from motcua.core.phones import normalize_phone
from motcua.core.text import normalize
from motcua.dossiers.forms import BackofficeForm
from motcua.dossiers.models import Dossier
from motcua.hotline import access
from motcua.hotline.access import HotlineScope
from motcua.hotline.actions.publication import publication_draft
from motcua.hotline.channels.registry import DELIVERED_CHANNELS
from motcua.hotline.console import queries
from motcua.hotline.contacts import find_contact
from motcua.hotline.models import Contact, Delivery, Direction, Ticket, TicketMessage
from motcua.hotline.status import DeclineReason, TicketKind
from motcua.org.models import Agency


def _text(label: Any, *, required: bool = True, rows: int = 2, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows, **attrs}),
    )


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise ValidationError(exc.messages[0]) from exc


def parse_route(value: str) -> tuple[Sector | None, Agency | None]:
    """A suggestion picked on the call form: "<sector id>:<agency id>" (no agency: the
    commune answers, the ticket stays at 1022 with its sector)."""
    if not value:
        return None, None
    sector_part, _sep, agency_part = value.partition(":")
    sector_id, agency_id = parse_id(sector_part), parse_id(agency_part)
    if sector_id is None or (agency_part and agency_id is None):
        raise ValidationError(_("Gợi ý chuyển xử lý không hợp lệ."))
    sector = Sector.objects.filter(pk=sector_id).first()
    agency = Agency.objects.filter(pk=agency_id, active=True).first() if agency_id else None
    if sector is None or (agency_part and agency is None):
        raise ValidationError(_("Gợi ý chuyển xử lý không còn hợp lệ, hãy chọn lại."))
    return sector, agency


class CallForm(BackofficeForm):
    """A phone call, in as few keystrokes as the call allows: number, what was asked, Enter."""

    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại người gọi"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Họ và tên"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        choices=TicketKind.choices,
        initial=TicketKind.QUESTION,
        widget=forms.RadioSelect,
    )
    body = _text(
        gettext_lazy("Nội dung cuộc gọi"),
        rows=4,
        placeholder=gettext_lazy("Người gọi hỏi / phản ánh gì…"),
    )
    answer = _text(
        gettext_lazy("Đã trả lời ngay trong cuộc gọi (nếu có)"),
        required=False,
        rows=2,
        placeholder=gettext_lazy("Để trống nếu cần cơ quan trả lời sau"),
    )
    # The suggestion picked on the suggestions panel, whose radios carry this name; the
    # caller panel's ticked dossiers come as "dossiers" (see ``clean``).
    route = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, hotline: HotlineScope, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hotline, self.user = hotline, user
        # POST, not GET: the number, the name and what the caller said are personal data, and
        # a GET puts them in the address, hence in every access log (docs/hotline.md). htmx
        # posts the whole call form, its CSRF token included.
        phone = self.fields["phone"].widget
        phone.attrs.update(
            {
                "hx-post": reverse("hotline_console:caller"),
                "hx-trigger": "keyup changed delay:300ms, change",
                "hx-target": "#caller",
                "hx-sync": "this:replace",
            }
        )
        body = self.fields["body"].widget
        body.attrs.update(
            {
                "hx-post": reverse("hotline_console:suggestions"),
                "hx-trigger": "keyup changed delay:500ms, change",
                "hx-target": "#suggestions",
                "hx-sync": "this:replace",
                "data-enter-submits": "",
                "aria-describedby": "id_body_helptext",
            }
        )
        self.fields["body"].help_text = gettext_lazy("Enter để lưu, Shift+Enter để xuống dòng.")
        self.fields["answer"].widget.attrs["data-enter-submits"] = ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return _phone(value) if value else ""

    def clean_name(self) -> str:
        return normalize(self.cleaned_data["name"])

    def clean_route(self) -> tuple[Sector | None, Agency | None]:
        return parse_route(self.cleaned_data["route"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = self.data.getlist("dossiers") if hasattr(self.data, "getlist") else []
        codes = {normalize(code) for code in picked} - {""}
        found = queries.dossiers_by_codes(self.user, sorted(codes))
        if len(found) != len(codes):
            self.add_error(None, _("Không tìm thấy hồ sơ đã chọn."))
        data["dossiers"] = found
        return data

    def focus(self, default: str | None = None) -> bool:
        return super().focus(default or ("body" if self.initial.get("phone") else "phone"))


# The ticket page's actions -------------------------------------------------------------------


class TicketForm(BackofficeForm):
    """An action's inputs; ``arguments()`` are the action function's keyword arguments."""

    def __init__(
        self,
        data: Any = None,
        *,
        ticket: Ticket,
        hotline: HotlineScope,
        user: Any,
        prefix: str | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        self.ticket, self.hotline, self.user = ticket, hotline, user
        super().__init__(data, prefix=prefix, initial=initial)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ConfirmForm(TicketForm):
    """An action with nothing to type."""


class ReasonForm(TicketForm):
    reason = _text(gettext_lazy("Lý do"))


class OptionalReasonForm(TicketForm):
    reason = _text(gettext_lazy("Lý do"), required=False)


class DeclineForm(TicketForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("Lý do từ chối tiếp nhận xử lý"),
        choices=[("", gettext_lazy("— Chọn lý do —")), *DeclineReason.choices],
    )
    note = _text(gettext_lazy("Giải thích thêm cho người dân (nếu có)"), required=False)


class AskDetailsForm(TicketForm):
    body = _text(gettext_lazy("Nội dung đề nghị người dân bổ sung, làm rõ"), rows=4)


class NoteForm(TicketForm):
    body = _text(gettext_lazy("Ghi chú nội bộ (người dân không thấy)"))


def agency_choices(ticket: Ticket) -> list[tuple[str, Any]]:
    """Suggested agencies first, with their confidence, then every active agency."""
    agencies = list(Agency.objects.filter(active=True).order_by("name").values_list("pk", "name"))
    known = {pk for pk, _name in agencies}
    suggested: list[tuple[str, str]] = []
    for item in ticket.suggestions or []:
        pk = item.get("agency_id")
        if pk in known and str(pk) not in {value for value, _label in suggested}:
            percent = round(float(item.get("confidence", 0)) * 100)
            suggested.append((str(pk), f"{item.get('agency')} ({percent}%)"))
    everyone = [(str(pk), name) for pk, name in agencies]
    choices: list[tuple[str, Any]] = [("", gettext_lazy("— Chọn cơ quan —"))]
    if suggested:
        choices.append((_("Gợi ý"), suggested))
        choices.append((_("Tất cả cơ quan"), everyone))
    else:
        choices.extend(everyone)
    return choices


class RouteForm(TicketForm):
    agency = forms.ChoiceField(label=gettext_lazy("Chuyển đến cơ quan"), choices=())
    note = _text(gettext_lazy("Ghi chú cho cơ quan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = agency_choices(self.ticket)

    def clean_agency(self) -> Agency:
        value = self.cleaned_data["agency"]
        agency_id = parse_id(value)
        agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
        if agency is None:
            raise ValidationError(_("Chọn cơ quan trong danh sách."))
        return agency


class ClassifyForm(TicketForm):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=TicketKind.choices)
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Lĩnh vực"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("— Không đổi —"),
    )
    procedure = forms.CharField(
        label=gettext_lazy("Mã thủ tục liên quan"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1.000426", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = self.ticket.kind
        self.fields["sector"].initial = self.ticket.sector_id
        if self.ticket.procedure is not None:
            self.fields["procedure"].initial = self.ticket.procedure.code

    def clean_procedure(self) -> Procedure | None:
        code = normalize(self.cleaned_data["procedure"])
        if not code:
            return None
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise ValidationError(_("Không có thủ tục mã %(code)s.") % {"code": code})
        return procedure


class AnswerForm(TicketForm):
    body = _text(gettext_lazy("Nội dung trả lời"), rows=6)
    in_person = forms.BooleanField(
        label=gettext_lazy("Đã trả lời trực tiếp (gọi lại, tại quầy): không gửi qua kênh"),
        required=False,
    )
    public_answer_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.ticket.channel not in DELIVERED_CHANNELS:
            del self.fields["in_person"]  # a call or a visit is answered in person anyway
        self.fields["body"].widget.attrs["data-knowledge-target"] = ""

    def arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("in_person", False)
        return data


class MergeForm(TicketForm):
    into = forms.CharField(
        label=gettext_lazy("Gộp vào phản ánh mã"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "1022-261125-0001", "autocomplete": "off"}),
    )

    def clean_into(self) -> Ticket:
        code = normalize(self.cleaned_data["into"])
        try:
            return access.ticket_for_user(self.user, code, self.hotline)
        except Http404:
            raise ValidationError(
                _("Không tìm thấy phản ánh mã %(code)s.") % {"code": code}
            ) from None


class LinkForm(TicketForm):
    dossier = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_dossier(self) -> Dossier:
        code = normalize(self.cleaned_data["dossier"])
        dossier = queries.dossier_by_code(self.user, code)
        if dossier is None:
            raise ValidationError(_("Không tìm thấy hồ sơ mã %(code)s.") % {"code": code})
        return dossier


class PublishForm(TicketForm):
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=255)
    question = _text(gettext_lazy("Câu hỏi (đã ẩn thông tin cá nhân)"), rows=4)
    answer = _text(gettext_lazy("Trả lời"), rows=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = publication_draft(self.ticket)


class MergeContactForm(TicketForm):
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại của người liên hệ trùng"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )

    def clean_phone(self) -> Contact:
        phone = _phone(self.cleaned_data["phone"])
        other = find_contact(phone=phone)
        if other is None:
            raise ValidationError(
                _("Không có người liên hệ nào với số %(phone)s.") % {"phone": phone}
            )
        if other.pk == self.ticket.contact_id:
            raise ValidationError(_("Đây chính là người liên hệ của phản ánh này."))
        return other

    def arguments(self) -> dict[str, Any]:
        return {"other": self.cleaned_data["phone"]}


class ResendForm(TicketForm):
    message = forms.IntegerField(widget=forms.HiddenInput)

    def clean_message(self) -> TicketMessage:
        message = TicketMessage.objects.filter(
            pk=self.cleaned_data["message"],
            ticket=self.ticket,
            direction=Direction.OUTBOUND,
            delivery=Delivery.FAILED,
        ).first()
        if message is None:
            raise ValidationError(_("Chỉ gửi lại được tin trả lời bị gửi lỗi."))
        return message
