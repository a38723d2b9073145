"""How many web-form submissions one client address may make: ``HOTLINE_WEB_FORM_PER_HOUR``,
counted by the one rate limiter (``motcua.core.ratelimit``) in hourly windows.

What counts is a submission the form would accept, including one the spam traps swallow, so
a robot is slowed down as much as a person; a form sent back with errors does not count.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from motcua.core.clients import client_bucket
from motcua.core.ratelimit import Limit

WEB_FORM = Limit("hotline-web-form", per=lambda: settings.HOTLINE_WEB_FORM_PER_HOUR, seconds=3600)


def limit() -> int:
    return WEB_FORM.per()


def used_up(request: HttpRequest) -> bool:
    """True once the address has used its hour (without counting this request)."""
    return WEB_FORM.used_up(client_bucket(request))


def count(request: HttpRequest) -> bool:
    """Count one submission; False when it is over the hour's limit and must be refused."""
    return WEB_FORM.hit(client_bucket(request))


def minutes_left() -> int:
    """Minutes until the current window ends and the address may send again."""
    return WEB_FORM.minutes_left()
