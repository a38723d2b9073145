"""motcua settings: one module, every value from the environment through typed helpers.

The embedded default (no environment at all) is a development site on SQLite with DEBUG on.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and REDIS_URL;
docs/deployment.md lists every variable.
"""

import datetime as dt
import ipaddress
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from motcua.core.chain_keys import configured_keys
from motcua.core.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_seconds,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
else:
    SECRET_KEY = env_required("SECRET_KEY")
    if len(SECRET_KEY) < 32:
        raise ConfigurationError("SECRET_KEY must be at least 32 characters long")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    # Serves Swagger UI for /api/v1/docs from our static files, not from a CDN.
    "ninja",
    # Staff and admin sign-in lockouts, with an admin screen to unlock (docs/security.md).
    "axes",
    "motcua.core",
    "motcua.org",
    "motcua.workcalendar",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.portal",
    "motcua.notifications",
    "motcua.payments",
    "motcua.accounts",
    "motcua.reform",
    "motcua.hotline",
    "motcua.reports",
    "motcua.demo",
]
# Local fakes of the external platforms (docs/devtools.md): with DEBUG when the source tree has
# them (a built package leaves them out), or with MOTCUA_DEVTOOLS=1 (the test run sets it).
DEVTOOLS_ENABLED = env_bool(
    "MOTCUA_DEVTOOLS", default=DEBUG and find_spec("motcua.devtools") is not None
)
if DEVTOOLS_ENABLED:
    INSTALLED_APPS.append("motcua.devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # No NUL in any path, query string, form field or cookie reaches a view or the session
    # store (motcua/core/inputs.py).
    "motcua.core.inputs.RefuseNul",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.csp.FormTargetsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Staff and administrators sign in with Django's forms, through django-axes: after
# STAFF_SIGNIN_FAILURE_LIMIT failures a username, and separately a client address, is locked
# for STAFF_SIGNIN_LOCKOUT_MINUTES, right password or not. An administrator unlocks in the
# admin ("Access attempts": delete the rows) or with `manage.py axes_reset_username NAME`.
# Citizens sign in through motcua.accounts, with its own limits (ACCOUNTS_SIGNIN_*).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    # Loads the users of sessions started by the citizen sign-in (accounts/views/session.py).
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("STAFF_SIGNIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("STAFF_SIGNIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "motcua.core.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
if AXES_FAILURE_LIMIT < 1:
    raise ConfigurationError("STAFF_SIGNIN_FAILURE_LIMIT must be at least 1")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.org.context_processors.officer",
            ],
        },
    },
]

# SQLite is the embedded default so `make run` works on any laptop; production points
# DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for the lock instead of failing at once; WAL lets readers go on meanwhile.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "motcua",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Django's Tasks API (the django-tasks backport). "database" needs nothing beyond the
# database (worker: manage.py db_worker); "rq" queues on Redis (REDIS_URL; worker:
# manage.py rqworker default); "immediate" runs tasks inline (tests, demos).
TASKS_BACKEND = env_str("TASKS_BACKEND") or "database"
_TASK_BACKENDS = {
    "database": "django_tasks_db.backend.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ConfigurationError(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {sorted(_TASK_BACKENDS)}"
    )
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ConfigurationError("TASKS_BACKEND=rq needs REDIS_URL")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# A database-backend task still RUNNING this long after it started lost its worker:
# manage.py reclaim_tasks queues it again (motcua/core/task_leases.py). Well above the
# longest task (outbox sends time out after 10–30 s).
TASKS_RUNNING_LEASE_SECONDS = env_int("TASKS_RUNNING_LEASE_SECONDS", 900)
if TASKS_RUNNING_LEASE_SECONDS < 60:
    raise ConfigurationError("TASKS_RUNNING_LEASE_SECONDS must be at least 60")
# The periodic sweeps `manage.py run_periodic` runs (and `run_platform` with it): command
# name → seconds between runs. PERIODIC_JOBS=drain_outbox=30,flag_overdue=0 changes one
# interval and drops another (motcua/core/scheduler.py; docs/deployment.md).
PERIODIC_JOBS = env_seconds(
    "PERIODIC_JOBS",
    {
        "drain_outbox": 60,
        "hotline_drain_replies": 60,
        "flag_overdue": 300,
        "hotline_flag_deadlines": 300,
        **({"reclaim_tasks": 300} if TASKS_BACKEND == "database" else {}),
        **({"seal_audit": 3600} if env_str("AUDIT_SEAL_DIR") else {}),
    },
)
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/lam-viec/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# No MEDIA_URL: nothing serves MEDIA_ROOT by address. Stored files go out only through
# motcua.core.files, behind each object's door (docs/decisions/files.md). That module may hand
# the transfer to the proxy: nginx X-Accel-Redirect to an internal location aliasing MEDIA_ROOT
# (FILES_ACCEL_REDIRECT_PREFIX, e.g. /_files/; docs/deployment.md), or X-Sendfile with the
# file's path (FILES_SENDFILE=1: Apache mod_xsendfile, lighttpd). Off: the application streams.
FILES_ACCEL_REDIRECT_PREFIX = env_str("FILES_ACCEL_REDIRECT_PREFIX") or ""
FILES_SENDFILE = env_bool("FILES_SENDFILE", default=False)
if FILES_ACCEL_REDIRECT_PREFIX and FILES_SENDFILE:
    raise ConfigurationError("set FILES_ACCEL_REDIRECT_PREFIX or FILES_SENDFILE, not both")
