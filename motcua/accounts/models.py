"""A citizen's profile (one per citizen user) and the verification codes sent to prove that a
phone or an email belongs to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.id_numbers import validate_id_number
from motcua.core.phones import validate_mobile


class Channel(models.TextChoices):
    PHONE = "phone", _("Số điện thoại")
    EMAIL = "email", _("Thư điện tử")


class CitizenProfile(models.Model):
    """Who the citizen is, as they told us or as the identity provider asserted
    (``id_verified``).

    A phone or email identifies one account (unique among profiles); it is a sign-in name only
    once verified with a code. ``oidc_issuer`` + ``oidc_subject`` link the account to an
    OpenID Connect identity (VNeID): accounts are linked by that pair only, never by email.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="citizen_profile",
    )
    full_name = models.CharField(_("họ và tên"), max_length=100)
    id_number = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, validators=[validate_id_number]
    )
    # True only when the identity provider asserted the ID number (a number the citizen typed
    # is not proof of who they are): the portal shows dossiers filed under the number only then.
    id_verified = models.BooleanField(_("đã xác thực số định danh"), default=False)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(
        _("số điện thoại"), max_length=10, blank=True, validators=[validate_mobile]
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    verified_phone = models.BooleanField(_("đã xác minh số điện thoại"), default=False)
    verified_email = models.BooleanField(_("đã xác minh thư điện tử"), default=False)
    oidc_issuer = models.CharField(_("nhà cung cấp định danh"), max_length=255, blank=True)
    oidc_subject = models.CharField(_("mã định danh tại nhà cung cấp"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ công dân")
        verbose_name_plural = _("hồ sơ công dân")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="citizen_phone_unique"
            ),
            # Emails are stored lower-case (identifiers.parse_identifier), so this is
            # case-insensitive in effect.
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="citizen_email_unique"
            ),
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="citizen_oidc_subject_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def address_of(self, channel: str) -> str:
        return self.phone if channel == Channel.PHONE else self.email

    def is_verified(self, channel: str) -> bool:
        return self.verified_phone if channel == Channel.PHONE else self.verified_email


class VerificationCode(models.Model):
    """One 6-digit code sent to ``address``. Only its salted HMAC is stored; it is valid for
    ten minutes and five attempts, and only the latest code of a user and channel counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="verification_codes",
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("gửi đến"), max_length=254)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(_("số lần nhập"), default=0)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác minh")
        verbose_name_plural = _("mã xác minh")
        indexes = [
            # verification.latest_code reads a user's codes, newest first.
            models.Index(fields=["user", "channel", "-created_at"], name="verification_latest"),
            # verification's hourly cap counts the codes sent to one phone or email.
            models.Index(fields=["address", "created_at"], name="verification_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.address}"
