from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua.reform"
    verbose_name = _("Cải cách hành chính")
