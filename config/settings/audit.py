"""The audit trail: chain keys and seals (docs/decisions/audit.md)."""

from pathlib import Path

from motcua.core.chain_keys import configured_keys
from motcua.core.env import (
    env_int,
    env_str,
)

from .base import DEBUG, SECRET_KEY

# ---- audit trail (motcua.core.chain, motcua.core.seals; docs/decisions/audit.md) -----------
# HMAC keys of the event chains, kept outside the database: AUDIT_KEY, or AUDIT_KEY_FILE with
# one key per line, the last one current, the earlier ones verifying older events (rotation).
# DEBUG=1 without a key chains with a key derived from SECRET_KEY; DEBUG=0 refuses to start.
AUDIT_KEYS = configured_keys(env_str("AUDIT_KEY"), debug=DEBUG, secret_key=SECRET_KEY)
# Seals: signed digests of the chain heads, written by `manage.py seal_audit` into a folder
# outside the database (replicate it to another machine or an object store). Unset: no seals.
AUDIT_SEAL_DIR = Path(_seal_dir) if (_seal_dir := env_str("AUDIT_SEAL_DIR")) else None
# The Ed25519 private key that signs seals (PEM; AUDIT_SEAL_KEY_FILE, from audit_keygen), and
# public keys that verify them for a verifier who holds no private key (PEM blocks).
AUDIT_SEAL_KEY = env_str("AUDIT_SEAL_KEY") or ""
AUDIT_SEAL_PUBLIC_KEY = env_str("AUDIT_SEAL_PUBLIC_KEY") or ""
# Event ids missing at a seal (transactions still open) are looked for again at the following
# seals until this many minutes have passed since they were first missed.
AUDIT_SEAL_GAP_MINUTES = env_int("AUDIT_SEAL_GAP_MINUTES", 15)
# Events chained before the HMAC key existed carry no key id; they are accepted only up to
# this event id (write down the highest event id when a deployment upgrades; 0 for a new
# one), so nobody can pass a rewritten chain off as one from before the key.
AUDIT_LEGACY_UP_TO = env_int("AUDIT_LEGACY_UP_TO", 0)
# ---- end of audit trail ------------------------------------------------------------------
