from django.contrib import admin

from motcua.workcalendar.models import CalendarOverride, WorkingPeriod


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "name", "agency", "decision"]
    list_filter = ["kind", "agency"]
    date_hierarchy = "day"
    search_fields = ["name", "decision"]
    raw_id_fields = ["agency"]


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(admin.ModelAdmin):
    list_display = ["agency", "weekday", "start", "end"]
    list_filter = ["weekday"]
    raw_id_fields = ["agency"]
