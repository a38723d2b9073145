"""``manage.py fake_platform`` names every platform, and the app is there only when asked for:
with DEBUG, with MOTCUA_DEVTOOLS=1 (the test run), never in production."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from motcua.devtools.management.commands.fake_platform import Command

NAMES = [
    "zalo",
    "messenger",
    "national-qa",
    "national-portal",
    "sms",
    "payment",
    "oidc",
    "carrier",
]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "motcua.example.vn",
    "AUDIT_KEY": "k" * 64,
}


def installed(**env: str) -> str:
    """Whether the app is installed in a fresh process with ``env``: "True" or "False"."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "MOTCUA_DEVTOOLS")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.apps import apps; "
            "print(apps.is_installed('motcua.devtools'))",
        ],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_help_names_every_platform():
    help_text = Command().create_parser("manage.py", "fake_platform").format_help()
    assert all(name in help_text for name in NAMES)


def test_a_name_it_does_not_know_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("fake_platform", "paypal")


def test_the_test_run_installs_it():
    assert apps.is_installed("motcua.devtools")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True"),  # DEBUG is on by default: a developer's machine
        ({"MOTCUA_DEVTOOLS": "0"}, "False"),
        (PRODUCTION, "False"),
        ({**PRODUCTION, "MOTCUA_DEVTOOLS": "1"}, "True"),
    ],
)
def test_the_app_is_installed_with_debug_or_when_asked(env, expected):
    assert installed(**env) == expected
