"""``manage.py audit_keygen`` writes keys readable by their owner only, never over a file."""

from __future__ import annotations

import io
import stat

import pytest
from django.core.management import CommandError, call_command

from motcua.core.chain_keys import configured_keys, key_id_of


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_seal_key_pair_is_written_0600(tmp_path):
    private = tmp_path / "seal.pem"
    call_command("audit_keygen", "--seal-key", str(private), stdout=io.StringIO())
    public = tmp_path / "seal.pem.pub"
    assert private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert _mode(private) == 0o600 and _mode(public) == 0o600
    with pytest.raises(CommandError):
        call_command("audit_keygen", "--seal-key", str(private), stdout=io.StringIO())


def test_a_new_audit_key_is_appended_and_becomes_current(tmp_path):
    path = tmp_path / "audit.keys"
    call_command("audit_keygen", "--audit-key", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("audit_keygen", "--audit-key", str(path), stdout=out)
    keys = configured_keys(path.read_text(), debug=False, secret_key="")
    assert len(keys) == 2 and keys[0] != keys[1]
    assert key_id_of(keys[-1]) in out.getvalue()
    assert _mode(path) == 0o600


def test_keys_are_read_one_per_line_and_must_be_long():
    text = "# rotated 2026-01\n" + "a" * 40 + "\n\n" + "b" * 40 + "\n"
    assert configured_keys(text, debug=False, secret_key="") == ["a" * 40, "b" * 40]
    with pytest.raises(Exception, match="shorter than 32"):
        configured_keys("short", debug=False, secret_key="")
    assert len(configured_keys(None, debug=True, secret_key="s")[0]) == 64
