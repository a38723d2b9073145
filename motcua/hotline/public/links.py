"""The citizen's private follow-up link for a ticket: ``/phan-anh/<code>/?t=<token>``.

Whoever holds the link may read the ticket's thread, write again and rate the answer, so the
token is a signature of the ticket's code (``django.core.signing``, salted for this use only,
under SECRET_KEY). It does not expire: a citizen may come back to an answer months later. A
wrong or missing token is the same 404 as a code that does not exist.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from motcua.hotline.models import Ticket

SALT = "motcua.hotline.follow-up"


def follow_up_token(code: str) -> str:
    return signing.Signer(salt=SALT).signature(code)


def follow_up_path(code: str) -> str:
    path = reverse("hotline_public:follow_up", args=[code])
    return f"{path}?{urlencode({'t': follow_up_token(code)})}"


def follow_up_url(code: str) -> str:
    """The link sent with an answer: absolute when the site's public address is known."""
    base = str(getattr(settings, "MOTCUA_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{follow_up_path(code)}"


def ticket_for_citizen(code: str, token: str) -> Ticket:
    """The ticket the link names; Http404 for an unknown code and a bad token alike."""
    if not constant_time_compare(token or "", follow_up_token(code)):
        raise Http404(code)
    ticket = Ticket.objects.select_related("agency", "category").filter(code=code).first()
    if ticket is None:
        raise Http404(code)
    return ticket
