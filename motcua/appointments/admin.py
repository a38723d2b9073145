"""Slots are published on the staff page (or here, one by one; docs/appointments.md);
appointments, reminders, feeds and outcomes are shown here read-only, since they change only
through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.appointments.models import (
    Appointment,
    AppointmentReminder,
    CalendarFeed,
    DeskQueue,
    Slot,
    VisitOutcome,
)
from motcua.core.admin import ReadOnlyAdmin


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = [
        "start",
        "end",
        "kind",
        "desk",
        "sector",
        "officer",
        "team",
        "capacity",
        "booked",
    ]
    list_filter = ["kind", "desk"]
    date_hierarchy = "start"
    autocomplete_fields = ["units"]
    raw_id_fields = ["officer"]
    readonly_fields = ["booked", "created_by", "created_at"]
    list_select_related = ["desk", "sector", "officer"]

    def save_model(self, request: HttpRequest, obj: Slot, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "slot", "procedure", "purpose", "status", "channel", "created_at"]
    list_filter = ["status", "channel", "purpose", "slot__kind"]
    list_select_related = ["slot", "slot__desk", "slot__officer", "procedure"]
    date_hierarchy = "created_at"


@admin.register(AppointmentReminder)
class AppointmentReminderAdmin(ReadOnlyAdmin):
    list_display = ["appointment", "kind", "due_at", "status", "sent_at"]
    list_filter = ["status", "kind"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["officer", "created_at", "revoked_at"]
    exclude = ["digest"]


@admin.register(VisitOutcome)
class VisitOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["appointment", "outcome", "dossier", "recorded_by", "recorded_at"]
    list_filter = ["outcome"]


# ---- The desk queue (docs/appointments.md "Desk queue") ------------------------------------


@admin.register(DeskQueue)
class DeskQueueAdmin(admin.ModelAdmin):
    """A desk's hours, windows, horizon and grace; a desk without a row uses the
    ``APPOINTMENTS_QUEUE_*`` settings."""

    list_display = [
        "desk",
        "opens",
        "closes",
        "window_minutes",
        "numbers_per_window",
        "horizon_days",
        "no_show_minutes",
        "active",
    ]
    list_filter = ["active"]
    raw_id_fields = ["desk"]
