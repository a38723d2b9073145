"""What an input may hold, stated where it is read: no request may reach the database with
something it cannot store (docs/security.md "Bad input").

PostgreSQL text cannot hold NUL, and UTF-8 cannot hold a lone surrogate (JSON's ``"\\ud800"``
decodes to one); integers stop at 2^63 − 1; dates at what the working calendar can count.
The API's input schemas derive from ``Input``, which refuses such text in every field, and
their fields state the limits of the columns they end in (``max_length``, ``Id``, ``Money``,
``Moment``), so a bad value is a 400/422 in the API's error envelope, never a 500.
``RefuseNul`` does the same for every path, query string and form field of every request,
and drops cookies that hold such text (it runs before the session middleware reads them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field, model_validator

MAX_BIGINT = 2**63 - 1
# The largest amount of money an input may carry (a trillion đồng): far above any fee, far
# below what sums of it could overflow.
MAX_VND = 10**12
# Moments the working calendar and the dossier codes (two-digit years) can count with.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)

# NUL and the lone surrogates; other control characters are harmless to store.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> bool:
    return _UNSTORABLE.search(text) is None


def parse_id(text: object) -> int | None:
    """A row id typed or sent as text: ASCII digits within 1..2^63 − 1, else None ("²" is a
    digit to ``str.isdigit`` but not to ``int``, and 10^30 is no id)."""
    raw = str(text).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_BIGINT else None


FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)


def day_in_range(day: dt.date) -> bool:
    """A day the working calendar can count with (years 2000–2099, docs/security.md): the
    day before and after it exist, so ``day ± 1 day`` and midnight in any zone never
    overflow."""
    return FIRST_DAY <= day <= LAST_DAY


def validate_day(day: dt.date) -> None:
    """A form field's validator for ``day_in_range`` (``validators=[validate_day]``)."""
    if not day_in_range(day):
        raise ValidationError(_("Ngày phải trong khoảng năm 2000 đến 2099."), code="day_range")


def parse_day(text: object) -> dt.date | None:
    """A day typed or sent as text: ``yyyy-mm-dd`` (a date input, a link's ``?ngay=``) or
    ``dd/mm/yyyy``, within 2000–2099; else None ("9999-12-31" would overflow the day after
    it, "0001-01-01" the day before)."""
    raw = str(text).strip()[:10]
    if not raw.isascii():
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a day, no time)
        except ValueError:
            continue
        return day if day_in_range(day) else None
    return None


def strip_unstorable(text: str) -> str:
    """The text without what the database cannot hold (for messages we must accept as they
    come, such as a platform's webhook)."""
    return _UNSTORABLE.sub("", text)


def _check_moment(value: dt.datetime) -> dt.datetime:
    aware = timezone.make_aware(value) if timezone.is_naive(value) else value
    # Compared as instants: converting a year-1 moment to another zone would overflow.
    if not EARLIEST <= aware < LATEST:
        raise ValueError("phải trong khoảng năm 2000 đến 2099")
    return aware


Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
Money = Annotated[int, Field(ge=0, le=MAX_VND)]
Moment = Annotated[dt.datetime, AfterValidator(_check_moment)]


def _walk(value: Any) -> bool:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return all(_walk(k) and _walk(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return all(_walk(v) for v in value)
    return True


class Input(Schema):
    """The base of every API input: no field, however deep, holds text the database
    refuses."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        raw = data
        # django-ninja hands a resolver object for query/path params; bodies are dicts.
        if hasattr(data, "_obj"):
            raw = data._obj
        if isinstance(raw, dict) and not _walk(raw):
            raise ValueError("chứa ký tự không hợp lệ (NUL)")
        return data


Handler = Callable[[HttpRequest], HttpResponse]
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
SELF_CHECKED = ("/open311/",)


class RefuseNul:
    """A NUL (or a broken UTF-8 sequence decoded to a lone surrogate) in the path, the query
    string or a form field is refused with 400 before any view runs: no view can be made to
    pass it to the database. JSON bodies are the API schemas' business (``Input``); raw
    bodies the views that read them (webhooks strip what they cannot store)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A cookie the database cannot hold (a session key "abc\000x") is dropped, as a
        # browser that sent a broken cookie is still welcome: it is simply not signed in.
        for name, value in list(request.COOKIES.items()):
            if not (storable(name) and storable(value)):
                del request.COOKIES[name]
        # Open311 refuses NUL itself, in the error format its clients parse (JSON or XML).
        if not request.path.startswith(SELF_CHECKED) and not self._clean(request):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    b'{"error": {"code": "bad_request", "message": "'
                    + "Dữ liệu gửi lên chứa ký tự không hợp lệ.".encode()
                    + b'", "details": {}}}',
                    status=400,
                    content_type="application/json",
                )
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)

    @staticmethod
    def _clean(request: HttpRequest) -> bool:
        if not storable(request.path) or not storable(request.META.get("QUERY_STRING", "")):
            return False
        if not all(storable(k) and all(storable(v) for v in vs) for k, vs in request.GET.lists()):
            return False
        # The API reads JSON through its schemas (``Input``), never form fields.
        if request.path.startswith("/api/"):
            return True
        if request.method == "POST" and request.content_type in FORM_TYPES:
            # A body Django cannot parse raises here as it would in the view (a 400).
            fields = request.POST.lists()
            return all(storable(k) and all(storable(v) for v in vs) for k, vs in fields)
        return True
