"""The postal tariff, which the province sets, and the postal orders, which change only
through the actions (``actions.py``) and so are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.postal.models import Handover, HandoverItem, PickupCheck, PostalOrder, PostalTariff


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


class ReadOnly(admin.ModelAdmin):
    """Written by the actions only (``checking.py``, ``handing_over.py``)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PickupCheck)
class PickupCheckAdmin(ReadOnly):
    list_display = ["checked_at", "order", "complete", "checked_by"]
    list_filter = ["complete"]
    search_fields = ["order__dossier__code"]
    list_select_related = ["order__dossier", "checked_by"]
    date_hierarchy = "checked_at"


class HandoverItemInline(admin.TabularInline):
    model = HandoverItem
    fields = ("position", "dossier", "order", "cod_vnd", "outcome")
    readonly_fields = ("position", "dossier", "order", "cod_vnd", "outcome")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Handover)
class HandoverAdmin(ReadOnly):
    list_display = [
        "number",
        "created_at",
        "post_office",
        "desk",
        "cod_total_vnd",
        "received_at",
        "remitted_vnd",
    ]
    search_fields = ["number", "items__dossier__code"]
    list_select_related = ["post_office", "desk"]
    date_hierarchy = "created_at"
    inlines = [HandoverItemInline]
