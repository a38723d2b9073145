"""Registering the postal service from the officers' side:
``path("buu-chinh/", include("motcua.postal.registration_urls"))`` in config/urls.py
(docs/postal.md "Registering from a screen")."""

from django.urls import path

from motcua.postal import registration

app_name = "postal_register"
urlpatterns = [
    path("", registration.find, name="find"),
    path("ho-so/<str:code>/", registration.orders, name="orders"),
    path("ho-so/<str:code>/huy/<int:order_id>/", registration.cancel, name="cancel"),
]
