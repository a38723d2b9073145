from django.urls import URLPattern, URLResolver, path

from motcua.reports import time_views

app_name = "time_reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", time_views.time_page, name="page"),
    path("xlsx", time_views.time_xlsx, name="xlsx"),
    path("thu-tuc/<str:procedure_id>/", time_views.procedure_page, name="procedure"),
    path("thu-tuc/<str:procedure_id>/xlsx", time_views.procedure_xlsx, name="procedure-xlsx"),
]
