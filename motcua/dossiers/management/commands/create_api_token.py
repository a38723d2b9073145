"""``manage.py create_api_token USERNAME``: print a new bearer token for a staff user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.tokens import create_token


class Command(BaseCommand):
    help = "Tạo mã truy cập API (Bearer) cho một tài khoản cán bộ; mã chỉ hiện một lần."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Tên gợi nhớ, ví dụ hệ thống bưu điện.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động tên {username}.")
        self.stdout.write(create_token(user, name=name))
