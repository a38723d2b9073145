"""The 1022 hotline's channels: Zalo OA, Facebook Messenger, email, the web form, the
national portal's Q&A and Open311."""

from motcua.core.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_str,
)

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
