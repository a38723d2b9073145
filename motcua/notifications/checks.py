"""``manage.py check --deploy``: a production site must not print its mail to the console.

Django's console backend writes every message, rendered, to the process's output: in
development that is the developer's mailbox (how they read a sign-up code), in production it
is the server log, where citizens' codes and personal data do not belong
(docs/decisions/outbox.md "Secrets").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.utils.translation import gettext as _

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def mail_is_not_printed_in_production(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or not settings.NOTIFY_EMAIL_ENABLED:
        return []
    if settings.EMAIL_BACKEND != CONSOLE_BACKEND:
        return []
    return [
        CheckWarning(
            _(
                "Thư điện tử (kể cả mã xác minh) đang được in ra nhật ký của tiến trình vì chưa "
                "đặt EMAIL_HOST."
            ),
            hint=_("Đặt EMAIL_HOST (máy chủ SMTP), hoặc NOTIFY_EMAIL_ENABLED=0."),
            id="notifications.W001",
        )
    ]
