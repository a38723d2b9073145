"""The province's own calendar decisions, layered over the national holidays.

The ``holidays`` package knows the public holidays but not the make-up working Saturdays nor a
province's local decisions; those are rows here. An override or working period with no agency
applies province-wide; one with an agency applies to that agency only and wins over the
province-wide row for the same day.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Agency


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class CalendarOverride(models.Model):
    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=12, choices=OverrideKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    decision = models.CharField(
        _("văn bản quyết định"), max_length=255, blank=True, help_text=_("Số, ký hiệu văn bản")
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        help_text=_("Để trống: áp dụng toàn tỉnh."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=models.Q(agency__isnull=True),
                name="override_one_per_day_provincewide",
            ),
            models.UniqueConstraint(fields=["day", "agency"], name="override_one_per_day_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.name}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ Nhật")


class WorkingPeriod(models.Model):
    """A working period of a weekday. An agency with any periods uses only its own."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_periods",
        help_text=_("Để trống: giờ làm việc chung của tỉnh."),
    )
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    start = models.TimeField(_("từ"))
    end = models.TimeField(_("đến"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["agency", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="period_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"
