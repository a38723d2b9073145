"""The outside services a deployment may switch on: notifications to applicants (email,
SMS), online payment of fees, citizen sign-in through OpenID Connect. Each has its
``<NAME>_ENABLED``."""

from motcua.core.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_str,
)

from .base import DEBUG

# ---- notifications to applicants (motcua.notifications) -----------------------------------
# Email goes through the EMAIL_* settings above; SMS through a brandname gateway
# (docs: the module docstring of motcua/integrations/sms/transport.py).
NOTIFY_EMAIL_ENABLED = env_bool("NOTIFY_EMAIL_ENABLED", default=True)
SMS_ENABLED = env_bool("SMS_ENABLED", default=False)
SMS_GATEWAY_URL = (env_str("SMS_GATEWAY_URL") or "").rstrip("/")
SMS_API_KEY = env_str("SMS_API_KEY") or ""
SMS_SECRET = env_str("SMS_SECRET") or ""
SMS_BRANDNAME = env_str("SMS_BRANDNAME") or "MOTCUA"
# "gateway" (the above) or "console": each SMS, codes included, printed by the process that
# sends it; development only (`run_platform` chooses it with DEBUG), refused with DEBUG=0.
SMS_BACKEND = env_str("SMS_BACKEND") or "gateway"
if SMS_BACKEND not in {"gateway", "console"}:
    raise ConfigurationError(f"SMS_BACKEND={SMS_BACKEND!r}: use gateway or console")
if SMS_BACKEND == "console" and not DEBUG:
    raise ConfigurationError("SMS_BACKEND=console prints codes: development only (DEBUG=1)")
# Attempts per message before it is marked failed (backoff 1, 2, 4 … 60 minutes between).
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 10)
_sms_gateway_set = SMS_GATEWAY_URL and SMS_API_KEY and SMS_SECRET
if SMS_ENABLED and SMS_BACKEND == "gateway" and not _sms_gateway_set:
    raise ConfigurationError("SMS_ENABLED=1 needs SMS_GATEWAY_URL, SMS_API_KEY and SMS_SECRET")
if NOTIFY_MAX_ATTEMPTS < 1:
    raise ConfigurationError("NOTIFY_MAX_ATTEMPTS must be at least 1")
# ---- end of notifications ----------------------------------------------------------------

# ---- online payment of fees (motcua.payments) ------------------------------------------
# A VNPAY gateway, protocol 2.1.0 (docs: the module docstring of
# motcua/integrations/payments/vnpay.py). The default URL is the local fake gateway
# (manage.py fake_platform payment, docs/devtools.md); VNPAY's sandbox is
# https://sandbox.vnpayment.vn/paymentv2/vpcpay.html. The IPN URL is registered with VNPAY:
# {MOTCUA_PUBLIC_URL}/thanh-toan/vnpay/ipn/.
PAYMENTS_ENABLED = env_bool("PAYMENTS_ENABLED", default=False)
VNPAY_PAYMENT_URL = (
    env_str("VNPAY_PAYMENT_URL") or "http://127.0.0.1:8030/paymentv2/vpcpay.html"
).rstrip("?")
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE") or ""
VNPAY_HASH_SECRET = env_str("VNPAY_HASH_SECRET") or ""
VNPAY_VERSION = env_str("VNPAY_VERSION") or "2.1.0"
if PAYMENTS_ENABLED and not (VNPAY_PAYMENT_URL and VNPAY_TMN_CODE and VNPAY_HASH_SECRET):
    raise ConfigurationError(
        "PAYMENTS_ENABLED=1 needs VNPAY_PAYMENT_URL, VNPAY_TMN_CODE and VNPAY_HASH_SECRET"
    )
# ---- end of payments ---------------------------------------------------------------------

# ---- citizen accounts (motcua.accounts) and OpenID Connect sign-in (integrations.identity) --
# Sign-in failures counted in a window, per identifier (phone/email) and per client address.
ACCOUNTS_SIGNIN_WINDOW_MINUTES = env_int("ACCOUNTS_SIGNIN_WINDOW_MINUTES", 15)
ACCOUNTS_SIGNIN_FAILURES_PER_IDENTIFIER = env_int("ACCOUNTS_SIGNIN_FAILURES_PER_IDENTIFIER", 5)
# Generous: a service centre's counters and kiosks share one address.
ACCOUNTS_SIGNIN_FAILURES_PER_IP = env_int("ACCOUNTS_SIGNIN_FAILURES_PER_IP", 30)
# Sign-ups per client address per hour (each sends a code: SMS costs money).
ACCOUNTS_SIGNUPS_PER_IP_PER_HOUR = env_int("ACCOUNTS_SIGNUPS_PER_IP_PER_HOUR", 20)
# An OpenID Connect provider (VNeID or another). The redirect address to register with it is
# {MOTCUA_PUBLIC_URL}/tai-khoan/oidc/callback/. Leave OIDC_AUTHORIZATION_URL empty to discover
# the endpoints from {OIDC_ISSUER}/.well-known/openid-configuration. Development provider:
# manage.py fake_platform oidc (docs/devtools.md).
OIDC_ENABLED = env_bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME") or "VNeID"
OIDC_ISSUER = env_str("OIDC_ISSUER") or ""
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID") or ""
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET") or ""  # or OIDC_CLIENT_SECRET_FILE
OIDC_AUTHORIZATION_URL = env_str("OIDC_AUTHORIZATION_URL") or ""
OIDC_TOKEN_URL = env_str("OIDC_TOKEN_URL") or ""
OIDC_JWKS_URL = env_str("OIDC_JWKS_URL") or ""
OIDC_USERINFO_URL = env_str("OIDC_USERINFO_URL") or ""
OIDC_SCOPES = env_list("OIDC_SCOPES", ["openid", "profile", "email", "phone"])
# The claim holding the 12-digit personal ID number (a dotted path reaches into an object).
OIDC_ID_NUMBER_CLAIM = env_str("OIDC_ID_NUMBER_CLAIM") or "id_number"
OIDC_TOKEN_AUTH_METHOD = env_str("OIDC_TOKEN_AUTH_METHOD") or "client_secret_basic"
if OIDC_ENABLED:
    if not (OIDC_ISSUER and OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
        raise ConfigurationError(
            "OIDC_ENABLED=1 needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"
        )
    if OIDC_AUTHORIZATION_URL and not (OIDC_TOKEN_URL and OIDC_JWKS_URL):
        raise ConfigurationError(
            "OIDC_AUTHORIZATION_URL needs OIDC_TOKEN_URL and OIDC_JWKS_URL too "
            "(or leave all three empty to discover them from OIDC_ISSUER)"
        )
    if "openid" not in OIDC_SCOPES:
        raise ConfigurationError("OIDC_SCOPES must include openid")
if OIDC_TOKEN_AUTH_METHOD not in ("client_secret_basic", "client_secret_post"):
    raise ConfigurationError("OIDC_TOKEN_AUTH_METHOD: client_secret_basic or client_secret_post")
# ---- end of citizen accounts -------------------------------------------------------------
