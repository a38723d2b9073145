"""The OIDC_* settings fail loudly at start-up when half configured."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def start(**env):
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_ENABLED": "1"}, "needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
        (
            {
                "OIDC_ENABLED": "1",
                "OIDC_ISSUER": "https://i",
                "OIDC_CLIENT_ID": "c",
                "OIDC_CLIENT_SECRET": "s",
                "OIDC_AUTHORIZATION_URL": "https://i/auth",
            },
            "needs OIDC_TOKEN_URL and OIDC_JWKS_URL",
        ),
    ],
)
def test_half_a_configuration_stops_the_start(env, message):
    result = start(**env)
    assert result.returncode != 0 and message in result.stderr


def test_the_client_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "oidc_secret"
    secret.write_text("from-a-file\n")
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.OIDC_CLIENT_SECRET)"],
        env={**os.environ, "OIDC_CLIENT_SECRET_FILE": str(secret)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "from-a-file"
