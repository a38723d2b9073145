"""``manage.py fake_oidc_provider --port 8040``: a local OpenID Connect provider for
development, that signs in as a fixed test person (``fake_provider.DEV_PERSON``) at once.

Run the site with the settings it prints to see the "Đăng nhập bằng VNeID" button work end
to end. Loopback only; never point a real deployment at it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.integrations.identity.fake_provider import (
    DEV_CLIENT_ID,
    DEV_CLIENT_SECRET,
    FakeOidcProvider,
)


class Command(BaseCommand):
    help = "Chạy nhà cung cấp định danh OpenID Connect giả lập (chỉ để phát triển, thử nghiệm)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8040)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        provider = FakeOidcProvider(
            client_id=DEV_CLIENT_ID, client_secret=DEV_CLIENT_SECRET, host=host, port=port
        )
        self.stdout.write(f"Nhà cung cấp định danh giả lập: {provider.issuer}")
        self.stdout.write("Chạy trang web với:")
        self.stdout.write(
            f"  OIDC_ENABLED=1 OIDC_ISSUER={provider.issuer} "
            f"OIDC_CLIENT_ID={DEV_CLIENT_ID} OIDC_CLIENT_SECRET={DEV_CLIENT_SECRET}"
        )
        try:
            provider.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            provider.stop()
