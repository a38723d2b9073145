"""``manage.py fake_platform NAME [--host H] [--port P] …``: one external platform's fake on
this machine, for development (docs/devtools.md). ``manage.py fake_platform NAME --help``
lists a platform's options; the banner it prints says how to point the site at it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.devtools.carrier_platform import Carrier
from motcua.devtools.loopback import LOOPBACK
from motcua.devtools.platforms import PLATFORMS as OTHERS
from motcua.devtools.signing.platform import Tsa

PLATFORMS = {**OTHERS, Carrier.name: Carrier(), Tsa.name: Tsa()}


class Command(BaseCommand):
    help = (
        "Chạy một nền tảng bên ngoài giả lập trên máy (chỉ nghe 127.0.0.1) để phát triển: "
        + ", ".join(PLATFORMS)
        + "."
    )
    # The fake needs nothing of the site: no database, no system checks.
    requires_system_checks: list[str] = []
    stealth_options = ("stdin",)  # lines typed to a chat platform, for call_command

    def add_arguments(self, parser: CommandParser) -> None:
        names = parser.add_subparsers(
            dest="platform", required=True, metavar="NAME", title="NAME (nền tảng)"
        )
        for platform in PLATFORMS.values():
            sub = names.add_parser(platform.name, help=platform.help, description=platform.help)
            sub.add_argument("--host", default="127.0.0.1", choices=LOOPBACK)
            sub.add_argument("--port", type=int, default=platform.port)
            platform.add_arguments(sub)

    def handle(self, *args: Any, platform: str, **options: Any) -> None:
        PLATFORMS[platform].run(self, options)
