"""``manage.py hotline_drain_replies``: deliver the hotline replies that are due (retries,
replies whose task was lost, rows of a worker that died)."""

from __future__ import annotations

from motcua.core.commands import PeriodicCommand
from motcua.hotline.replies import drain


class Command(PeriodicCommand):
    help = "Gửi các câu trả lời phản ánh đến hạn gửi (gửi lại, gửi bị gián đoạn)."

    def run_once(self) -> str:
        counts = drain()
        return (
            f"Đã gửi {counts['sent']}, chờ gửi lại {counts['retrying']}, "
            f"lỗi {counts['failed']}, bỏ dở {counts['abandoned']}."
        )
