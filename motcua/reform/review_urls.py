"""Addresses of the simplification reviews, included under /ra-soat/ (docs/reform.md)."""

from django.urls import URLPattern, URLResolver, path

from motcua.reform import review_edit_views as edit_views
from motcua.reform import review_views as views

app_name = "review"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.cycle_list, name="cycles"),
    path("moi/", views.cycle_create, name="create"),
    path("<int:pk>/", views.cycle_detail, name="cycle"),
    path("<int:pk>/bao-cao/", views.cycle_report, name="report"),
    path("<int:pk>/bao-cao.pdf", views.cycle_report_pdf, name="report-pdf"),
    path("<int:pk>/bao-cao.xlsx", views.cycle_report_xlsx, name="report-xlsx"),
    path("phuong-an/<int:pk>/", views.proposal_detail, name="proposal"),
    path("phuong-an/<int:pk>/sua/", edit_views.proposal_edit, name="edit"),
    path("phuong-an/<int:pk>/xem-truoc/", edit_views.proposal_preview, name="preview"),
    path("phuong-an/<int:pk>/thao-tac/<str:op>/", views.proposal_action, name="action"),
]
