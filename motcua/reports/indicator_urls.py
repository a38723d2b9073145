"""The leaders' Decision 766 dashboard, under ``/bao-cao/chi-so/`` (docs/indicators.md)."""

from django.urls import URLPattern, URLResolver, path

from motcua.reports import indicator_views

app_name = "indicators"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", indicator_views.dashboard, name="dashboard"),
    path("tre-han/", indicator_views.late, name="late"),
]
