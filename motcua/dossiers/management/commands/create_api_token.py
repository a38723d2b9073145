"""``manage.py create_api_token USERNAME``: print a new bearer token for an officer (an
account with an active role at an agency); citizens get none."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.tokens import NotAnOfficerError, create_token


class Command(BaseCommand):
    help = "Tạo mã truy cập API (Bearer) cho một tài khoản cán bộ; mã chỉ hiện một lần."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Tên gợi nhớ, ví dụ hệ thống bưu điện.")
        parser.add_argument(
            "--days", type=int, default=None, help="Số ngày có hiệu lực (mặc định API_TOKEN_DAYS)."
        )

    def handle(
        self, *args: Any, username: str, name: str, days: int | None, **options: Any
    ) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động tên {username}.")
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("Số ngày có hiệu lực phải từ 1 đến 3650.")
        try:
            self.stdout.write(create_token(user, name=name, days=days))
        except NotAnOfficerError:
            raise CommandError(
                f"{username} không giữ vai trò nào tại cơ quan nào: chỉ cấp mã truy cập cho cán bộ."
            ) from None
