"""``manage.py verify_audit``: recompute every event chain (dossiers, hotline tickets…);
name what was changed or removed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.core.chain import chained_models, record_model, verify_model


class Command(BaseCommand):
    help = "Kiểm tra chuỗi nhật ký của mọi hồ sơ, phản ánh; nêu sự kiện bị sửa hoặc bị xóa."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = 0
        for event_model in chained_models():
            for problem in verify_model(event_model):
                problems += 1
                self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{problems} vấn đề trong nhật ký.")
        counts = []
        for event_model in chained_models():
            records = record_model(event_model)
            counts.append(f"{records._default_manager.count()} {records._meta.verbose_name}")
        self.stdout.write(f"Nhật ký nguyên vẹn: {', '.join(counts)}.")
