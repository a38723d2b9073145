"""The operators' and agencies' screens for the 1022 queue, under ``/tong-dai/``."""

from django.urls import URLPattern, URLResolver, path

from motcua.hotline.console.views import call, files, queue, ticket

app_name = "hotline_console"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", queue.queue, name="queue"),
    path("goi-dien/", call.call, name="call"),
    path("goi-dien/nguoi-goi/", call.caller_panel, name="caller"),
    path("goi-dien/goi-y/", call.suggestions_panel, name="suggestions"),
    path("<str:code>/", ticket.detail, name="ticket"),
    path("<str:code>/tri-thuc/", ticket.knowledge, name="knowledge"),
    path("<str:code>/tep/<int:attachment_id>/", files.attachment, name="attachment"),
    path("<str:code>/thao-tac/<slug:action>/", ticket.act, name="action"),
]
