"""The platforms' webhooks: ``path("kenh/", include("motcua.hotline.channels.urls"))``."""

from django.urls import URLPattern, URLResolver, path

from motcua.hotline.channels import webhooks

app_name = "hotline-channels"
urlpatterns: list[URLPattern | URLResolver] = [
    path("zalo/webhook/", webhooks.zalo_webhook, name="zalo-webhook"),
    path("facebook/webhook/", webhooks.facebook_webhook, name="facebook-webhook"),
]
