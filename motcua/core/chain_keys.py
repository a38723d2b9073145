"""The keys of the audit chain's HMAC (docs/decisions/audit.md).

A hash chain alone proves nothing against someone who can write the database: they edit an
event and recompute every hash after it. Each event is therefore chained with HMAC-SHA256
under a key the database never holds (``AUDIT_KEY`` or ``AUDIT_KEY_FILE``). A key file holds
one key per line; the last line is the current key, the earlier ones only verify the events
chained under them (rotation: append a new line, keep the old ones). Each event stores the
*id* of its key, a digest that names the key without revealing it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass

from motcua.core.env import ConfigurationError

KEY_ID_LENGTH = 16
MIN_KEY_LENGTH = 32


class UnknownKeyError(LookupError):
    """An event names a key id that no configured key has."""

    def __init__(self, key_id: str) -> None:
        super().__init__(key_id)
        self.key_id = key_id


def key_id_of(key: str) -> str:
    """The public name of a key: leading hex digits of a SHA-256 of it (never the key)."""
    return hashlib.sha256(f"motcua-audit-key-id:{key}".encode()).hexdigest()[:KEY_ID_LENGTH]


def development_key(secret_key: str) -> str:
    """The key a development site (DEBUG=1, no AUDIT_KEY) chains with, derived from its
    SECRET_KEY so that it stays the same across restarts."""
    return hmac.new(secret_key.encode(), b"motcua audit chain (development)", "sha256").hexdigest()


def configured_keys(raw: str | None, *, debug: bool, secret_key: str) -> list[str]:
    """The keys from ``AUDIT_KEY``/``AUDIT_KEY_FILE`` (one per line; blank lines and ``#``
    comments ignored), oldest first. Without any: a development key when ``debug``, else the
    process must not start (config/settings/audit.py)."""
    keys = [
        line.strip()
        for line in (raw or "").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    if not keys:
        if debug:
            return [development_key(secret_key)]
        raise ConfigurationError(
            "AUDIT_KEY or AUDIT_KEY_FILE must be set when DEBUG=0 (docs/decisions/audit.md)"
        )
    short = [index for index, key in enumerate(keys, start=1) if len(key) < MIN_KEY_LENGTH]
    if short:
        raise ConfigurationError(
            f"AUDIT_KEY: key on line {short[0]} is shorter than {MIN_KEY_LENGTH} characters"
        )
    return keys


@dataclass(frozen=True)
class KeyRing:
    """Every configured key by its id; ``current_id`` chains new events."""

    keys: dict[str, bytes]
    current_id: str

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise UnknownKeyError(key_id) from None

    def mac(self, key_id: str, message: bytes) -> str:
        return hmac.new(self.key(key_id), message, hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=4)
def _ring(keys: tuple[str, ...]) -> KeyRing:
    return KeyRing(keys={key_id_of(k): k.encode() for k in keys}, current_id=key_id_of(keys[-1]))


def keyring() -> KeyRing:
    """The key ring of the current settings (``AUDIT_KEYS``)."""
    from django.conf import settings

    keys = tuple(getattr(settings, "AUDIT_KEYS", ()) or ())
    if not keys:
        raise ConfigurationError("AUDIT_KEYS is empty: set AUDIT_KEY or AUDIT_KEY_FILE")
    return _ring(keys)
