from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Danh mục thủ tục hành chính")

    def ready(self) -> None:
        from motcua.catalog.models import ProcedureVersion
        from motcua.core.reference import watch

        # Reception caches each procedure's next pending version (catalog/versions.py).
        watch(ProcedureVersion)
