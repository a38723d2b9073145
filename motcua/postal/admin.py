"""The postal tariff, which the province sets, and the postal orders, which change only
through the actions (``actions.py``) and so are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.core.outbox.engine import send_on_commit
from motcua.postal import carrier
from motcua.postal.models import (
    Handover,
    HandoverItem,
    PickupCheck,
    PostalCarrierCommand,
    PostalOrder,
    PostalTariff,
    PostalTrackingEvent,
)


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


TRACKING_FIELDS: Any = ["at", "carrier_event_id", "status_code", "moved_to", "message", "source"]


class TrackingInline(ReadOnly, admin.TabularInline):
    """The carrier's events of the order (docs/postal.md "Carrier")."""

    model = PostalTrackingEvent
    fields = readonly_fields = TRACKING_FIELDS
    extra = 0


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
    inlines = [TrackingInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PostalCarrierCommand)
class PostalCarrierCommandAdmin(ReadOnly, admin.ModelAdmin):
    """The carrier outbox: what was sent, what waits (a delivery until its result is
    ready), what failed with the carrier's answer; "Gửi lại" for the failed ones."""

    list_display = ["created_at", "order", "action", "status", "attempts", "sent_at"]
    list_filter = ["status", "action", "maybe_duplicate"]
    fields = [
        "order",
        "action",
        "status",
        "attempts",
        "attempted_at",
        "maybe_duplicate",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "provider_message_id",
    ]
    search_fields = ["order__dossier__code", "provider_message_id"]
    list_select_related = ["order__dossier"]
    actions = ["resend"]

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("postal.change_postalcarriercommand")

    @admin.action(description=_("Gửi lại"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[PostalCarrierCommand]) -> None:
        ids = carrier.OUTBOX.reset_failed(queryset)
        for pk in ids:
            send_on_commit(carrier.send_carrier_command, pk)
        self.message_user(
            request,
            ngettext(
                "Đã đưa %(count)d lệnh lỗi vào hàng chờ gửi lại.",
                "Đã đưa %(count)d lệnh lỗi vào hàng chờ gửi lại.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS if ids else messages.WARNING,
        )


@admin.register(PickupCheck)
class PickupCheckAdmin(ReadOnly, admin.ModelAdmin):
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
class HandoverAdmin(ReadOnly, admin.ModelAdmin):
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
