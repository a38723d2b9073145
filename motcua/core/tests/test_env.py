"""Typed environment readers fail loudly; settings refuse to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.core.env import ConfigurationError, env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]


def test_bool_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("Yes", True), ("off", False), ("0", False)]:
        monkeypatch.setenv("MOTCUA_FLAG", raw)
        assert env_bool("MOTCUA_FLAG") is expected


def test_bool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("MOTCUA_FLAG", "flase")
    with pytest.raises(ConfigurationError, match="MOTCUA_FLAG"):
        env_bool("MOTCUA_FLAG")


def test_int_refuses_text(monkeypatch):
    monkeypatch.setenv("MOTCUA_N", "ten")
    with pytest.raises(ConfigurationError):
        env_int("MOTCUA_N", 1)


def test_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("MOTCUA_HOSTS", " a.gov.vn, b.gov.vn ,")
    assert env_list("MOTCUA_HOSTS") == ["a.gov.vn", "b.gov.vn"]


def test_secret_from_a_file_wins(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-file\n")
    monkeypatch.setenv("MOTCUA_SECRET", "from-env")
    monkeypatch.setenv("MOTCUA_SECRET_FILE", str(secret))
    assert env_str("MOTCUA_SECRET") == "from-file"


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "AUDIT_KEY", "AUDIT_KEY_FILE"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_secret_key_does_not_start():
    result = _start(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_secret_key_starts():
    result = _start(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        AUDIT_KEY="k" * 64,
        ALLOWED_HOSTS="motcua.dongthap.gov.vn",
    )
    assert result.returncode == 0, result.stderr


def test_production_without_an_audit_key_does_not_start():
    # The HMAC key of the audit chain lives outside the database (docs/decisions/audit.md).
    result = _start(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="motcua.dongthap.gov.vn")
    assert result.returncode != 0
    assert "AUDIT_KEY or AUDIT_KEY_FILE must be set" in result.stderr


def test_production_reads_audit_keys_from_a_file(tmp_path):
    keys = tmp_path / "audit.keys"
    keys.write_text("o" * 64 + "\n" + "n" * 64 + "\n")
    result = _start(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        AUDIT_KEY_FILE=str(keys),
        ALLOWED_HOSTS="motcua.dongthap.gov.vn",
    )
    assert result.returncode == 0, result.stderr