if FILES_ACCEL_REDIRECT_PREFIX and not (
    FILES_ACCEL_REDIRECT_PREFIX.startswith("/") and FILES_ACCEL_REDIRECT_PREFIX.endswith("/")
):
    raise ConfigurationError("FILES_ACCEL_REDIRECT_PREFIX must start and end with '/'")

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "motcua@localhost"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# The health probe comes from the proxy or the service manager over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    # TLS ends at the reverse proxy (docs/deployment.md), which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    # HTTPS only, for a year, subdomains included; HSTS_SECONDS=0 switches it off while a
    # province first tries HTTPS out.
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)

# Public address of the site, for links printed on forms (QR codes) and sent in messages.
MOTCUA_PUBLIC_URL = (env_str("MOTCUA_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
# Largest file a citizen may upload with an online application, in megabytes.
PORTAL_UPLOAD_MAX_MB = env_int("PORTAL_UPLOAD_MAX_MB", 10)
# Public dossier lookup: requests per minute per client address.
LOOKUP_RATE_PER_MINUTE = env_int("LOOKUP_RATE_PER_MINUTE", 30)
# Second facts (last 4 digits of the phone or ID number) tried per dossier code per day and
# per client per hour, right or wrong, before the lookup stops believing them (the QR code's
# secret always opens the dossier).
LOOKUP_CHECKS_PER_CODE = env_int("LOOKUP_CHECKS_PER_CODE", 10)
LOOKUP_CHECKS_PER_CLIENT = env_int("LOOKUP_CHECKS_PER_CLIENT", 20)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated),
# e.g. 127.0.0.1 for nginx on the same machine (motcua/core/clients.py, docs/security.md).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _bad:
        raise ConfigurationError(f"TRUSTED_PROXIES: {_proxy!r} is not an address") from _bad
# Applicant recalls ("Công dân không viết") one desk officer may make per hour.
RECEPTION_RECALLS_PER_HOUR = env_int("RECEPTION_RECALLS_PER_HOUR", 100)
# API bearer tokens (manage.py create_api_token) stop working this many days after creation.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365)
# Dossiers due within this many working hours are flagged "near due".
NEAR_DUE_WORKING_HOURS = env_int("NEAR_DUE_WORKING_HOURS", 8)

# The province this deployment serves: the administrative unit code of its root unit.
MOTCUA_PROVINCE_CODE = env_str("MOTCUA_PROVINCE_CODE") or "82"

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO") or "INFO"},
    # django-axes logs every successful sign-in at INFO; lockouts and failures are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

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

# ---- 1022 hotline: Zalo OA and Facebook Messenger (motcua.hotline.channels) -----------------
# Protocols: the module docstrings of motcua/hotline/channels/zalo.py and facebook.py; local
# stand-ins: docs/devtools.md. Secrets may be given as *_FILE.
# Zalo: the app id and OA secret key sign webhooks (X-ZEvent-Signature); the OA access token
# sends replies (it expires after 25 hours: renew it outside the app).
ZALO_ENABLED = env_bool("ZALO_ENABLED", default=False)
ZALO_APP_ID = env_str("ZALO_APP_ID") or ""
ZALO_OA_SECRET_KEY = env_str("ZALO_OA_SECRET_KEY") or ""
ZALO_ACCESS_TOKEN = env_str("ZALO_ACCESS_TOKEN") or ""
ZALO_API_URL = (env_str("ZALO_API_URL") or "https://openapi.zalo.me").rstrip("/")
if ZALO_ENABLED and not (ZALO_APP_ID and ZALO_OA_SECRET_KEY and ZALO_ACCESS_TOKEN):
    raise ConfigurationError(
        "ZALO_ENABLED=1 needs ZALO_APP_ID, ZALO_OA_SECRET_KEY and ZALO_ACCESS_TOKEN"
    )
# Messenger: the app secret signs webhooks (X-Hub-Signature-256) and proves API calls; the
# verify token is the one typed into the app dashboard when subscribing the webhook.
FACEBOOK_ENABLED = env_bool("FACEBOOK_ENABLED", default=False)
FACEBOOK_APP_SECRET = env_str("FACEBOOK_APP_SECRET") or ""
FACEBOOK_PAGE_ACCESS_TOKEN = env_str("FACEBOOK_PAGE_ACCESS_TOKEN") or ""
FACEBOOK_VERIFY_TOKEN = env_str("FACEBOOK_VERIFY_TOKEN") or ""
FACEBOOK_GRAPH_URL = (env_str("FACEBOOK_GRAPH_URL") or "https://graph.facebook.com").rstrip("/")
if FACEBOOK_ENABLED and not (
    FACEBOOK_APP_SECRET and FACEBOOK_PAGE_ACCESS_TOKEN and FACEBOOK_VERIFY_TOKEN
):
    raise ConfigurationError(
        "FACEBOOK_ENABLED=1 needs FACEBOOK_APP_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN and "
        "FACEBOOK_VERIFY_TOKEN"
    )
# ---- end of hotline channels -------------------------------------------------------------

# ---- 1022 hotline: email, web form, national-portal Q&A, Open311 (motcua.hotline) ---------
# Email: citizens write to HOTLINE_EMAIL_ADDRESS; messages arrive through an IMAP mailbox
# polled by `manage.py hotline_fetch_mail`, or piped by the mail server into
# `manage.py hotline_receive_email` (docs/hotline.md). Replies go out through EMAIL_* above.
HOTLINE_EMAIL_ENABLED = env_bool("HOTLINE_EMAIL_ENABLED", default=False)
HOTLINE_EMAIL_ADDRESS = env_str("HOTLINE_EMAIL_ADDRESS") or "1022@localhost"
HOTLINE_IMAP_HOST = env_str("HOTLINE_IMAP_HOST") or ""
HOTLINE_IMAP_PORT = env_int("HOTLINE_IMAP_PORT", 993)
HOTLINE_IMAP_SSL = env_bool("HOTLINE_IMAP_SSL", default=True)
HOTLINE_IMAP_USER = env_str("HOTLINE_IMAP_USER") or ""
HOTLINE_IMAP_PASSWORD = env_str("HOTLINE_IMAP_PASSWORD") or ""  # or HOTLINE_IMAP_PASSWORD_FILE
HOTLINE_IMAP_FOLDER = env_str("HOTLINE_IMAP_FOLDER") or "INBOX"
# Caller-panel lookups (a phone's contact and dossiers) one 1022 operator may make per hour.
HOTLINE_CALLER_LOOKUPS_PER_HOUR = env_int("HOTLINE_CALLER_LOOKUPS_PER_HOUR", 300)
# The portal's web form: submissions per client address per hour.
HOTLINE_WEB_FORM_PER_HOUR = env_int("HOTLINE_WEB_FORM_PER_HOUR", 5)
# The national public service portal's Q&A (motcua/hotline/channels/national_qa.py).
NATIONAL_QA_ENABLED = env_bool("NATIONAL_QA_ENABLED", default=False)
NATIONAL_QA_URL = (env_str("NATIONAL_QA_URL") or "").rstrip("/")
NATIONAL_QA_CLIENT_ID = env_str("NATIONAL_QA_CLIENT_ID") or ""
NATIONAL_QA_SECRET = env_str("NATIONAL_QA_SECRET") or ""  # or NATIONAL_QA_SECRET_FILE
if NATIONAL_QA_ENABLED and not (NATIONAL_QA_URL and NATIONAL_QA_CLIENT_ID and NATIONAL_QA_SECRET):
    raise ConfigurationError(
        "NATIONAL_QA_ENABLED=1 needs NATIONAL_QA_URL, NATIONAL_QA_CLIENT_ID and NATIONAL_QA_SECRET"
    )
# Open311 GeoReport v2 at /open311/v2/: the jurisdiction id clients send, and whether
# creating a request needs an api_key (a staff API token, see create_api_token).
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID") or "motcua.local"
OPEN311_REQUIRE_API_KEY = env_bool("OPEN311_REQUIRE_API_KEY", default=False)
# ---- end of 1022 hotline -----------------------------------------------------------------
# Open311 request limits per client address: creations per hour, reads per minute.
OPEN311_WRITES_PER_HOUR = env_int("OPEN311_WRITES_PER_HOUR", 30)
OPEN311_READS_PER_MINUTE = env_int("OPEN311_READS_PER_MINUTE", 120)


# ---- Content-Security-Policy (django-csp) ------------------------------------------------
# Scripts only from our own static files: no inline script, no eval, no CDN (the printed
# forms' "In" button and Swagger UI load theirs from /static/). Inline style attributes stay
# allowed: the printed forms and Swagger UI use them, and a style cannot run code. Forms post
# only here, and to the payment gateway and the identity provider a form redirects to
# (added per response by config.csp.FormTargetsMiddleware, from the settings of the time).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
