"""An agency's signing key, as configuration: where the key is and how to open it."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Agency

# An environment variable's name, as a shell writes it.
ENV_NAME = RegexValidator(
    r"^[A-Z_][A-Z0-9_]{0,99}$",
    _("Tên biến môi trường chỉ gồm chữ in hoa không dấu, chữ số và dấu gạch dưới."),
)


class KeyKind(models.TextChoices):
    PKCS12 = "pkcs12", _("Tệp PKCS#12 (.p12, .pfx)")
    PKCS11 = "pkcs11", _("Thiết bị PKCS#11 (HSM, USB token)")


class SigningPurpose(models.TextChoices):
    # The agency's own signature on the results it issues (docs/signatures.md).
    AGENCY = "agency", _("Ký số kết quả thay mặt cơ quan")
    # A leader's own signature on a result, at a step of the workflow that asks for it,
    # before the agency's (docs/signatures.md "A leader's personal signature").
    PERSONAL = "personal", _("Ký số cá nhân của lãnh đạo")


class SigningKey(models.Model):
    """One key of an agency, or of one of its leaders (``user``, purpose "personal"). At most
    one active agency key per agency and one active personal key per person: rotating a key
    is adding the new one and switching the old one off (docs/signatures.md "Rotating")."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="signing_keys"
    )
    purpose = models.CharField(
        _("mục đích"), max_length=10, choices=SigningPurpose.choices, default=SigningPurpose.AGENCY
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giữ khóa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
        help_text=_("Chỉ với khóa ký số cá nhân: lãnh đạo ký bằng khóa này."),
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    kind = models.CharField(_("loại khóa"), max_length=10, choices=KeyKind.choices)
    pkcs12_path = models.CharField(
        _("đường dẫn tệp PKCS#12"),
        max_length=500,
        blank=True,
        help_text=_("Trên máy chạy tác vụ ký, ví dụ /etc/motcua/keys/ubnd-tinh.p12."),
    )
    pkcs11_module = models.CharField(
        _("thư viện PKCS#11"),
        max_length=500,
        blank=True,
        help_text=_("Thư viện của nhà sản xuất thiết bị, ví dụ /usr/lib/softhsm/libsofthsm2.so."),
    )
    token_label = models.CharField(_("nhãn token"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    cert_label = models.CharField(
        _("nhãn chứng thư"),
        max_length=100,
        blank=True,
        help_text=_("Để trống nếu chứng thư mang cùng nhãn với khóa."),
    )
    certificate_path = models.CharField(
        _("tệp chứng thư số (PEM/DER)"),
        max_length=500,
        blank=True,
        help_text=_("Chỉ khi token chỉ chứa khóa, không chứa chứng thư."),
    )
    secret_env = models.CharField(
        _("biến môi trường chứa mật khẩu/PIN"),
        max_length=100,
        blank=True,
        validators=[ENV_NAME],
        help_text=_(
            "Tên biến môi trường (hoặc <TÊN>_FILE trỏ tới tệp) chứa mật khẩu tệp PKCS#12 hoặc "
            "mã PIN của token, ví dụ MOTCUA_KEY_UBND_TINH_PIN. Không nhập mật khẩu ở đây. "
            "Khóa cá nhân để trống: lãnh đạo nhập mã PIN mỗi lần ký."
        ),
    )
    signer_name = models.CharField(
        _("tên hiển thị của người ký"),
        max_length=255,
        help_text=_("Tên cơ quan in trên dấu chữ ký, ví dụ «Ủy ban nhân dân tỉnh Hà Giang»."),
    )
    stamp_text = models.CharField(
        _("dòng chữ trên dấu chữ ký"), max_length=255, default="Bản điện tử đã được ký số"
    )
    signer_title = models.CharField(
        _("chức vụ của người ký"),
        max_length=255,
        blank=True,
        help_text=_("Khóa cá nhân: chức vụ in trên dấu chữ ký, ví dụ «Phó Giám đốc»."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("khóa ký số")
        verbose_name_plural = _("khóa ký số")
        ordering = ["agency", "-active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "purpose"],
                condition=Q(active=True, purpose=SigningPurpose.AGENCY),
                name="signing_key_one_active",
                violation_error_message=_("Cơ quan đã có một khóa đang dùng cho mục đích này."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(active=True, purpose=SigningPurpose.PERSONAL),
                name="signing_key_one_personal",
                violation_error_message=_("Người này đã có một khóa cá nhân đang dùng."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.get_kind_display()})"

    def clean(self) -> None:
        needed = (
            {"pkcs12_path": self.pkcs12_path}
            if self.kind == KeyKind.PKCS12
            else {
                "pkcs11_module": self.pkcs11_module,
                "token_label": self.token_label,
                "key_label": self.key_label,
            }
        )
        missing = {
            name: _("Cần nhập với loại khóa này.") for name, value in needed.items() if not value
        }
        personal = self.purpose == SigningPurpose.PERSONAL
        if personal and self.user_id is None:
            missing["user"] = _("Khóa cá nhân cần chọn người giữ khóa.")
        if not personal and self.user_id is not None:
            missing["user"] = _("Chỉ khóa cá nhân mới có người giữ khóa.")
        if not personal and not self.secret_env:
            # The agency's job runs with nobody to type a PIN.
            missing["secret_env"] = _("Khóa của cơ quan cần biến môi trường chứa mật khẩu/PIN.")
        if missing:
            raise ValidationError(missing)

    @property
    def asks_pin(self) -> bool:
        """The holder types the passphrase or PIN when signing (a personal key with no
        variable): it is never stored."""
        return not self.secret_env

    @property
    def secret_is_set(self) -> bool:
        """Whether this process sees the passphrase or PIN (never what it is)."""
        if not self.secret_env:
            return False
        return bool(os.environ.get(self.secret_env) or os.environ.get(f"{self.secret_env}_FILE"))
