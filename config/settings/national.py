"""The National Public Service Portal (dichvucong.gov.vn): dossier, progress and rating sync,
and the catalogue pull (protocol: motcua/integrations/national_portal/__init__.py; the
mapping and the operator's guide: docs/national-portal.md). Development portal:
``manage.py fake_platform national-portal`` (docs/devtools.md)."""

from motcua.core.env import ConfigurationError, env_bool, env_int, env_str

NATIONAL_PORTAL_ENABLED = env_bool("NATIONAL_PORTAL_ENABLED", default=False)
# The gateway's three addresses: log in, the sync services, the catalogue (share) services.
NATIONAL_PORTAL_AUTH_URL = env_str("NATIONAL_PORTAL_AUTH_URL") or ""
NATIONAL_PORTAL_SYNC_URL = env_str("NATIONAL_PORTAL_SYNC_URL") or ""
NATIONAL_PORTAL_SHARE_URL = env_str("NATIONAL_PORTAL_SHARE_URL") or ""
NATIONAL_PORTAL_USERNAME = env_str("NATIONAL_PORTAL_USERNAME") or ""
NATIONAL_PORTAL_PASSWORD = env_str("NATIONAL_PORTAL_PASSWORD") or ""  # or _PASSWORD_FILE
# The data-sharing gateway's routing code (header "dstcode") and the province's unit code
# ("madonvi") at the portal.
NATIONAL_PORTAL_DSTCODE = env_str("NATIONAL_PORTAL_DSTCODE") or ""
NATIONAL_PORTAL_UNIT_CODE = env_str("NATIONAL_PORTAL_UNIT_CODE") or ""
# One call's timeout; a retry waits at least this long, so an answer abandoned by a timeout
# has been handled by the portal before the next state of the same dossier goes out.
NATIONAL_PORTAL_TIMEOUT_SECONDS = env_int("NATIONAL_PORTAL_TIMEOUT_SECONDS", 30)
# Retries: the first after NATIONAL_PORTAL_RETRY_SECONDS (never less than the timeout), then
# doubling up to NATIONAL_PORTAL_RETRY_CAP_SECONDS; after NATIONAL_PORTAL_MAX_ATTEMPTS
# transient failures the change is marked failed for an operator (about ten days at the cap).
NATIONAL_PORTAL_RETRY_SECONDS = env_int("NATIONAL_PORTAL_RETRY_SECONDS", 60)
NATIONAL_PORTAL_RETRY_CAP_SECONDS = env_int("NATIONAL_PORTAL_RETRY_CAP_SECONDS", 3600)
NATIONAL_PORTAL_MAX_ATTEMPTS = env_int("NATIONAL_PORTAL_MAX_ATTEMPTS", 250)
# A change being sent belongs to its worker this long (a worker killed mid-send leaves it to
# be taken again after it): well above the timeout of the calls one send makes.
NATIONAL_PORTAL_LEASE_SECONDS = env_int("NATIONAL_PORTAL_LEASE_SECONDS", 300)
# The circuit breaker: this many consecutive failures to reach the portal open it for the
# cool-down, during which nothing is sent (and no attempt is used up).
NATIONAL_PORTAL_BREAKER_FAILURES = env_int("NATIONAL_PORTAL_BREAKER_FAILURES", 5)
NATIONAL_PORTAL_BREAKER_SECONDS = env_int("NATIONAL_PORTAL_BREAKER_SECONDS", 60)
# Progress steps per CapNhatTienDoHoSoMC call; dossiers sent at once by the sync worker.
NATIONAL_PORTAL_PROGRESS_CHUNK = env_int("NATIONAL_PORTAL_PROGRESS_CHUNK", 20)
NATIONAL_PORTAL_WORKERS = env_int("NATIONAL_PORTAL_WORKERS", 4)
# How often `manage.py sync_national` (run by `make run` and run_platform when enabled) looks
# for changes when it found none.
NATIONAL_PORTAL_POLL_SECONDS = env_int("NATIONAL_PORTAL_POLL_SECONDS", 1)
# Where the portal may fetch a dossier's document and result files from (DuongDanTaiTepTin,
# DuongDanTepTinKetQua); empty: the site's own public address.
NATIONAL_PORTAL_FILE_BASE_URL = (env_str("NATIONAL_PORTAL_FILE_BASE_URL") or "").rstrip("/")

_urls = (NATIONAL_PORTAL_AUTH_URL, NATIONAL_PORTAL_SYNC_URL, NATIONAL_PORTAL_SHARE_URL)
if NATIONAL_PORTAL_ENABLED:
    _needed = {
        "NATIONAL_PORTAL_AUTH_URL": NATIONAL_PORTAL_AUTH_URL,
        "NATIONAL_PORTAL_SYNC_URL": NATIONAL_PORTAL_SYNC_URL,
        "NATIONAL_PORTAL_SHARE_URL": NATIONAL_PORTAL_SHARE_URL,
        "NATIONAL_PORTAL_USERNAME": NATIONAL_PORTAL_USERNAME,
        "NATIONAL_PORTAL_PASSWORD": NATIONAL_PORTAL_PASSWORD,
        "NATIONAL_PORTAL_UNIT_CODE": NATIONAL_PORTAL_UNIT_CODE,
    }
    if missing := [name for name, value in _needed.items() if not value]:
        raise ConfigurationError(f"NATIONAL_PORTAL_ENABLED=1 needs {', '.join(missing)}")
if any(url and not url.startswith(("http://", "https://")) for url in _urls):
    raise ConfigurationError("NATIONAL_PORTAL_*_URL must be http(s) addresses")
for _name, _value, _least in (
    ("NATIONAL_PORTAL_TIMEOUT_SECONDS", NATIONAL_PORTAL_TIMEOUT_SECONDS, 1),
    ("NATIONAL_PORTAL_RETRY_SECONDS", NATIONAL_PORTAL_RETRY_SECONDS, 1),
    ("NATIONAL_PORTAL_RETRY_CAP_SECONDS", NATIONAL_PORTAL_RETRY_CAP_SECONDS, 1),
    ("NATIONAL_PORTAL_MAX_ATTEMPTS", NATIONAL_PORTAL_MAX_ATTEMPTS, 1),
    ("NATIONAL_PORTAL_LEASE_SECONDS", NATIONAL_PORTAL_LEASE_SECONDS, 1),
    ("NATIONAL_PORTAL_BREAKER_FAILURES", NATIONAL_PORTAL_BREAKER_FAILURES, 1),
    ("NATIONAL_PORTAL_BREAKER_SECONDS", NATIONAL_PORTAL_BREAKER_SECONDS, 1),
    ("NATIONAL_PORTAL_PROGRESS_CHUNK", NATIONAL_PORTAL_PROGRESS_CHUNK, 1),
    ("NATIONAL_PORTAL_WORKERS", NATIONAL_PORTAL_WORKERS, 1),
    ("NATIONAL_PORTAL_POLL_SECONDS", NATIONAL_PORTAL_POLL_SECONDS, 1),
):
    if _value < _least:
        raise ConfigurationError(f"{_name} must be at least {_least}")
if NATIONAL_PORTAL_LEASE_SECONDS <= 2 * NATIONAL_PORTAL_TIMEOUT_SECONDS:
    raise ConfigurationError(
        "NATIONAL_PORTAL_LEASE_SECONDS must be more than twice NATIONAL_PORTAL_TIMEOUT_SECONDS"
    )
