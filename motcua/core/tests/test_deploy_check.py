"""``manage.py check --deploy`` with production settings (DEBUG=0, HTTPS on): no warning."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_deploy_check_is_clean():
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "motcua.dongthap.gov.vn",
        "CSRF_TRUSTED_ORIGINS": "https://motcua.dongthap.gov.vn",
        "AUDIT_KEY": secrets.token_urlsafe(40),
        "EMAIL_HOST": "smtp.dongthap.gov.vn",
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout
