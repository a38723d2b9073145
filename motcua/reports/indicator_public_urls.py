"""The public Decision 766 pages and open data, under ``/chi-so/`` (docs/indicators.md)."""

from django.urls import URLPattern, URLResolver, path

from motcua.reports import indicator_public_views as views

app_name = "public_indicators"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.province_page, name="province"),
    path("don-vi/<int:unit_id>/", views.unit_page, name="unit"),
    path("du-lieu.json", views.open_data_json, name="json"),
    path("du-lieu.csv", views.open_data_csv, name="csv"),
]
