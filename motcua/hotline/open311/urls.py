"""Open311 GeoReport v2 at /open311/v2/ (docs/rules/api.md); every resource as .json or .xml."""

from django.urls import URLPattern, URLResolver, re_path

from motcua.hotline.open311 import views

# The format is matched loosely so that an unsupported one gets the spec's error answer.
FMT = r"\.(?P<fmt>[^/.]+)$"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, views.services, name="open311-services"),
    re_path(
        r"^services/(?P<service_code>[^/]+)" + FMT,
        views.service_definition,
        name="open311-service",
    ),
    re_path(r"^requests" + FMT, views.service_requests, name="open311-requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)" + FMT, views.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FMT, views.token, name="open311-token"),
]
