"""The Ed25519 keys that sign and verify seals (docs/decisions/audit.md "Seals"): the private
key only the sealer holds, the public keys a verifier holds. The database never sees either.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

from motcua.core.seals.files import SealError


def new_key_pair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as PEM: (private, public)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


def public_key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def private_key() -> Ed25519PrivateKey | None:
    """The signing key (``AUDIT_SEAL_KEY``/``AUDIT_SEAL_KEY_FILE``), None when not set."""
    pem = settings.AUDIT_SEAL_KEY
    if not pem:
        return None
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise SealError(f"AUDIT_SEAL_KEY is not a PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SealError("AUDIT_SEAL_KEY is not an Ed25519 key")
    return key


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key that may verify a seal, by id: the signing key's own, and the PEM blocks of
    ``AUDIT_SEAL_PUBLIC_KEY`` (a verifier's copy; old keys after the seal key is replaced)."""
    keys: dict[str, Ed25519PublicKey] = {}
    signing = private_key()
    if signing is not None:
        keys[public_key_id(signing.public_key())] = signing.public_key()
    marker = "-----BEGIN PUBLIC KEY-----"
    for block in settings.AUDIT_SEAL_PUBLIC_KEY.split(marker)[1:]:
        try:
            key = serialization.load_pem_public_key(f"{marker}{block}".encode())
        except ValueError as exc:
            raise SealError(f"AUDIT_SEAL_PUBLIC_KEY holds an unreadable key: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise SealError("AUDIT_SEAL_PUBLIC_KEY holds a key that is not Ed25519")
        keys[public_key_id(key)] = key
    return keys
