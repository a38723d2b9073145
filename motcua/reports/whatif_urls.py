from django.urls import URLPattern, URLResolver, path

from motcua.reports import whatif_views

app_name = "whatif"

urlpatterns: list[URLPattern | URLResolver] = [
    path("phuong-an/<int:proposal_id>/", whatif_views.start, name="start"),
    path("<int:run_id>/", whatif_views.run_page, name="run"),
]
