from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        from motcua.dossiers.reference import watch_reference

        # Reception caches these per process (reference.py); a change must reach every process.
        watch_reference()
