"""The citizens' hotline forms: a question or feedback (with its spam traps), a reply on the
follow-up page, a rating, and the public Q&A's search.

Spam traps on the web form: a honeypot field people never see (``website``) and a signed
stamp written when the form is rendered (``stamp``: a one-time number and the moment). A form
sent back less than ``MIN_FILL_SECONDS`` after it was rendered, or with the honeypot filled,
is answered as accepted and stored nowhere. The stamp's number is also the ticket's first
message id on the web channel, so posting one rendered form twice makes one ticket.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Sector
from motcua.core import uploads
from motcua.core.forms import CitizenForm
from motcua.core.phones import normalize_phone
from motcua.hotline.actions.intake import MAX_ATTACHMENT_BYTES, MAX_BODY_CHARS
from motcua.hotline.inbound import InboundAttachment
from motcua.hotline.models import PublicAnswer, TicketCategory
from motcua.hotline.status import TicketKind

MAX_ATTACHMENTS = 3
MIN_FILL_SECONDS = 3.0
# A form left open longer than this is sent back to be submitted again (with what was typed).
STAMP_MAX_AGE_SECONDS = 24 * 3600
STAMP_SALT = "motcua.hotline.web-form"
_NONCE = re.compile(r"^[0-9a-f]{32}$")

KINDS = [
    (TicketKind.QUESTION, gettext_lazy("Hỏi đáp: cách làm thủ tục, giấy tờ, lệ phí…")),
    (TicketKind.FEEDBACK, gettext_lazy("Phản ánh: về một quy định hoặc việc phục vụ")),
    (TicketKind.PETITION, gettext_lazy("Kiến nghị: đề xuất sửa đổi, cải tiến")),
    (TicketKind.COMPLAINT, gettext_lazy("Khiếu nại: về một quyết định, hành vi của cán bộ")),
]
RATINGS = [
    ("5", gettext_lazy("5 — Rất hài lòng")),
    ("4", gettext_lazy("4 — Hài lòng")),
    ("3", gettext_lazy("3 — Bình thường")),
    ("2", gettext_lazy("2 — Không hài lòng")),
    ("1", gettext_lazy("1 — Rất không hài lòng")),
]


@dataclass(frozen=True)
class Stamp:
    nonce: str
    rendered_at: float
    value: str

    def too_fast(self) -> bool:
        return time.time() - self.rendered_at < MIN_FILL_SECONDS


def new_stamp(*, filled: bool = False) -> str:
    """A stamp for a form being rendered; ``filled`` for one sent back with what the person
    already typed, which they may rightly send again at once."""
    rendered_at = time.time() - (MIN_FILL_SECONDS if filled else 0)
    return signing.dumps({"n": secrets.token_hex(16), "t": round(rendered_at, 3)}, salt=STAMP_SALT)


def read_stamp(value: str | None) -> Stamp | None:
    """The stamp the form was rendered with; None when missing, forged or too old."""
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=STAMP_SALT, max_age=STAMP_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    nonce, rendered_at = payload.get("n"), payload.get("t")
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        return None
    if not isinstance(rendered_at, int | float):
        return None
    return Stamp(nonce, float(rendered_at), value)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ``MAX_ATTACHMENTS`` PDF/JPEG/PNG files, each checked by content."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": uploads.ACCEPT, "multiple": True})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Chỉ gửi được tối đa %(n)s tệp.") % {"n": MAX_ATTACHMENTS}, code="too_many"
            )
        checked = []
        for upload in files:
            upload = super().clean(upload, initial)
            if not isinstance(upload, UploadedFile):
                continue
            # The ticket keeps files up to the intake's limit, whatever the portal allows.
            if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    _("Tệp «%(name)s» vượt quá giới hạn %(max)s MB mỗi tệp.")
                    % {"name": upload.name, "max": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
                    code="too_large",
                )
            uploads.check(upload)
            checked.append(upload)
        return checked


class WebTicketForm(CitizenForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Bạn muốn gửi"),
        choices=KINDS,
        initial=TicketKind.QUESTION,
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Về việc"),
        queryset=TicketCategory.objects.none(),
        required=False,
        empty_label=gettext_lazy("Không rõ / việc khác"),
        help_text=gettext_lazy("Nếu không chắc, để trống: Tổng đài 1022 sẽ phân loại giúp."),
    )
    subject = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=200)
    content = forms.CharField(
        label=gettext_lazy("Nội dung"),
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Nêu rõ sự việc, thời gian, địa điểm; nếu liên quan đến hồ sơ, ghi mã hồ sơ."
        ),
    )
    attachments = AttachmentsField(
        label=gettext_lazy("Tệp đính kèm"),
        required=False,
        help_text=gettext_lazy(
            "Không bắt buộc. Tối đa 3 tệp PDF, JPG hoặc PNG, mỗi tệp đến 10 MB. "
            "Nếu biểu mẫu báo lỗi, hãy chọn lại tệp."
        ),
    )
    name = forms.CharField(
        label=gettext_lazy("Họ và tên"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": gettext_lazy("Địa chỉ thư điện tử không hợp lệ.")},
        help_text=gettext_lazy("Câu trả lời được gửi đến địa chỉ này."),
    )
    address = forms.CharField(
        label=gettext_lazy("Địa chỉ"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Tôi đồng ý để cơ quan nhà nước xử lý thông tin cá nhân trên nhằm giải quyết và trả "
            "lời phản ánh này (Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân)."
        ),
    )
    # The honeypot: out of sight (CSS), skipped by the keyboard, announced to screen readers
    # as a field to leave empty; robots fill every field they find.
    website = forms.CharField(
        label=gettext_lazy("Để trống ô này (chống thư rác)"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = TicketCategory.objects.filter(active=True)
        if categories.exists():
            category = self.fields["category"]
            assert isinstance(category, forms.ModelChoiceField)
            category.queryset = categories
        else:  # nothing to choose from until the province sets categories up
            del self.fields["category"]
        self.fields["consent"].error_messages["required"] = _(
            "Cần đồng ý để chúng tôi dùng thông tin liên hệ trả lời bạn."
        )

    def error_list(self) -> list[tuple[str, str]]:
        # The consent's label is a whole sentence: the summary says just what is missing.
        consent = self["consent"].auto_id or ""
        return [
            (anchor, str(self.errors["consent"][0]) if anchor == consent else message)
            for anchor, message in super().error_list()
        ]

    def is_spam(self) -> bool:
        """The honeypot was filled: a robot (read before validation)."""
        return bool((self.data.get("website") or "").strip())

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone") or ""
        return normalize_phone(value) if value.strip() else ""

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("phone") or data.get("email")
        if not given and "phone" not in self.errors and "email" not in self.errors:
            self.add_error(
                "phone",
                _("Cần số điện thoại hoặc thư điện tử (ít nhất một) để nhận câu trả lời."),
            )
        return data

    def inbound_attachments(self) -> tuple[InboundAttachment, ...]:
        out = []
        for upload in self.cleaned_data.get("attachments") or []:
            upload.seek(0)
            content_type = upload.content_type or "application/octet-stream"
            out.append(InboundAttachment(upload.name or "tep", content_type, upload.read()))
        return tuple(out)


class ReplyForm(CitizenForm):
    body = forms.CharField(
        label=gettext_lazy("Gửi thêm ý kiến"),
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # One number per rendered form: the message's id on the web channel, so a double click
    # stores one message.
    nonce = forms.RegexField(regex=_NONCE, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"nonce": secrets.token_hex(16)})
        super().__init__(*args, **kwargs)
        self.fields["nonce"].error_messages["invalid"] = _(
            "Biểu mẫu không hợp lệ; hãy tải lại trang."
        )


class RatingForm(CitizenForm):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("Bạn hài lòng với câu trả lời ở mức nào?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Ý kiến thêm"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].error_messages["required"] = _("Cần chọn một mức hài lòng.")


class AnswerSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm câu hỏi"), required=False, max_length=200)
    sector = forms.TypedChoiceField(
        label=gettext_lazy("Lĩnh vực"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sectors = Sector.objects.filter(
            pk__in=PublicAnswer.objects.filter(published=True, sector__isnull=False).values(
                "sector_id"
            )
        ).order_by("name")
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = [("", _("Tất cả")), *((str(s.pk), s.name) for s in sectors)]

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty choices; an unknown value is dropped, not an error page."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
