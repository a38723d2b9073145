from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "motcua.workcalendar"
    label = "workcalendar"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from motcua.core.reference import watch
        from motcua.workcalendar.models import CalendarOverride, WorkingPeriod

        # The compiled calendars are cached per process (store.py).
        watch(CalendarOverride, WorkingPeriod)
