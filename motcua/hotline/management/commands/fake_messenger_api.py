"""``manage.py fake_messenger_api --port 8032``: Messenger's Send API on this machine, for
development.

Point the site at it with ``FACEBOOK_ENABLED=1 FACEBOOK_GRAPH_URL=http://127.0.0.1:8032`` and
the same credentials: the site's ``FACEBOOK_*`` when set, else the fake's development ones
(printed). Every reply the site sends is printed. With ``--webhook`` (the site's
``/kenh/facebook/webhook/``) it first makes Meta's subscription request, then each line
typed, ``<PSID>: <text>`` or just ``<text>``, goes to the site as a signed message from that
person; ``--meet PSID`` introduces people who wrote before the fake started.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.hotline.channels.fakes import FakeMessengerApi
from motcua.hotline.channels.fakes.facebook import (
    DEV_APP_SECRET,
    DEV_PAGE_ACCESS_TOKEN,
    DEV_VERIFY_TOKEN,
)
from motcua.hotline.management.commands.fake_zalo_api import run_fake


class Command(BaseCommand):
    help = "Chạy Messenger Send API giả lập trên máy (chỉ nghe 127.0.0.1) để phát triển."
    stealth_options = ("stdin",)  # typed lines, for call_command

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8032)
        parser.add_argument("--app-secret", default=settings.FACEBOOK_APP_SECRET or DEV_APP_SECRET)
        parser.add_argument(
            "--page-token", default=settings.FACEBOOK_PAGE_ACCESS_TOKEN or DEV_PAGE_ACCESS_TOKEN
        )
        parser.add_argument(
            "--verify-token", default=settings.FACEBOOK_VERIFY_TOKEN or DEV_VERIFY_TOKEN
        )
        parser.add_argument("--webhook", default="", help="địa chỉ webhook Messenger của trang")
        parser.add_argument("--meet", action="append", default=[], metavar="PSID")

    def handle(
        self,
        *args: Any,
        port: int,
        app_secret: str,
        page_token: str,
        verify_token: str,
        webhook: str,
        meet: list[str],
        **options: Any,
    ) -> None:
        api = FakeMessengerApi(
            app_secret=app_secret,
            page_access_token=page_token,
            verify_token=verify_token,
            port=port,
        )
        api.meet(*meet)
        if (app_secret, page_token, verify_token) == (
            DEV_APP_SECRET,
            DEV_PAGE_ACCESS_TOKEN,
            DEV_VERIFY_TOKEN,
        ):
            credentials = (
                f"FACEBOOK_APP_SECRET={app_secret} FACEBOOK_PAGE_ACCESS_TOKEN={page_token} "
                f"FACEBOOK_VERIFY_TOKEN={verify_token}"
            )
        else:  # the site's own secrets: never echoed
            credentials = _("các khoá FACEBOOK_* như của trang")
        banner = [
            _("Messenger Send API giả lập: %(url)s (Ctrl-C để dừng)") % {"url": api.url},
            f"FACEBOOK_ENABLED=1 FACEBOOK_GRAPH_URL={api.url} {credentials}",
        ]
        if webhook:
            try:
                subscribed = api.subscribe(webhook)
            except (OSError, ValueError):
                subscribed = False
            banner.append(
                _("Đăng ký webhook: được chấp nhận")
                if subscribed
                else _("Đăng ký webhook: bị từ chối hoặc không kết nối được")
            )
        run_fake(
            self,
            api,
            banner=banner,
            webhook=webhook,
            deliver=api.deliver_user_text,
            default_user="1000000000000001",
            lines=options.get("stdin") or sys.stdin,
        )
