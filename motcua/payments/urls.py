"""Online payment: ``path("thanh-toan/", include("motcua.payments.urls"))``."""

from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("vnpay/ipn/", views.ipn, name="ipn"),
    path("vnpay/ket-qua/", views.return_page, name="return"),
    path("<str:code>/bat-dau/", views.start, name="start"),
]
