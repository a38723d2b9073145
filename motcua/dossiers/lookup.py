"""The public lookup of a dossier by its code (docs/rules/api.md "Public lookup"): no login,
personal data masked.

Dossier codes are sequential (the national format), so the code alone cannot be a secret:
with the code alone the lookup shows only the status and its dates. The procedure, the desk
and the masked applicant need a second fact only the applicant holds: the last four digits of
the applicant's phone or ID number, or the secret carried by Form 01's QR code. A wrong check
answers as if none had been given; wrong checks are limited per code and per client, so the
four digits cannot be guessed. See docs/decisions/dossiers.md "Public lookup".

The rules are here, with the limits that guard them and the lookup's address; the page is
``views/public_lookup.py`` and the API's ``GET /api/v1/lookup/{code}`` is in ``api.py``.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from motcua.core.clients import client_bucket
from motcua.core.ratelimit import Limit
from motcua.dossiers.models import Dossier

PUBLIC_FIELDS = (
    "code",
    "status",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "applicant_name",
    "applicant_phone",
    "applicant_id_number",
    "lookup_secret",
    "procedure__name",
    "procedure__code",
    "desk__name",
)
CODE_MAX = 64  # Dossier.code

LOOKUPS = Limit("lookup", per=lambda: settings.LOOKUP_RATE_PER_MINUTE, seconds=60)
CHECKS_PER_CODE = Limit(
    "lookup-check-code", per=lambda: settings.LOOKUP_CHECKS_PER_CODE, seconds=86400
)
CHECKS_PER_CLIENT = Limit(
    "lookup-check-client", per=lambda: settings.LOOKUP_CHECKS_PER_CLIENT, seconds=3600
)


def mask_name(name: str) -> str:
    """Family name kept, other names reduced to initials: "Nguyễn Văn An" → "Nguyễn V. A."."""
    words = name.split()
    if len(words) <= 1:
        return (name[:1] + "***") if name else ""
    return " ".join([words[0], *(f"{w[:1]}." for w in words[1:])])


def lookup_url(code: str, *, secret: str = "") -> str:
    """The absolute address of the dossier's public lookup. With ``secret`` (Form 01's QR
    code, the messages sent to the applicant) it opens with the procedure and the masked
    applicant shown."""
    url = f"{settings.MOTCUA_PUBLIC_URL}{reverse('public-lookup', args=[code])}"
    return f"{url}?{urlencode({'k': secret})}" if secret else url


def applicant_lookup_url(dossier: Dossier) -> str:
    """The lookup address the applicant is given (it carries the dossier's secret)."""
    return lookup_url(dossier.code, secret=dossier.lookup_secret)


def find_public(code: str) -> Dossier | None:
    code = code.strip()
    if not code or len(code) > CODE_MAX:
        return None
    return (
        Dossier.objects.filter(code=code)
        .select_related("procedure", "desk")
        .only(*PUBLIC_FIELDS)
        .first()
    )


def _last_four(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def _same(candidate: str, check: str) -> bool:
    return bool(candidate) and hmac.compare_digest(candidate.encode(), check.encode())


def four_digits_match(dossier: Dossier, check: str) -> bool:
    """Whether ``check`` is the last four digits of the applicant's phone or ID number."""
    phone = _same(_last_four(dossier.applicant_phone), check)
    id_number = _same(_last_four(dossier.applicant_id_number), check)
    return phone or id_number


@dataclass(frozen=True)
class Verdict:
    """What the check allows: ``shown`` the procedure and the masked applicant; ``locked``
    when too many wrong checks were made for this code or from this client."""

    shown: bool
    locked: bool = False


def verify_check(request: HttpRequest, dossier: Dossier, check: str) -> Verdict:
    """The QR secret (72 random bits) opens the dossier whatever the limits, so nobody can
    block the applicant's own link. Four digits can be guessed: every such attempt is counted
    first, per code and per client, and once either count is used up none is believed, right
    or wrong (counting before checking, so parallel guesses cannot slip past the limit)."""
    check = check.strip()
    if not check:
        return Verdict(shown=False)
    if _same(dossier.lookup_secret, check):
        return Verdict(shown=True)
    if not (check.isascii() and check.isdigit() and len(check) == 4):
        return Verdict(shown=False)
    within_code = CHECKS_PER_CODE.hit(dossier.code)
    within_client = CHECKS_PER_CLIENT.hit(client_bucket(request))
    if not (within_code and within_client):
        return Verdict(shown=False, locked=True)
    return Verdict(shown=four_digits_match(dossier, check))


def over_rate_limit(request: HttpRequest) -> bool:
    """Count one lookup for the client; True when it is over the minute's limit."""
    return not LOOKUPS.hit(client_bucket(request))
