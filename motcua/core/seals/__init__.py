"""Seals: signed digests of the event chains' heads, kept outside the database
(docs/decisions/audit.md).

The keyed chain stops someone who can write the database but does not hold the HMAC key. A
seal stops the one who holds it too: ``manage.py seal_audit`` (hourly) writes to
``AUDIT_SEAL_DIR`` the head (seq, hash) of every record whose chain advanced since the
previous seal, signs the file with an Ed25519 key the database never sees, and chains it to
the previous seal by that seal's digest. Re-chaining sealed events, deleting a sealed record or
removing a seal from the middle of the folder then shows in ``verify_audit``; removing the
*latest* seal shows against its digest, published on ``/thong-ke/``.

``keys``: the Ed25519 keys; ``files``: the seal files' format, listing and reading;
``writing``: ``seal``, the next seal; ``checking``: ``verify_seals``, for ``verify_audit``.
"""

from motcua.core.seals.checking import SealCheck, verify_seals
from motcua.core.seals.files import (
    BATCH,
    FORMAT,
    SUFFIX,
    Head,
    Seal,
    SealError,
    SealSummary,
    latest_seal,
    read_seal,
    seal_directory,
    seal_files,
    seal_name,
)
from motcua.core.seals.keys import new_key_pair, private_key, public_key_id, public_keys
from motcua.core.seals.writing import SealResult, missing_ranges, seal

__all__ = [
    "BATCH",
    "FORMAT",
    "SUFFIX",
    "Head",
    "Seal",
    "SealCheck",
    "SealError",
    "SealResult",
    "SealSummary",
    "latest_seal",
    "missing_ranges",
    "new_key_pair",
    "private_key",
    "public_key_id",
    "public_keys",
    "read_seal",
    "seal",
    "seal_directory",
    "seal_files",
    "seal_name",
    "verify_seals",
]
