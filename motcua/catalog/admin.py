from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import (
    ExecutionMethod,
    Fee,
    LegalBasis,
    Procedure,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
    ResultDocument,
    Sector,
)


class ExecutionMethodInline(admin.StackedInline):
    model = ExecutionMethod
    extra = 0
    show_change_link = True


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class ResultDocumentInline(admin.TabularInline):
    model = ResultDocument
    extra = 0


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sector", "online_mode", "fast_track", "active"]
    list_filter = [
        "online_mode",
        "fast_track",
        "active",
        "at_province",
        "at_commune",
        "at_ministry",
        "sector",
    ]
    search_fields = ["code", "name", "search_text"]
    raw_id_fields = ["sector", "competent_agency", "implementing_agency"]
    filter_horizontal = ["desks"]
    list_select_related = ["sector"]
    inlines = [
        ExecutionMethodInline,
        RequiredDocumentInline,
        ResultDocumentInline,
        LegalBasisInline,
    ]
    fieldsets = [
        (None, {"fields": ["code", "name", "sector", "procedure_type", "decision_number"]}),
        (
            _("Cấp thực hiện"),
            {"fields": ["at_ministry", "at_province", "at_district", "at_commune", "at_other"]},
        ),
        (
            _("Cơ quan"),
            {
                "fields": [
                    "competent_agency",
                    "implementing_agency",
                    "competent_agency_text",
                    "implementing_agency_text",
                    "coordinating_agency_text",
                    "reception_address",
                    "desks",
                ]
            },
        ),
        (
            _("Thực hiện"),
            {
                "fields": [
                    "subjects",
                    "online_mode",
                    "fast_track",
                    "same_day_cutoff",
                    "steps_text",
                    "conditions_text",
                ]
            },
        ),
        (_("Hiệu lực"), {"fields": ["active", "valid_from", "valid_to", "source_url"]}),
    ]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


@admin.register(ExecutionMethod)
class ExecutionMethodAdmin(admin.ModelAdmin):
    list_display = ["procedure", "channel", "time_value", "time_unit"]
    list_filter = ["channel", "time_unit", "time_unit_assumed"]
    search_fields = ["procedure__code", "procedure__name"]
    raw_id_fields = ["procedure"]
    inlines = [FeeInline]


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    raw_id_fields = ["agency"]


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ["procedure", "version", "active", "derived", "created_at"]
    list_filter = ["active", "derived"]
    search_fields = ["procedure__code", "procedure__name"]
    raw_id_fields = ["procedure"]
    inlines = [ProcessStepInline]
