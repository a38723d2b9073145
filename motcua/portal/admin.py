"""The rating criteria the province asks about, and the ratings given (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.dossiers.models import Rating, RatingCriterion


@admin.register(RatingCriterion)
class RatingCriterionAdmin(admin.ModelAdmin[RatingCriterion]):
    list_display = ["text", "order", "active"]
    list_editable = ["order", "active"]
    ordering = ["order", "id"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin[Rating]):
    list_display = ["dossier", "level", "rated_at"]
    list_filter = ["level"]
    search_fields = ["dossier__code"]
    readonly_fields = ["dossier", "citizen", "level", "answers", "comment", "rated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
