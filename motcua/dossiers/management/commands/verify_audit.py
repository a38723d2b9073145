"""``manage.py verify_audit``: recompute every dossier's event chain; name what was changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.audit import verify_all
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Kiểm tra chuỗi nhật ký của mọi hồ sơ; nêu sự kiện bị sửa hoặc bị xóa."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = 0
        for problem in verify_all():
            problems += 1
            self.stderr.write(str(problem))
        total = Dossier.objects.count()
        if problems:
            raise CommandError(f"{problems} vấn đề trong nhật ký của {total} hồ sơ.")
        self.stdout.write(f"Nhật ký của {total} hồ sơ nguyên vẹn.")
