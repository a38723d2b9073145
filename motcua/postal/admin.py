"""The postal tariff, which the province sets, and the postal orders, which change only
through the actions (``actions.py``) and so are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.postal.models import PostalOrder, PostalTariff


@admin.register(PostalTariff)
class PostalTariffAdmin(admin.ModelAdmin):
    list_display = ["service", "zone", "fee_vnd", "valid_from", "confirmed", "note"]
    list_filter = ["service", "zone", "confirmed"]
    ordering = ["service", "zone", "-valid_from"]


@admin.register(PostalOrder)
class PostalOrderAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "dossier",
        "service",
        "status",
        "channel",
        "unit",
        "fee_vnd",
        "cod_vnd",
        "tracking_number",
    ]
    list_filter = ["service", "status", "channel", "zone"]
    # By dossier code or tracking number only: no search by phone or address.
    search_fields = ["dossier__code", "tracking_number"]
    list_select_related = ["dossier", "unit"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
