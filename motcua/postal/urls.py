"""The post office's pages and the hand-overs (docs/postal.md), under /buu-dien/:

- ``/buu-dien/`` the pickup orders to work; ``/buu-dien/don/<id>/`` one order's check;
  ``/buu-dien/don/<id>/phieu/<check>/`` the signed slip of a check;
- ``/buu-dien/ban-giao/`` the hand-overs, ``lap/`` (POST) a new one, ``<id>/`` one record,
  ``<id>/nhan/`` (POST) the desk's receipt, ``<id>/in/`` for print, ``<id>.pdf`` the PDF.
"""

from django.urls import path

from motcua.postal import views

app_name = "postal"

urlpatterns = [
    path("", views.orders_page, name="orders"),
    path("don/<int:pk>/", views.order_page, name="order"),
    path("don/<int:pk>/phieu/<int:check>/", views.slip_file, name="slip"),
    path("ban-giao/", views.handovers_page, name="handovers"),
    path("ban-giao/lap/", views.handover_create, name="handover-create"),
    path("ban-giao/<int:pk>/", views.handover_page, name="handover"),
    path("ban-giao/<int:pk>/nhan/", views.handover_receive, name="handover-receive"),
    path("ban-giao/<int:pk>/in/", views.handover_print, name="handover-print"),
    path("ban-giao/<int:pk>.pdf", views.handover_pdf_view, name="handover-pdf"),
]
