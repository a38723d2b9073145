"""Home visits' pages, under ``/lich-hen/`` (docs/appointments.md). The citizen's booking
page is the portal's (``/hen-tai-nha/``)."""

from django.urls import path

from motcua.appointments.views import public, staff, visit

app_name = "appointments"
urlpatterns = [
    path("cong-bo/", staff.publish, name="publish"),
    path("dat-hen/", staff.book, name="book"),
    path("trong-ngay/", staff.day, name="day"),
    path("lich-ical/", staff.feed, name="feed"),
    path("ical/<str:token>.ics", public.ical_feed, name="ical"),
    path("doi-huy/<str:token>/", public.manage, name="manage"),
    path("<int:appointment_id>/", visit.page, name="visit"),
    path("<int:appointment_id>/ket-qua/", visit.outcome, name="outcome"),
    path("<int:appointment_id>/tiep-nhan/", visit.receive, name="receive"),
    path("<int:appointment_id>/tra-ket-qua/", visit.return_result_view, name="return"),
]
