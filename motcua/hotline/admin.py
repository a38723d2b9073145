"""The hotline's settings in the admin (categories, response times, published answers);
tickets are worked in the console (/tong-dai/) and are read-only here."""

from __future__ import annotations

from django.contrib import admin

from motcua.core.admin import ReadOnlyAdmin
from motcua.hotline.models import (
    Contact,
    PublicAnswer,
    ResponseTime,
    Ticket,
    TicketCategory,
)


@admin.register(TicketCategory)
class TicketCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "kind", "sector", "agency", "active", "order"]
    list_filter = ["active", "kind", "group"]
    search_fields = ["code", "name", "keywords"]
    autocomplete_fields = ["sector", "agency"]


@admin.register(ResponseTime)
class ResponseTimeAdmin(admin.ModelAdmin):
    list_display = ["kind", "working_hours", "near_due_hours"]


@admin.register(PublicAnswer)
class PublicAnswerAdmin(admin.ModelAdmin):
    list_display = ["title", "sector", "answered_by", "published", "published_at", "views"]
    list_filter = ["published", "sector"]
    search_fields = ["title", "question", "answer"]
    readonly_fields = ["ticket", "views", "published_by"]
    autocomplete_fields = ["sector", "procedure"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["code", "received_at", "channel", "kind", "status", "agency", "due_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["code", "subject", "contact__phone", "contact__email"]
    list_select_related = ["agency"]
    date_hierarchy = "received_at"


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["name", "phone", "email", "organisation", "merged_into", "created_at"]
    search_fields = ["name", "phone", "email"]
