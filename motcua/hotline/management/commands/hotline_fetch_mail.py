"""``manage.py hotline_fetch_mail``: bring new mail from the hotline's IMAP mailbox
(HOTLINE_IMAP_*) into the 1022 queue, once (``--once``, for cron) or every ``--interval``
seconds until interrupted.

Messages are marked read only after their ticket is stored, so two pollers or a crash can at
worst read a message twice, and its Message-ID keeps one copy.
"""

from __future__ import annotations

import imaplib
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from motcua.hotline.channels.email import mailbox


class Command(BaseCommand):
    help = "Lấy thư mới từ hộp thư IMAP của tổng đài 1022 vào hàng đợi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="lấy một lần rồi dừng")
        parser.add_argument(
            "--interval", type=int, default=60, help="số giây giữa hai lần lấy (mặc định 60)"
        )
        parser.add_argument(
            "--limit", type=int, default=mailbox.POLL_BATCH, help="số thư tối đa mỗi lần lấy"
        )

    def handle(self, *args: Any, once: bool, interval: int, limit: int, **options: Any) -> None:
        if not settings.HOTLINE_EMAIL_ENABLED:
            raise CommandError(
                _("Kênh thư điện tử của tổng đài đang tắt: đặt HOTLINE_EMAIL_ENABLED=1.")
            )
        if not settings.HOTLINE_IMAP_HOST:
            raise CommandError(
                _(
                    "Chưa cấu hình hộp thư: đặt HOTLINE_IMAP_HOST, HOTLINE_IMAP_USER và "
                    "HOTLINE_IMAP_PASSWORD."
                )
            )
        if interval < 1 or limit < 1:
            raise CommandError(_("--interval và --limit phải từ 1 trở lên."))
        try:
            while True:
                try:
                    self.stdout.write(str(self.poll_once(limit)))
                except (imaplib.IMAP4.error, OSError, DatabaseError) as exc:
                    message = _("Không lấy được thư: %(error)s") % {"error": exc}
                    if once:
                        raise CommandError(message) from exc
                    self.stderr.write(message)  # the server may be back next time
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            pass

    def poll_once(self, limit: int) -> mailbox.PollReport:
        client = mailbox.connect()
        try:
            return mailbox.poll(client, limit=limit)
        finally:
            mailbox.logout(client)
