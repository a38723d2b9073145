"""The Decision 766 rule sets in the administration (docs/rules/indicators.md "Rule sets").

A rule set once saved is read-only: a change is a new version, its rows prefilled with the
version in force today, so past scores can always be recomputed as they were.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Max
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone

from motcua.reports.indicators.definitions import INDICATORS
from motcua.reports.indicators.engine import rules
from motcua.reports.models import RuleSet, RuleValue, ScoreSnapshot


class RuleValueInline(admin.TabularInline):
    model = RuleValue
    fields = ("key", "max_points", "full_at", "unconfirmed")
    can_delete = False

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 0 if obj is not None else len(INDICATORS)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset: type[BaseInlineFormSet] = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            return formset
        _version, current = rules(timezone.localdate())
        initial = [
            {
                "key": i.key,
                "max_points": current[i.key].max_points,
                "full_at": current[i.key].full_at,
                "unconfirmed": current[i.key].unconfirmed,
            }
            for i in INDICATORS
        ]

        class Prefilled(formset):  # type: ignore[misc,valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                kw.setdefault("initial", initial)
                super().__init__(*args, **kw)

        return Prefilled

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("version", "effective_from", "note", "created_by", "created_at")
    fields = ("effective_from", "note")
    inlines = [RuleValueInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        if not change:
            last = RuleSet.objects.aggregate(last=Max("version"))["last"] or 0
            obj.version = last + 1
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Rows left as prefilled are not posted back as changed: the new version takes them
        from the version before it, so it holds every indicator."""
        super().save_related(request, form, formsets, change)
        if change:
            return
        rule_set: RuleSet = form.instance
        _version, previous = rules(timezone.localdate(), version=rule_set.version - 1)
        have = set(rule_set.values.values_list("key", flat=True))
        RuleValue.objects.bulk_create(
            [
                RuleValue(
                    rule_set=rule_set,
                    key=key,
                    max_points=rule.max_points,
                    full_at=rule.full_at,
                    unconfirmed=rule.unconfirmed,
                )
                for key, rule in previous.items()
                if key not in have
            ]
        )


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(admin.ModelAdmin):
    list_display = ("period_start", "period_end", "scope_kind", "scope_name", "score", "rank")
    list_filter = ("scope_kind",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
