"""``manage.py fake_zalo_api --port 8031``: Zalo's OA API on this machine, for development.

Point the site at it with ``ZALO_ENABLED=1 ZALO_API_URL=http://127.0.0.1:8031`` and the same
credentials: the site's ``ZALO_*`` when set, else the fake's development ones (printed).
Every reply the site sends is printed. With ``--webhook`` (the site's ``/kenh/zalo/webhook/``)
each line typed, ``<user id>: <text>`` or just ``<text>``, goes to the site as a signed
message from that person; a person must have written before the fake takes a reply to them,
as on Zalo, so ``--meet ID`` introduces people who wrote before the fake started.

``run_fake`` is shared with ``fake_messenger_api``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.utils.translation import gettext as _

from motcua.hotline.channels.fakes import FakeZaloApi
from motcua.hotline.channels.fakes.server import LoopbackApi
from motcua.hotline.channels.fakes.zalo import DEV_ACCESS_TOKEN, DEV_APP_ID, DEV_OA_SECRET_KEY

Deliver = Callable[[str, str, str], tuple[int, str]]


class Command(BaseCommand):
    help = "Chạy Zalo OA API giả lập trên máy (chỉ nghe 127.0.0.1) để phát triển và thử nghiệm."
    stealth_options = ("stdin",)  # typed lines, for call_command

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8031)
        parser.add_argument("--app-id", default=settings.ZALO_APP_ID or DEV_APP_ID)
        parser.add_argument("--secret", default=settings.ZALO_OA_SECRET_KEY or DEV_OA_SECRET_KEY)
        parser.add_argument("--token", default=settings.ZALO_ACCESS_TOKEN or DEV_ACCESS_TOKEN)
        parser.add_argument("--webhook", default="", help="địa chỉ webhook Zalo của trang")
        parser.add_argument("--meet", action="append", default=[], metavar="USER_ID")

    def handle(
        self,
        *args: Any,
        port: int,
        app_id: str,
        secret: str,
        token: str,
        webhook: str,
        meet: list[str],
        **options: Any,
    ) -> None:
        api = FakeZaloApi(app_id=app_id, oa_secret_key=secret, access_token=token, port=port)
        api.meet(*meet)
        if (secret, token) == (DEV_OA_SECRET_KEY, DEV_ACCESS_TOKEN):
            credentials = (
                f"ZALO_APP_ID={app_id} ZALO_OA_SECRET_KEY={secret} ZALO_ACCESS_TOKEN={token}"
            )
        else:  # the site's own secrets: never echoed
            credentials = _("ZALO_APP_ID, ZALO_OA_SECRET_KEY, ZALO_ACCESS_TOKEN như của trang")
        banner = [
            _("Zalo OA API giả lập: %(url)s (Ctrl-C để dừng)") % {"url": api.url},
            f"ZALO_ENABLED=1 ZALO_API_URL={api.url} {credentials}",
        ]
        run_fake(
            self,
            api,
            banner=banner,
            webhook=webhook,
            deliver=api.deliver_user_text,
            default_user="zalo-dev-user",
            lines=options.get("stdin") or sys.stdin,
        )


def run_fake(
    command: BaseCommand,
    api: LoopbackApi,
    *,
    banner: list[str],
    webhook: str,
    deliver: Deliver,
    default_user: str,
    lines: Iterable[str],
) -> None:
    """Serve ``api`` until Ctrl-C, printing every message it takes; with a webhook, send
    each typed line to it as a person's message."""
    api.start()
    for line in banner:
        command.stdout.write(line)
    stop = threading.Event()
    printer = threading.Thread(target=_print_sent, args=(api, command.stdout, stop), daemon=True)
    printer.start()
    try:
        if webhook:
            command.stdout.write(
                _("Gõ «mã người dùng: nội dung» rồi Enter để gửi tin đến %(url)s")
                % {"url": webhook}
            )
            for line in lines:
                _send_line(command, line, webhook=webhook, deliver=deliver, default=default_user)
        while not stop.wait(1):  # stdin closed or unused: serve until Ctrl-C
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        printer.join(timeout=2)
        api.stop()


def _send_line(
    command: BaseCommand, line: str, *, webhook: str, deliver: Deliver, default: str
) -> None:
    user, colon, text = line.strip().partition(": ")
    if not colon or not user or " " in user:
        user, text = default, line.strip()
    if not text:
        return
    try:
        status, message_id = deliver(webhook, user, text)
    except (OSError, ValueError) as exc:  # the site is down, or the address is not http(s)
        command.stderr.write(_("Không gửi được đến webhook: %(error)s") % {"error": exc})
        return
    command.stdout.write(f"→ [{message_id}] {user}: HTTP {status}")


def _print_sent(api: LoopbackApi, out: OutputWrapper, stop: threading.Event) -> None:
    shown = 0
    while True:
        stopping = stop.wait(0.2)
        sent = api.messages
        for message in sent[shown:]:
            out.write(f"[{message.message_id}] ← {message.recipient}: {message.text}")
        shown = len(sent)
        if stopping:
            return
