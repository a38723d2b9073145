from django.contrib import admin

from motcua.org.models import AdministrativeUnit, Agency, Desk, Membership, UnitSuccession


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "valid_from", "valid_to"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "effective_on", "note"]
    search_fields = ["predecessor__name", "successor__name", "predecessor__code"]
    raw_id_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "short_name"]
    raw_id_fields = ["unit", "parent"]
    list_select_related = ["unit"]


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agency", "unit", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "address"]
    raw_id_fields = ["agency", "unit"]
    list_select_related = ["agency", "unit"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "desk", "title", "active"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    raw_id_fields = ["user", "agency", "desk"]
    list_select_related = ["user", "agency", "desk"]
