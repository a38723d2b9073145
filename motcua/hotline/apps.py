from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua.hotline"
    verbose_name = _("Tổng đài 1022")
