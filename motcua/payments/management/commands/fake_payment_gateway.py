"""``manage.py fake_payment_gateway --port 8030``: a local VNPAY gateway for development.

Point the site at it with ``PAYMENTS_ENABLED=1``,
``VNPAY_PAYMENT_URL=http://127.0.0.1:8030/paymentv2/vpcpay.html`` and the same
``VNPAY_TMN_CODE``/``VNPAY_HASH_SECRET`` (the command's defaults when they are unset:
``MOTCUA01`` / ``dev-vnpay-hash-secret``). It calls the site's IPN at
``{MOTCUA_PUBLIC_URL}/thanh-toan/vnpay/ipn/`` unless ``--ipn-url`` says otherwise, and
prints every payment and IPN answer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations.payments.fake_gateway import (
    DEV_HASH_SECRET,
    DEV_TMN_CODE,
    FakeVnpayGateway,
)

IPN_PATH = "/thanh-toan/vnpay/ipn/"


class Command(BaseCommand):
    help = "Chạy cổng thanh toán VNPAY giả lập trên máy (chỉ nghe 127.0.0.1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8030)
        parser.add_argument("--tmn-code", default=settings.VNPAY_TMN_CODE or DEV_TMN_CODE)
        parser.add_argument("--hash-secret", default=settings.VNPAY_HASH_SECRET or DEV_HASH_SECRET)
        parser.add_argument("--ipn-url", default=f"{settings.MOTCUA_PUBLIC_URL}{IPN_PATH}")
        parser.add_argument(
            "--ipn",
            choices=["before", "after", "never"],
            default="before",
            help="gọi IPN trước hay sau khi chuyển trình duyệt về, hoặc không gọi",
        )
        parser.add_argument("--ipn-times", type=int, default=1, help="số lần gọi IPN")
        parser.add_argument(
            "--tamper-amount", type=int, default=0, help="cộng thêm vào số tiền trả về (đồng)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        gateway = FakeVnpayGateway(
            tmn_code=options["tmn_code"],
            hash_secret=options["hash_secret"],
            ipn_url=options["ipn_url"],
            port=options["port"],
            ipn=options["ipn"],
            ipn_times=options["ipn_times"],
            tamper_amount_vnd=options["tamper_amount"],
            on_event=self.stdout.write,
        )
        self.stdout.write(f"Cổng thanh toán giả lập: {gateway.payment_url} (Ctrl-C để dừng)")
        self.stdout.write(f"IPN: {gateway.ipn_url}")
        try:
            gateway.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            gateway.stop()
