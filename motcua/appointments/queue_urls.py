"""The desk queue's addresses (docs/appointments.md "Desk queue"): the citizen's numbers at
``/lay-so/`` and the desk's queue and screen at ``/hang-doi/`` (config/urls.py)."""

from django.urls import path

from motcua.appointments import queue_portal, queue_views

app_name = "queue"
urlpatterns = [
    path("lay-so/", queue_portal.take, name="take"),
    path("lay-so/<int:ticket_id>/huy/", queue_portal.cancel, name="cancel"),
    path("hang-doi/", queue_views.desks, name="desks"),
    path("hang-doi/<int:desk_id>/", queue_views.desk_page, name="desk"),
    path("hang-doi/<int:desk_id>/goi/", queue_views.call_next, name="call"),
    path("hang-doi/<int:desk_id>/boc-so/", queue_views.walk_in, name="walk-in"),
    path("hang-doi/<int:desk_id>/so/<int:ticket_id>/", queue_views.act, name="act"),
    path("hang-doi/<int:desk_id>/man-hinh/", queue_views.screen, name="screen"),
    path("hang-doi/<int:desk_id>/man-hinh.json", queue_views.screen_json, name="screen-data"),
]
