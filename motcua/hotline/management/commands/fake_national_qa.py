"""``manage.py fake_national_qa --port 8026``: the national portal's Q&A on this machine, for
development.

Point the site at it with ``NATIONAL_QA_ENABLED=1 NATIONAL_QA_URL=http://127.0.0.1:8026``
and the same ``NATIONAL_QA_CLIENT_ID``/``NATIONAL_QA_SECRET`` (by default the fake's
development ones); ``--sample`` asks a few questions to pull, and every answer that arrives
is printed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.hotline.channels.fake_national_qa import (
    DEV_CLIENT_ID,
    DEV_SECRET,
    FakeNationalQa,
    ReceivedAnswer,
)

# (title, content, asker's name, email, phone)
SAMPLE_QUESTIONS = [
    (
        "Cấp lại giấy khai sinh bị mất",
        "Tôi bị mất giấy khai sinh bản chính, xin hỏi cấp lại ở đâu và cần giấy tờ gì?",
        "Nguyễn Văn An",
        "an@example.vn",
        "",
    ),
    (
        "Thời gian cấp phiếu lý lịch tư pháp",
        "Xin cho biết làm phiếu lý lịch tư pháp số 1 mất bao nhiêu ngày và lệ phí bao nhiêu?",
        "Trần Thị Bình",
        "",
        "0912345678",
    ),
    (
        "Đăng ký hộ kinh doanh trực tuyến",
        "Đăng ký hộ kinh doanh qua mạng có cần nộp bản giấy nữa không?",
        "Lê Văn Cường",
        "cuong@example.vn",
        "",
    ),
]


class Command(BaseCommand):
    help = "Chạy mục Hỏi đáp Cổng DVC quốc gia giả lập trên máy (chỉ nghe 127.0.0.1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8026)
        parser.add_argument("--client-id", default=settings.NATIONAL_QA_CLIENT_ID or DEV_CLIENT_ID)
        parser.add_argument("--secret", default=settings.NATIONAL_QA_SECRET or DEV_SECRET)
        parser.add_argument("--sample", action="store_true", help="đặt sẵn vài câu hỏi mẫu")

    def handle(
        self, *args: Any, port: int, client_id: str, secret: str, sample: bool, **options: Any
    ) -> None:
        portal = FakeNationalQa(client_id=client_id, secret=secret, port=port, on_answer=self.show)
        if sample:
            for title, content, name, email, phone in SAMPLE_QUESTIONS:
                portal.add_question(title, content, name=name, email=email, phone=phone)
        self.stdout.write(
            _("Hỏi đáp Cổng DVC quốc gia giả lập: %(url)s (Ctrl-C để dừng)") % {"url": portal.url}
        )
        try:
            portal.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            portal.stop()

    def show(self, answer: ReceivedAnswer) -> None:
        self.stdout.write(
            f"[{answer.answer_ref}] {answer.question_id} ← {answer.answered_by}: {answer.content}"
        )
