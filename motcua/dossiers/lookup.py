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

import datetime as dt
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpRequest
from django.urls import reverse

from motcua.core.clients import client_bucket
from motcua.core.ratelimit import Limit, hit_together
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus, national_code

CODE_MAX = 64  # Dossier.code

LOOKUPS = Limit("lookup", per=lambda: settings.LOOKUP_RATE_PER_MINUTE, seconds=60)
CHECKS_PER_CODE = Limit(
    "lookup-check-code", per=lambda: settings.LOOKUP_CHECKS_PER_CODE, seconds=86400
)
CHECKS_PER_CLIENT = Limit(
    "lookup-check-client", per=lambda: settings.LOOKUP_CHECKS_PER_CLIENT, seconds=3600
)


@dataclass(frozen=True)
class PublicDossier:
    """What the lookup reads of a dossier: the columns it shows, and those it checks a second
    fact against (which it never shows)."""

    code: str
    status: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    returned_at: dt.datetime | None
    procedure_name: str
    procedure_code: str
    desk_name: str
    applicant_name: str
    applicant_phone: str
    applicant_id_number: str
    lookup_secret: str

    @property
    def status_label(self) -> str:
        return str(DossierStatus(self.status).label)

    @property
    def national_status(self) -> int:
        return national_code(self.status)


COLUMNS = {
    "code": "code",
    "status": "status",
    "received_at": "received_at",
    "due_at": "due_at",
    "returned_at": "returned_at",
    "procedure_name": "procedure__name",
    "procedure_code": "procedure__code",
    "desk_name": "desk__name",
    "applicant_name": "applicant_name",
    "applicant_phone": "applicant_phone",
    "applicant_id_number": "applicant_id_number",
    "lookup_secret": "lookup_secret",
}


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


_CODE = "\x00code"  # stands for the code while the statement is compiled


@dataclass(frozen=True)
class _Statement:
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    converters: dict[int, Any]  # the ORM's conversions of the values read, by column


@cache
def _statement(alias: str) -> _Statement:
    """The lookup's SELECT, compiled by the ORM once per process: one row by the unique
    code's index, only the columns above, without the model's default ordering (a unique
    code matches one row at most). Building it for every request cost several times what
    PostgreSQL takes to answer it."""
    rows = Dossier.objects.filter(code=_CODE).order_by().values_list(*COLUMNS.values())[:1]
    compiler = rows.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    return _Statement(compiler, sql, tuple(params), converters)


def find_public(code: str) -> PublicDossier | None:
    code = code.strip()
    if not code or len(code) > CODE_MAX:
        return None
    # The router decides, as for any ORM read: a replica, when the request is marked for one.
    alias = router.db_for_read(Dossier) or DEFAULT_DB_ALIAS
    statement = _statement(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, [code if p == _CODE else p for p in statement.params])
        rows: Iterable[Sequence[Any]] = cursor.fetchmany(1)
    if statement.converters:  # e.g. SQLite's datetimes, text until converted
        rows = statement.compiler.apply_converters(rows, statement.converters)
    for row in rows:
        return PublicDossier(**dict(zip(COLUMNS, row, strict=True)))
    return None


def _last_four(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def _same(candidate: str, check: str) -> bool:
    return bool(candidate) and hmac.compare_digest(candidate.encode(), check.encode())


def four_digits_match(dossier: PublicDossier, check: str) -> bool:
    """Whether ``check`` is the last four digits of the applicant's phone or ID number."""
    phone = _same(_last_four(dossier.applicant_phone), check)
    id_number = _same(_last_four(dossier.applicant_id_number), check)
    return phone or id_number


@dataclass(frozen=True)
class Answer:
    """What a lookup may show: ``dossier`` (status and dates) when the code exists; ``shown``
    the procedure and the masked applicant too; ``locked`` when too many wrong checks were
    made for this code or from this client; ``limited`` when the client is over the minute's
    lookups (nothing is shown)."""

    dossier: PublicDossier | None
    shown: bool = False
    locked: bool = False
    limited: bool = False

    @property
    def applicant(self) -> str:
        return mask_name(self.dossier.applicant_name) if self.dossier and self.shown else ""


def _guessable(check: str) -> bool:
    return check.isascii() and check.isdigit() and len(check) == 4


def look_up(request: HttpRequest, code: str, check: str = "") -> Answer:
    """The lookup of ``code`` with the second fact ``check`` (may be empty), counted against
    the client's lookups per minute.

    The QR secret (72 random bits) opens the dossier whatever the limits, so nobody can
    block the applicant's own link. Four digits can be guessed: every such attempt is counted
    first, per code and per client, and once either count is used up none is believed, right
    or wrong (counting before checking, so parallel guesses cannot slip past the limit).

    The row is read before counting, so all the counts take one round trip to the cache
    (``hit_together``); a lookup over the limit still shows nothing, and its guess is not
    counted."""
    code, check = code.strip(), check.strip()
    dossier = find_public(code)
    client = client_bucket(request)
    opened = dossier is not None and _same(dossier.lookup_secret, check)
    guessed = dossier is not None and not opened and _guessable(check)
    guesses = ((CHECKS_PER_CODE, code), (CHECKS_PER_CLIENT, client)) if guessed else ()
    within_minute, *within_guesses = hit_together((LOOKUPS, client), *guesses)
    if not within_minute:
        return Answer(None, limited=True)
    if dossier is None or not guessed:
        return Answer(dossier, shown=opened)
    if not all(within_guesses):
        return Answer(dossier, locked=True)
    return Answer(dossier, shown=four_digits_match(dossier, check))
