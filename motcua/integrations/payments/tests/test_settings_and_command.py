"""PAYMENTS_ENABLED refuses to start half-configured; the secret may come from a file."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

VNPAY_ENV = ("PAYMENTS_ENABLED", "VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_HASH_SECRET_FILE")


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in VNPAY_ENV}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.VNPAY_TMN_CODE, s.VNPAY_HASH_SECRET)",
        ],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_enabled_without_code_or_secret_does_not_start():
    result = _start(PAYMENTS_ENABLED="1", VNPAY_TMN_CODE="TMN1")
    assert result.returncode != 0
    assert "PAYMENTS_ENABLED=1 needs" in result.stderr


def test_the_secret_may_come_from_a_file(tmp_path):
    secret = tmp_path / "vnpay"
    secret.write_text("from-file\n")
    result = _start(PAYMENTS_ENABLED="1", VNPAY_TMN_CODE="TMN1", VNPAY_HASH_SECRET_FILE=str(secret))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "TMN1 from-file"
