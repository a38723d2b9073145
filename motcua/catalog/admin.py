from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import (
    ExecutionMethod,
    Fee,
    LegalBasis,
    PostOfficeScope,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
    ResultDocument,
    Sector,
)
from motcua.catalog.version_history import history
from motcua.catalog.workflow import TemplateError, draft_from, publish
from motcua.core.admin import ReadOnlyAdmin


class ExecutionMethodInline(admin.StackedInline):
    model = ExecutionMethod
    extra = 0
    show_change_link = True


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    # Set by a procedure version (catalog/versions.py), not by hand.
    readonly_fields = ["withdrawn_from"]


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
        (_("Các lần sửa đổi, bổ sung"), {"fields": ["version_history"]}),
    ]
    readonly_fields = ["version_history"]

    @admin.display(description=_("Các lần sửa đổi, bổ sung"))
    def version_history(self, obj: Procedure | None) -> SafeString | str:
        """What each decision changed, as the public page shows it."""
        if obj is None or obj.pk is None:
            return "—"
        versions = history(obj)
        if not versions:
            return "—"
        return SafeString(render_to_string("catalog/_versions.html", {"versions": versions}))


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    """Read-only: a version is recorded by ``catalog.versions.enact_version`` (the
    simplification review's decision) and applied on its date, never edited."""

    list_display = [
        "procedure",
        "number",
        "decision_number",
        "effective_from",
        "applied_at",
        "summary",
    ]
    list_filter = ["effective_from", "applied_at"]
    search_fields = ["procedure__code", "procedure__name", "decision_number"]
    list_select_related = ["procedure"]
    date_hierarchy = "effective_from"


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


def _is_published(obj: ProcessTemplate | None) -> bool:
    return obj is not None and not obj.is_draft


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    raw_id_fields = ["agency"]

    # A published version is what dossiers ran on: its steps are read-only.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ["procedure", "version", "active", "derived", "published_at", "created_at"]
    list_filter = ["active", "derived"]
    search_fields = ["procedure__code", "procedure__name"]
    raw_id_fields = ["procedure"]
    readonly_fields = ["version", "active", "derived", "published_at"]
    list_select_related = ["procedure"]
    inlines = [ProcessStepInline]
    actions = ["make_draft", "publish_drafts"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: ProcessTemplate, form: Any, change: bool
    ) -> None:
        if not change:
            with transaction.atomic():
                latest = ProcessTemplate.objects.filter(procedure=obj.procedure).order_by(
                    "-version"
                )
                obj.version = (latest[0].version + 1) if latest else 1
                obj.active = False
                super().save_model(request, obj, form, change)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Tạo bản nháp mới từ phiên bản đã chọn"))
    def make_draft(self, request: HttpRequest, queryset: QuerySet[ProcessTemplate]) -> None:
        for template in queryset:
            draft = draft_from(template)
            self.message_user(
                request,
                _("Đã tạo bản nháp phiên bản %(v)s cho thủ tục %(code)s.")
                % {"v": draft.version, "code": template.procedure.code},
            )

    @admin.action(description=_("Áp dụng các bản nháp đã chọn"))
    def publish_drafts(self, request: HttpRequest, queryset: QuerySet[ProcessTemplate]) -> None:
        for template in queryset:
            try:
                publish(template)
            except TemplateError as exc:
                self.message_user(request, str(exc), level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Đã áp dụng phiên bản %(v)s cho thủ tục %(code)s.")
                    % {"v": template.version, "code": template.procedure.code},
                )


@admin.register(PostOfficeScope)
class PostOfficeScopeAdmin(admin.ModelAdmin):
    """The sectors and agencies each post-office desk receives for (docs/postal.md)."""

    list_display = ["desk", "decision"]
    filter_horizontal = ["sectors", "agencies"]
    list_select_related = ["desk"]
