from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.reform.models import DialogueSession


@admin.register(DialogueSession)
class DialogueSessionAdmin(admin.ModelAdmin[DialogueSession]):
    list_display = ["title", "held_on", "place", "created_by", "created_at"]
    date_hierarchy = "held_on"
    search_fields = ["title", "place", "leaders", "businesses"]
    raw_id_fields = ["unit", "created_by"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(
        self, request: HttpRequest, obj: DialogueSession, form: Any, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
