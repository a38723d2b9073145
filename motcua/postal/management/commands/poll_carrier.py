"""``manage.py poll_carrier``: read the carrier's tracking feed from where the last read
stopped and record each event, once or in a loop (docs/postal.md "Carrier"). The webhook
brings the same events sooner; either way each is kept once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from motcua.core.commands import PeriodicCommand
from motcua.integrations.carrier import CarrierError
from motcua.postal.carrier import client
from motcua.postal.tracking import poll


class Command(PeriodicCommand):
    help = "Đọc hành trình bưu gửi từ bưu điện và cập nhật các đơn."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CARRIER_ENABLED:
            raise CommandError("CARRIER_ENABLED=1 cần bật trước (docs/postal.md)")
        super().handle(*args, **options)

    def run_once(self) -> str:
        try:
            report = poll(client())
        except CarrierError as exc:  # the next turn reads on from the cursor
            return f"error={type(exc).__name__}: {exc}"
        return " ".join(f"{k}={v}" for k, v in report.as_dict().items())
