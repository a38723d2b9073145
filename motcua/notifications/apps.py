from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Thông báo cho người nộp hồ sơ")

    def ready(self) -> None:
        from motcua.notifications import checks  # noqa: F401 (registers them)
