"""What every deployment sets: debug and secrets, apps and middleware, sign-in lockouts,
templates, the database and cache, languages and time zone, static and stored files, email,
security headers, the public address and the request limits, logging."""

import datetime as dt
import ipaddress
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from motcua.core.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

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
    "motcua.signing",
    "motcua.payments",
    "motcua.appointments",
    "motcua.postal",
    "motcua.accounts",
    "motcua.reform",
    "motcua.hotline",
    "motcua.reports",
    "motcua.simulate",
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
    # GET requests to the lookup and the reports read from the replica, if there is one.
    "motcua.core.replica.ReplicaReads",
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
                "motcua.core.identity.province",
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
# A read replica (a PostgreSQL streaming standby) for the public lookup and the reports: GET
# requests to the views named in REPLICA_READ_VIEWS read from it (motcua/core/replica.py;
# docs/scaling.md "Read replicas"). Tests mirror it onto the default database.
READ_REPLICA = ""
if env_str("DATABASE_REPLICA_URL"):
    READ_REPLICA = "replica"
    DATABASES[READ_REPLICA] = dj_database_url.parse(
        env_required("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES[READ_REPLICA]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]
REPLICA_READ_VIEWS = frozenset(
    env_list(
        "REPLICA_READ_VIEWS",
        [
            "public-lookup",
            "api-v1:lookup",
            "public-statistics",
            "report-on-time",
            "hotline_reports:stats",
            "hotline_reports:xlsx",
        ],
    )
)

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
# Appointments (docs/appointments.md): desk numbers one phone may hold per desk and day, and
# bookings one client address may make through the public API per hour.
APPOINTMENTS_DESK_PER_PERSON_PER_DAY = env_int("APPOINTMENTS_DESK_PER_PERSON_PER_DAY", 2)
APPOINTMENTS_BOOKINGS_PER_HOUR = env_int("APPOINTMENTS_BOOKINGS_PER_HOUR", 10)
# The desk queue's defaults for a desk without its own settings (appointments.DeskQueue):
# numbers from 08:00 to 16:00 in windows of an hour, twelve numbers a window, today and the
# next six days; a called number not at the counter within five minutes is a no-show.
APPOINTMENTS_QUEUE_OPENS = env_str("APPOINTMENTS_QUEUE_OPENS") or "08:00"
APPOINTMENTS_QUEUE_CLOSES = env_str("APPOINTMENTS_QUEUE_CLOSES") or "16:00"
APPOINTMENTS_QUEUE_WINDOW_MINUTES = env_int("APPOINTMENTS_QUEUE_WINDOW_MINUTES", 60)
APPOINTMENTS_QUEUE_NUMBERS_PER_WINDOW = env_int("APPOINTMENTS_QUEUE_NUMBERS_PER_WINDOW", 12)
APPOINTMENTS_QUEUE_HORIZON_DAYS = env_int("APPOINTMENTS_QUEUE_HORIZON_DAYS", 6)
APPOINTMENTS_QUEUE_NO_SHOW_MINUTES = env_int("APPOINTMENTS_QUEUE_NO_SHOW_MINUTES", 5)
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
# The province's identity on every public page (motcua/core/identity.py): its name, its
# emblem (a static file's path, or a path on this site: the page allows same-origin images
# only), the address of its service centre, the hotline number and the footer's contacts.
MOTCUA_PROVINCE_NAME = env_str("MOTCUA_PROVINCE_NAME") or "Tỉnh Đồng Tháp"
MOTCUA_PROVINCE_EMBLEM = env_str("MOTCUA_PROVINCE_EMBLEM") or "motcua/emblem.svg"
MOTCUA_PROVINCE_ADDRESS = (
    env_str("MOTCUA_PROVINCE_ADDRESS") or "Số 12 đường 30 tháng 4, phường Cao Lãnh, tỉnh Đồng Tháp"
)
if "//" in MOTCUA_PROVINCE_EMBLEM:
    raise ConfigurationError(
        "MOTCUA_PROVINCE_EMBLEM must be a static file's path or a path on this site (/…): "
        "the pages' Content-Security-Policy blocks images from other sites"
    )
MOTCUA_PROVINCE_HOTLINE = env_str("MOTCUA_PROVINCE_HOTLINE") or "1022"
MOTCUA_PROVINCE_EMAIL = env_str("MOTCUA_PROVINCE_EMAIL") or ""
MOTCUA_PROVINCE_FOOTER = (
    env_str("MOTCUA_PROVINCE_FOOTER")
    or "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Đồng Tháp. Đơn vị vận hành: Trung tâm Phục vụ "
    "hành chính công tỉnh Đồng Tháp."
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO") or "INFO"},
    # django-axes logs every successful sign-in at INFO; lockouts and failures are warnings.
    # fontTools logs each glyph of the signature stamp's font subset at INFO (docs/signatures.md).
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
