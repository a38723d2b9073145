"""``manage.py fake_platform carrier``: the postal carrier's fake, by hand (docs/devtools.md,
docs/postal.md "Carrier"). Every order, step and webhook answer is printed; orders move one
step every ``--step`` seconds; a line typed ``NUMBER``, ``fail NUMBER`` or ``return
NUMBER`` advances one order now, or plans its failed attempt or its return to sender."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.devtools.fakes import carrier
from motcua.devtools.platforms import Platform, serve

WEBHOOK_PATH = "/api/v1/postal/carrier-events"


class Carrier(Platform):
    name, port = "carrier", 8050
    help = "bưu điện (dịch vụ bưu chính công ích): đơn hàng, hành trình, webhook (CARRIER_*)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--customer-code", default=settings.CARRIER_CUSTOMER_CODE or carrier.DEV_CUSTOMER_CODE
        )
        parser.add_argument("--key", default=settings.CARRIER_KEY or carrier.DEV_KEY)
        parser.add_argument("--secret", default=settings.CARRIER_SECRET or carrier.DEV_SECRET)
        parser.add_argument(
            "--webhook-secret",
            default=settings.CARRIER_WEBHOOK_SECRET or carrier.DEV_WEBHOOK_SECRET,
        )
        parser.add_argument(
            "--webhook",
            default=f"{settings.MOTCUA_PUBLIC_URL}{WEBHOOK_PATH}",
            help="địa chỉ webhook của trang (rỗng: chỉ đọc định kỳ)",
        )
        parser.add_argument(
            "--step",
            type=float,
            default=30.0,
            metavar="SECONDS",
            help="mỗi đơn chuyển một bước sau chừng này giây (0: chỉ khi gõ lệnh)",
        )

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        fake = carrier.FakeCarrier(
            customer_code=options["customer_code"],
            key=options["key"],
            secret=options["secret"],
            webhook_url=options["webhook"],
            webhook_secret=options["webhook_secret"],
            step_seconds=options["step"] or None,
            host=options["host"],
            port=options["port"],
            on_event=command.stdout.write,
        )
        line = (
            f"CARRIER_ENABLED=1 CARRIER_BASE_URL={fake.base_url} "
            f"CARRIER_CUSTOMER_CODE={fake.customer_code}"
        )
        if fake.secret == carrier.DEV_SECRET:  # the site's own secrets are never echoed
            line += f" CARRIER_KEY={fake.key} CARRIER_SECRET={fake.secret}"
        if fake.webhook_secret == carrier.DEV_WEBHOOK_SECRET:
            line += f" CARRIER_WEBHOOK_SECRET={fake.webhook_secret}"
        banner = [
            _("Bưu điện giả lập: %(url)s (Ctrl-C để dừng)") % {"url": fake.base_url},
            line,
            _("Webhook: %(url)s") % {"url": fake.webhook_url or "—"},
            _("Gõ: <số đơn> (chuyển bước ngay), fail <số đơn>, return <số đơn>"),
        ]

        def typed() -> None:
            for text in sys.stdin:
                verb, _sp, number = text.strip().rpartition(" ")
                if number not in fake.orders:
                    command.stderr.write(_("Không có đơn %(n)s") % {"n": number})
                elif verb in ("fail", "return"):
                    fake.plan(number, "failed_attempt" if verb == "fail" else "returned")
                elif fake.advance(number) is None:
                    command.stdout.write(_("Đơn %(n)s đã xong") % {"n": number})

        serve(command, fake, banner, beside=typed)
