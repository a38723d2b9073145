"""``manage.py fake_sms_gateway --port 8025``: a local SMS gateway for development.

Point the site at it with ``SMS_ENABLED=1 SMS_GATEWAY_URL=http://127.0.0.1:8025`` and the same
``SMS_API_KEY``/``SMS_SECRET``; every message that arrives is printed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations.notifications.fake_sms import (
    DEV_API_KEY,
    DEV_SECRET,
    FakeSmsGateway,
    ReceivedSms,
)


class Command(BaseCommand):
    help = "Chạy cổng SMS giả lập trên máy (chỉ nghe 127.0.0.1) để phát triển và thử nghiệm."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--api-key", default=settings.SMS_API_KEY or DEV_API_KEY)
        parser.add_argument("--secret", default=settings.SMS_SECRET or DEV_SECRET)

    def handle(self, *args: Any, port: int, api_key: str, secret: str, **options: Any) -> None:
        gateway = FakeSmsGateway(api_key=api_key, secret=secret, port=port, on_message=self.show)
        self.stdout.write(f"Cổng SMS giả lập: {gateway.url}/v1/sms (Ctrl-C để dừng)")
        try:
            gateway.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            gateway.stop()

    def show(self, sms: ReceivedSms) -> None:
        self.stdout.write(f"[{sms.message_id}] {sms.brandname} → {sms.phone}: {sms.message}")
