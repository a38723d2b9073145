"""The platforms' webhooks: ``path("kenh/", include("motcua.hotline.channels.urls"))``, one
per channel with a webhook in the registry (``registry.py``)."""

from django.urls import URLPattern, URLResolver, path

from motcua.hotline.channels.registry import with_webhooks
from motcua.hotline.channels.webhooks import view_for

app_name = "hotline-channels"
urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{c.webhook.path}/webhook/", view_for(c.code), name=f"{c.webhook.path}-webhook")
    for c in with_webhooks()
    if c.webhook is not None
]
