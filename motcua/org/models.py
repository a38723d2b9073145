"""Who is who: administrative units, agencies, one-stop desks and staff roles.

The administrative structure is data (docs/architecture.md rule 10): units carry validity dates, so
the three-level structure in force until 30/06/2025 and the two-level one since 01/07/2025 live side
by side, linked by ``UnitSuccession`` rows (which old unit went into which new one).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class AdministrativeUnit(models.Model):
    """A province, district or commune as it existed between ``valid_from`` and ``valid_to``.

    Codes are the General Statistics Office codes; a code can be reused by a later unit (a new
    ward keeps an old commune's code), so a unit is identified by (code, valid_from).
    """

    code = models.CharField(_("mã đơn vị"), max_length=10)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=200, blank=True)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    kind = models.CharField(_("loại"), max_length=40, blank=True, help_text=_("tỉnh, phường, xã…"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="unit_code_unique_per_period"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="unit_code_unique_without_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccession(models.Model):
    """An old unit (wholly or partly) became a new one on ``effective_on`` (a merger)."""

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị cũ"),
        on_delete=models.CASCADE,
        related_name="successions",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị mới"),
        on_delete=models.CASCADE,
        related_name="predecessions",
    )
    effective_on = models.DateField(_("ngày có hiệu lực"))
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
    POLICE = "police", _("Công an")
    TAX = "tax", _("Cơ quan thuế")
    SOCIAL_INSURANCE = "social_insurance", _("Bảo hiểm xã hội")
    POST_OFFICE = "post_office", _("Bưu điện")
    OTHER = "other", _("Cơ quan khác")


class Agency(models.Model):
    """A state agency with its electronic identifier code (Decision 20/2020/QĐ-TTg)."""

    code = models.CharField(
        _("mã định danh"),
        max_length=40,
        unique=True,
        help_text=_("Mã định danh điện tử theo Quyết định 20/2020/QĐ-TTg, ví dụ 000.00.01.H22"),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=30, choices=AgencyKind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DeskKind(models.TextChoices):
    CENTRE = "centre", _("Trung tâm Phục vụ hành chính công cấp tỉnh")
    COMMUNE = "commune", _("Bộ phận Một cửa cấp xã")
    DISTRICT = "district", _("Bộ phận Một cửa cấp huyện")
    POST_OFFICE = "post_office", _("Bưu điện tiếp nhận hồ sơ")
    AGENCY = "agency", _("Bộ phận Một cửa của cơ quan")


class Desk(models.Model):
    """Where dossiers are received and results returned (Bộ phận Một cửa).

    Under Decree 118/2025 a provincial or commune centre receives dossiers regardless of
    administrative boundary; which procedures a desk accepts is kept by the catalogue.
    """

    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=DeskKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan quản lý"),
        on_delete=models.PROTECT,
        related_name="desks",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="desks",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    HOTLINE_OPERATOR = "hotline_operator", _("Điện thoại viên 1022")
    POSTAL_OFFICER = "postal_officer", _("Nhân viên bưu điện")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    INSPECTOR = "inspector", _("Thanh tra, giám sát")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(active=True)


class Membership(models.Model):
    """A user's role at an agency (and, for desk staff, at one desk): the user's scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    desk = models.ForeignKey(
        Desk,
        verbose_name=_("bộ phận một cửa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"
