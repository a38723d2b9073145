"""What the indicators keep (docs/rules/indicators.md "Decision 766 indicators"): the rule
sets an administrator edits, versioned, and the weekly score snapshots rankings are kept in.

A rule set is never changed once saved: a change is a new version with the day it takes
effect, so a past score recomputed reads the version that was in force at its period's end
(``engine.score(..., rules=...)`` can name any version).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    version = models.PositiveIntegerField(_("phiên bản"), unique=True)
    effective_from = models.DateField(
        _("áp dụng từ ngày"), help_text=_("Kỳ kết thúc từ ngày này trở đi dùng bộ quy tắc này.")
    )
    note = models.CharField(_("ghi chú, căn cứ"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bộ quy tắc chấm điểm (QĐ 766)")
        verbose_name_plural = _("bộ quy tắc chấm điểm (QĐ 766)")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} · {self.effective_from:%d/%m/%Y}"


class RuleValue(models.Model):
    """One indicator's points and threshold in a rule set."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(_("chỉ số"), max_length=60)
    max_points = models.DecimalField(
        _("điểm tối đa"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    full_at = models.DecimalField(
        _("đạt điểm tối đa khi tỷ lệ từ"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0,8 nghĩa là đạt 80 % trở lên thì được điểm tối đa."),
    )
    unconfirmed = models.BooleanField(_("điểm chưa được xác nhận"), default=True)

    class Meta:
        verbose_name = _("điểm của chỉ số")
        verbose_name_plural = _("điểm của chỉ số")
        constraints = [models.UniqueConstraint(fields=["rule_set", "key"], name="rule_value_once")]

    def __str__(self) -> str:
        return f"{self.key}: {self.max_points}"


class ScoreSnapshot(models.Model):
    """A score as computed when its week ended, for the rankings over time."""

    period_kind = models.CharField(max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    scope_kind = models.CharField(max_length=10)
    scope_id = models.PositiveBigIntegerField(default=0)  # 0: the province
    scope_name = models.CharField(max_length=255)
    score = models.DecimalField(max_digits=6, decimal_places=2)
    max_score = models.DecimalField(max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField(null=True)
    rules_version = models.PositiveIntegerField()
    payload = models.JSONField()  # the API's answer for this period and scope
    taken_at = models.DateTimeField()

    class Meta:
        verbose_name = _("điểm đã chốt")
        verbose_name_plural = _("điểm đã chốt")
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "scope_kind", "scope_id"],
                name="score_snapshot_once",
            )
        ]
        indexes = [models.Index(fields=["scope_kind", "scope_id", "period_start"])]

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y} · {self.scope_name}: {self.score}"
