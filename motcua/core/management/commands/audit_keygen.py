"""``manage.py audit_keygen``: make the keys the audit trail keeps outside the database
(docs/decisions/audit.md). Files are created with mode 0600 and never overwritten.

- ``--seal-key PATH``: a new Ed25519 key pair for seals: the private key at PATH
  (``AUDIT_SEAL_KEY_FILE``) and the public key at ``PATH.pub`` or ``--public-key``
  (``AUDIT_SEAL_PUBLIC_KEY_FILE`` for a verifier).
- ``--audit-key PATH``: append a new HMAC key to the key file (``AUDIT_KEY_FILE``), creating it;
  the new key becomes current, the earlier lines keep verifying older events (rotation).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.core.chain_keys import key_id_of
from motcua.core.seals import new_key_pair


def write_new(path: Path, content: bytes) -> None:
    """Create ``path`` with mode 0600; refuse if it exists."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise CommandError(_("%(path)s đã có, không ghi đè.") % {"path": path}) from exc
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(content)


class Command(BaseCommand):
    help = _("Tạo khóa cho nhật ký: cặp khóa ký niêm phong, hoặc thêm một khóa HMAC mới.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal-key", type=Path, metavar="PATH")
        parser.add_argument("--public-key", type=Path, metavar="PATH")
        parser.add_argument("--audit-key", type=Path, metavar="PATH")

    def handle(
        self,
        *args: Any,
        seal_key: Path | None,
        public_key: Path | None,
        audit_key: Path | None,
        **options: Any,
    ) -> None:
        if seal_key is None and audit_key is None:
            raise CommandError(_("Cần --seal-key PATH hoặc --audit-key PATH."))
        if seal_key is not None:
            public_path = public_key or seal_key.with_name(f"{seal_key.name}.pub")
            private_pem, public_pem = new_key_pair()
            write_new(seal_key, private_pem)
            write_new(public_path, public_pem)
            self.stdout.write(
                _(
                    "Khóa ký niêm phong: %(private)s (AUDIT_SEAL_KEY_FILE); khóa công khai:"
                    " %(public)s."
                )
                % {"private": seal_key, "public": public_path}
            )
        if audit_key is not None:
            key = secrets.token_hex(32)
            descriptor = os.open(audit_key, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(descriptor, "a", encoding="utf-8") as stream:
                if stream.tell() and not audit_key.read_text(encoding="utf-8").endswith("\n"):
                    stream.write("\n")
                stream.write(f"{key}\n")
            os.chmod(audit_key, 0o600)
            self.stdout.write(
                _("Đã thêm khóa %(id)s vào %(path)s (khóa hiện hành từ lần khởi động tới).")
                % {"id": key_id_of(key), "path": audit_key}
            )
