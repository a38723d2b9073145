"""``manage.py hotline_sync_national_qa``: bring the national portal's new questions into the
1022 queue, once (``--once``, for cron) or every ``--interval`` seconds until interrupted.

Several may run at once: a question is stored once whoever pulls it. Answers go back through
the reply outbox, not through this command.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.hotline.channels.national_qa import NationalQaError, sync_questions


class Command(BaseCommand):
    help = "Lấy câu hỏi mới từ mục Hỏi đáp của Cổng Dịch vụ công quốc gia vào hàng đợi 1022."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="lấy một lần rồi dừng")
        parser.add_argument(
            "--interval", type=int, default=300, help="số giây giữa hai lần lấy (mặc định 300)"
        )

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        if not settings.NATIONAL_QA_ENABLED:
            raise CommandError(
                _(
                    "Kết nối Hỏi đáp Cổng DVC quốc gia đang tắt: đặt NATIONAL_QA_ENABLED=1 cùng "
                    "NATIONAL_QA_URL, NATIONAL_QA_CLIENT_ID và NATIONAL_QA_SECRET."
                )
            )
        if interval < 1:
            raise CommandError(_("--interval phải từ 1 giây trở lên."))
        try:
            while True:
                try:
                    report = sync_questions()
                except NationalQaError as exc:
                    if once:
                        raise CommandError(str(exc)) from exc
                    self.stderr.write(str(exc))  # the portal may be back next time
                else:
                    self.stdout.write(str(report))
                    for line in report.rejected:
                        self.stderr.write(_("Bỏ qua câu hỏi %(line)s") % {"line": line})
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            pass
