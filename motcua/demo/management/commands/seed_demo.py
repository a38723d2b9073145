"""``manage.py seed_demo``: a working demo province (Đồng Tháp); safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.demo.history import seed_history
from motcua.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Tạo tỉnh mẫu Đồng Tháp: đơn vị hành chính, cơ quan, bộ phận một cửa, thủ tục, tài khoản."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Cho phép chạy khi DEBUG tắt (tạo tài khoản mẫu với mật khẩu công khai).",
        )

        parser.add_argument(
            "--no-samples",
            action="store_true",
            help="Không tạo phản ánh, hỏi đáp và buổi đối thoại mẫu của Tổng đài 1022.",
        )
        parser.add_argument(
            "--history-days",
            type=int,
            default=0,
            help="Mô phỏng hồ sơ và phản ánh của chừng ấy ngày trước hôm nay, qua các thao tác "
            "thật (chỉ lần đầu; mặc định 0: không mô phỏng).",
        )

    def handle(
        self,
        *args: Any,
        allow_production: bool,
        no_samples: bool,
        history_days: int,
        **options: Any,
    ) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo tạo tài khoản với mật khẩu công khai; không chạy trên hệ thống thật "
                "(dùng --allow-production nếu đây là máy trình diễn)."
            )
        result = seed_demo(samples=not no_samples)
        catalogue = result.catalogue
        self.stdout.write(
            f"Tỉnh mẫu: {result.units_created} đơn vị hành chính, {result.agencies_created} cơ "
            f"quan, {result.desks_created} bộ phận một cửa, "
            f"{result.overrides_created} ngày làm bù mới."
        )
        if catalogue:
            self.stdout.write(
                f"Thủ tục: đọc {catalogue.read}, thêm {catalogue.created}, cập nhật "
                f"{catalogue.updated}, không đổi {catalogue.unchanged}, bỏ qua "
                f"{len(catalogue.skipped)}."
            )
        self.stdout.write(
            f"Tổng đài 1022: {result.hotline_categories} loại phản ánh, "
            f"{result.hotline_tickets} phản ánh mẫu."
        )
        if result.review_proposals:
            self.stdout.write(
                f"Rà soát thủ tục hành chính năm 2021: {result.review_proposals} thủ tục."
            )
        self.stdout.write(
            f"Tài khoản mẫu: {result.users_created} cán bộ, {result.citizens_created} công dân "
            "mới. Cán bộ đăng nhập tại /dang-nhap/ (quản trị hệ thống: /admin/), công dân đăng "
            "nhập bằng số điện thoại tại /tai-khoan/dang-nhap/:"
        )
        width = max(len(login.login) for login in result.logins)
        for login in result.logins:
            self.stdout.write(
                f"  {login.login:<{width}}  {login.password}  {login.role} · {login.place}"
            )
        if history_days > 0:
            self._history(history_days)

    def _history(self, days: int) -> None:
        self.stdout.write(f"Lịch sử mẫu: mô phỏng {days} ngày qua các thao tác thật…")
        run = seed_history(days)
        if run is None:
            self.stdout.write("Lịch sử mẫu: đã có từ lần chạy trước.")
        else:
            self.stdout.write(
                f"Lịch sử mẫu: {run.dossiers} hồ sơ, {run.tickets} phản ánh, "
                f"{run.changes} thay đổi."
            )
