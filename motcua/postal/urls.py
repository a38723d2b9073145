"""The postal service's officer pages: ``path("buu-chinh/", include("motcua.postal.urls"))``
in config/urls.py (docs/postal.md "Registering")."""

from django.urls import path

from motcua.postal import registration

app_name = "postal"
urlpatterns = [
    path("", registration.find, name="find"),
    path("ho-so/<str:code>/", registration.orders, name="orders"),
    path("ho-so/<str:code>/huy/<int:order_id>/", registration.cancel, name="cancel"),
]
