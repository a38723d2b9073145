"""The NATIONAL_PORTAL_* settings fail loudly at start-up when half configured or out of range."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COMPLETE = {
    "NATIONAL_PORTAL_ENABLED": "1",
    "NATIONAL_PORTAL_AUTH_URL": "https://lgsp.example.vn/auth",
    "NATIONAL_PORTAL_SYNC_URL": "https://lgsp.example.vn/sync",
    "NATIONAL_PORTAL_SHARE_URL": "https://lgsp.example.vn/share",
    "NATIONAL_PORTAL_USERNAME": "motcua",
    "NATIONAL_PORTAL_PASSWORD": "secret",
    "NATIONAL_PORTAL_UNIT_CODE": "000.00.00.H20",
}


def start(code: str = "import config.settings", **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NATIONAL_PORTAL_")}
    return subprocess.run(  # noqa: S603 (our own interpreter, a fixed snippet)
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_complete_configuration_starts():
    result = start(**COMPLETE)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NATIONAL_PORTAL_ENABLED": "1"}, "needs NATIONAL_PORTAL_AUTH_URL"),
        (
            {**COMPLETE, "NATIONAL_PORTAL_SYNC_URL": ""},
            "NATIONAL_PORTAL_ENABLED=1 needs NATIONAL_PORTAL_SYNC_URL",
        ),
        (
            {**COMPLETE, "NATIONAL_PORTAL_PASSWORD": ""},
            "NATIONAL_PORTAL_ENABLED=1 needs NATIONAL_PORTAL_PASSWORD",
        ),
        (
            {"NATIONAL_PORTAL_SHARE_URL": "ftp://lgsp.example.vn/share"},
            "must be http(s) addresses",
        ),
        ({"NATIONAL_PORTAL_TIMEOUT_SECONDS": "0"}, "TIMEOUT_SECONDS must be at least 1"),
        (
            {"NATIONAL_PORTAL_TIMEOUT_SECONDS": "200"},
            "LEASE_SECONDS must be more than twice NATIONAL_PORTAL_TIMEOUT_SECONDS",
        ),
    ],
)
def test_half_a_configuration_stops_the_start(env, message):
    result = start(**env)
    assert result.returncode != 0 and message in result.stderr


def test_the_password_can_come_from_a_file(tmp_path):
    secret = tmp_path / "national_portal_password"
    secret.write_text("from-a-file\n")
    env = {**COMPLETE, "NATIONAL_PORTAL_PASSWORD": "", "NATIONAL_PORTAL_PASSWORD_FILE": str(secret)}
    result = start("import config.settings as s; print(s.NATIONAL_PORTAL_PASSWORD)", **env)
    assert result.stdout.strip() == "from-a-file", result.stderr
