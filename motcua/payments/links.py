"""The link a citizen follows to pay a dossier's fees, signed so that only the dossier's
applicant (who received it) can use it until citizen accounts exist.

The token names the dossier by id and code (``django.core.signing``, salted, timestamped);
the code in the address must match it, so a valid token with someone else's code gets the
same 404 as a forged one. Staff reach the same page through their login and the dossier
access rules instead.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse

from motcua.dossiers.models import Dossier

SALT = "motcua.payments.link"
LINK_MAX_AGE = dt.timedelta(days=30)


def payment_token(dossier: Dossier) -> str:
    return signing.dumps({"d": dossier.pk, "c": dossier.code}, salt=SALT)


def payment_link(dossier: Dossier) -> str:
    """The absolute address of the dossier's payment page, valid for 30 days."""
    path = reverse("payments:start", args=[dossier.code])
    return f"{settings.MOTCUA_PUBLIC_URL}{path}?{urlencode({'t': payment_token(dossier)})}"


def dossier_for_link(code: str, token: str) -> Dossier:
    """The dossier a valid token names, if it is the one in the address; Http404 otherwise."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature as bad:  # expired tokens included
        raise Http404(code) from bad
    if not isinstance(payload, dict) or payload.get("c") != code:
        raise Http404(code)
    dossier_id = payload.get("d")
    if not isinstance(dossier_id, int):
        raise Http404(code)
    dossier = Dossier.objects.select_related("procedure").filter(pk=dossier_id, code=code).first()
    if dossier is None:
        raise Http404(code)
    return dossier
