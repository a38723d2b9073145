"""``manage.py drain_carrier``: send every carrier command that is due (creates, cancels, and
the delivery orders whose result became ready since the last run), once or in a loop
(docs/postal.md "Carrier"). Several may run at once: every command is claimed first."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from motcua.core.commands import PeriodicCommand
from motcua.postal.carrier import drain


class Command(PeriodicCommand):
    help = (
        "Gửi các lệnh đến hạn cho bưu điện (tạo đơn, hủy đơn, đơn chuyển trả kết quả đã sẵn sàng)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CARRIER_ENABLED:
            raise CommandError("CARRIER_ENABLED=1 cần bật trước (docs/postal.md)")
        super().handle(*args, **options)

    def run_once(self) -> str:
        return " ".join(f"{k}={v}" for k, v in drain().items())
