from django.urls import URLPattern, URLResolver, path

from motcua.reform import views

app_name = "reform"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.session_list, name="sessions"),
    path("moi/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/bao-cao/", views.session_report, name="report"),
    path("<int:pk>/bao-cao.xlsx", views.session_report_xlsx, name="report-xlsx"),
]
