"""Results signed by the agency (docs/signatures.md): the signing outbox, the timestamp
authority and the roots the signatures' validation data must chain to. The keys themselves
are per agency, in the database (``motcua.signing``), with their secrets in variables they
name. Development: the test CA, SoftHSM token and timestamp authority in
``motcua/devtools/signing`` (docs/devtools.md)."""

from motcua.core.env import ConfigurationError, env_bool, env_int, env_list, env_str

# Off: new results are stored unsigned even where an agency has a key (jobs already queued
# still run).
SIGNING_ENABLED = env_bool("SIGNING_ENABLED", default=True)
# An RFC 3161 timestamp authority over HTTP(S). Set: signatures are PAdES B-LTA (signature
# timestamp, validation data, document timestamp). Empty: PAdES B-B, whose time is only the
# signer's claim; a province should not run without one.
MOTCUA_TSA_URL = env_str("MOTCUA_TSA_URL") or ""
MOTCUA_TSA_TIMEOUT = env_int("MOTCUA_TSA_TIMEOUT", 15)
# PEM or DER files, comma-separated: the roots the signer's and the authority's chains end
# at (the national root CA and the CAs the province buys from). Empty: the system's roots.
MOTCUA_SIGNING_TRUST_ROOTS = env_list("MOTCUA_SIGNING_TRUST_ROOTS")
# Whether pyHanko may fetch the CRLs and OCSP answers the certificates name, to embed them.
MOTCUA_SIGNING_FETCH_REVOCATION = env_bool("MOTCUA_SIGNING_FETCH_REVOCATION", default=True)
# Attempts of a signing job (the timestamp authority or the token away) before it is failed
# for an operator; with the backoff capped at an hour, 30 attempts span about a day.
SIGNING_MAX_ATTEMPTS = env_int("SIGNING_MAX_ATTEMPTS", 30)

if MOTCUA_TSA_URL and not MOTCUA_TSA_URL.startswith(("http://", "https://")):
    raise ConfigurationError("MOTCUA_TSA_URL must be an http(s) address")
for _name, _value in (
    ("MOTCUA_TSA_TIMEOUT", MOTCUA_TSA_TIMEOUT),
    ("SIGNING_MAX_ATTEMPTS", SIGNING_MAX_ATTEMPTS),
):
    if _value < 1:
        raise ConfigurationError(f"{_name} must be at least 1")
