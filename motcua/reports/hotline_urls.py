from django.urls import URLPattern, URLResolver, path

from motcua.reports import hotline_views

app_name = "hotline_reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", hotline_views.stats_page, name="stats"),
    path("xlsx", hotline_views.stats_xlsx_export, name="xlsx"),
]
