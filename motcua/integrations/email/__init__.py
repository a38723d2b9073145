"""Email: outgoing mail through Django's mail API (SMTP when EMAIL_HOST is set, see
config/settings/base.py). ``transport.deliver`` hands one message over and says whether a refusal
could be retried."""
