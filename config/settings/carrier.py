"""The public postal service's carrier (a VNPost-like API): orders sent through the carrier
outbox, tracking by polling and by a signed webhook (protocol:
motcua/integrations/carrier/__init__.py; the operator's guide: docs/postal.md "Carrier").
Development carrier: ``manage.py fake_platform carrier`` (docs/devtools.md)."""

from motcua.core.env import ConfigurationError, env_bool, env_int, env_str

CARRIER_ENABLED = env_bool("CARRIER_ENABLED", default=False)
# The carrier's API root: POST {base}/token, {base}/orders, {base}/orders/cancel,
# GET {base}/tracking.
CARRIER_BASE_URL = (env_str("CARRIER_BASE_URL") or "").rstrip("/")
CARRIER_CUSTOMER_CODE = env_str("CARRIER_CUSTOMER_CODE") or ""
CARRIER_KEY = env_str("CARRIER_KEY") or ""
CARRIER_SECRET = env_str("CARRIER_SECRET") or ""  # or CARRIER_SECRET_FILE
# The shared secret the carrier signs its webhook calls with (HMAC-SHA256); empty: the
# webhook answers 404 and tracking comes by polling only.
CARRIER_WEBHOOK_SECRET = env_str("CARRIER_WEBHOOK_SECRET") or ""  # or _FILE
# How old a webhook call's timestamp may be (either way), in seconds.
CARRIER_WEBHOOK_WINDOW_SECONDS = env_int("CARRIER_WEBHOOK_WINDOW_SECONDS", 300)
CARRIER_TIMEOUT = env_int("CARRIER_TIMEOUT", 15)
# How often `manage.py poll_carrier` reads the tracking feed from the periodic loop.
CARRIER_POLL_SECONDS = env_int("CARRIER_POLL_SECONDS", 120)
# Attempts of a carrier command (create, cancel) before it is failed for an operator.
CARRIER_MAX_ATTEMPTS = env_int("CARRIER_MAX_ATTEMPTS", 20)

if CARRIER_ENABLED:
    _needed = {
        "CARRIER_BASE_URL": CARRIER_BASE_URL,
        "CARRIER_CUSTOMER_CODE": CARRIER_CUSTOMER_CODE,
        "CARRIER_KEY": CARRIER_KEY,
        "CARRIER_SECRET": CARRIER_SECRET,
    }
    if missing := [name for name, value in _needed.items() if not value]:
        raise ConfigurationError(f"CARRIER_ENABLED=1 needs {', '.join(missing)}")
if CARRIER_BASE_URL and not CARRIER_BASE_URL.startswith(("http://", "https://")):
    raise ConfigurationError("CARRIER_BASE_URL must be an http(s) address")
for _name, _value in (
    ("CARRIER_TIMEOUT", CARRIER_TIMEOUT),
    ("CARRIER_POLL_SECONDS", CARRIER_POLL_SECONDS),
    ("CARRIER_MAX_ATTEMPTS", CARRIER_MAX_ATTEMPTS),
    ("CARRIER_WEBHOOK_WINDOW_SECONDS", CARRIER_WEBHOOK_WINDOW_SECONDS),
):
    if _value < 1:
        raise ConfigurationError(f"{_name} must be at least 1")
