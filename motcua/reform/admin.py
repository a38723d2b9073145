from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.core.admin import ReadOnlyAdmin
from motcua.reform.models import DialogueSession, IncomeRate, Proposal, ReviewCycle


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


@admin.register(IncomeRate)
class IncomeRateAdmin(admin.ModelAdmin[IncomeRate]):
    """The province's average income is a dated parameter: a new figure is a new row from
    its date, so proposals priced before keep the figure they were priced with."""

    list_display = ["valid_from", "monthly_income_vnd", "working_days_per_month", "source"]
    ordering = ["-valid_from"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "plan_number", "deadline", "status"]
    list_filter = ["year", "status"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "procedure",
        "agency",
        "status",
        "annual_before_vnd",
        "annual_after_vnd",
    ]
    list_filter = ["status", "cycle"]
    search_fields = ["code", "procedure__code", "procedure__name"]
    list_select_related = ["procedure", "agency"]
