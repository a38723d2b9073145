"""Every form of the product, filled by hypothesis with what breaks careless code: NUL, lone
surrogates (sent as the raw bytes a broken client would send), right-to-left marks,
10,000-character strings, numbers past 2^63, dates in year 1 and 9999. No answer may be a 5xx
(docs/security.md "Bad input").

The forms are not listed here: each page below is fetched as the persona who uses it, and
every form on it (its fields, its ``action`` or ``hx-post``) is read from the HTML, so a field
added to a form is fuzzed the day it is added. Each request runs in a savepoint that is rolled
back, so one example's dossier does not change what the next one finds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes, urljoin

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.access.world import World, build
from tests.fuzz.examples import PER_FORM

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

RTL = "\u202e\u200f\u061c"
NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from("aăâ\x00\u0000đ0123456789 \n" + RTL), max_size=60),
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=10), st.text(max_size=10)),
    st.builds(lambda a: f"{a}\ud800x\udfff", st.text(max_size=10)),
    st.sampled_from(["", " ", "0", "-1", "99999999999999999999999", "9" * 40, "1e309", "NaN"]),
    st.sampled_from(["01/01/0001", "31/12/9999", "9999-12-31T23:59:59+07:00", "0001-01-01"]),
    st.just("Đơn đề nghị " * 1000),  # 13,000 characters
    st.just("x" * 10_000),
)


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → options ([] = free)


class _FormReader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or self.page
            method = "post" if a.get("hx-post") else (a.get("method") or "get").lower()
            self._form = Form(
                urljoin(self.page, action), method, a.get("enctype") == "multipart/form-data"
            )
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "textarea", "select", "button"}:
            name = a.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            options = self._form.fields.setdefault(name, [])
            fixed = tag == "input" and a.get("type") in {"hidden", "radio", "checkbox", "submit"}
            if fixed or (tag == "button" and a.get("value")):
                options.append(a.get("value", ""))
            elif tag == "input" and a.get("type") == "file":
                options.append("<file>")
            if tag == "select":
                self._select = name
        elif tag == "option" and self._form is not None and self._select:
            self._form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(client: Client, page: str) -> list[Form]:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    reader = _FormReader(page)
    reader.feed(response.content.decode())
    return [f for f in reader.forms if f.method == "post" and f.fields]


def _encode(value: str) -> bytes:
    # A lone surrogate cannot be UTF-8: send the bytes a broken client would (CESU-8).
    return value.encode("utf-8", "surrogatepass")


def urlencoded(data: dict[str, str]) -> bytes:
    return b"&".join(
        quote_from_bytes(_encode(k)).encode() + b"=" + quote_from_bytes(_encode(v)).encode()
        for k, v in data.items()
    )


def multipart(data: dict[str, str], files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = "fuzz-boundary-7a3b"
    parts = []
    for name, value in data.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + _encode(value)
            + b"\r\n"
        )
    for name, content in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="t\u1ec7p.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class _RollbackError(Exception):
    pass


def post(client: Client, form: Form, values: dict[str, str], files: dict[str, bytes]) -> int:
    cache.clear()
    try:
        with transaction.atomic():
            if form.multipart:
                body, content_type = multipart(values, files)
            else:
                body, content_type = urlencoded(values), "application/x-www-form-urlencoded"
            response = client.generic(
                "POST", form.action, body, content_type, HTTP_HX_REQUEST="true"
            )
            raise _RollbackError(response.status_code)
    except _RollbackError as done:
        return int(done.args[0])


@st.composite
def filled(draw: Callable[..., Any], form: Form) -> tuple[dict[str, str], dict[str, bytes]]:
    values: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for name, options in form.fields.items():
        if "<file>" in options:
            if draw(st.booleans()):
                files[name] = draw(st.binary(max_size=200)) or b"%PDF-1.4\n<html>"
            continue
        choices = [o for o in options if o]
        if choices and draw(st.booleans()):
            values[name] = draw(st.sampled_from(choices))
        elif draw(st.integers(0, 5)):  # sometimes a field is left out altogether
            values[name] = draw(NASTY_TEXT)
    return values, files


# (persona, page): the pages whose forms the persona fills in.
PAGES: tuple[tuple[str, Callable[[World], str]], ...] = (
    ("anonymous", lambda w: "/dang-nhap/"),
    ("anonymous", lambda w: "/tai-khoan/dang-ky/"),
    ("anonymous", lambda w: "/tai-khoan/dang-nhap/"),
    ("anonymous", lambda w: "/phan-anh/"),
    ("anonymous", lambda w: f"/tra-cuu/{w.in_progress.code}/"),
    ("citizen_a", lambda w: "/thu-tuc/1.000426/nop/"),
    ("citizen_a", lambda w: f"/ho-so-cua-toi/{w.returned.code}/"),
    ("citizen_a", lambda w: f"/ho-so-cua-toi/{w.returned.code}/danh-gia/"),
    ("citizen_a", lambda w: "/tai-khoan/ho-so/"),
    ("desk_1", lambda w: "/ho-so/tiep-nhan/?thu_tuc=1.000426"),
    ("desk_1", lambda w: "/ho-so/tim/"),
    ("desk_1", lambda w: f"/ho-so/{w.returned.code}/"),
    ("specialist_a", lambda w: f"/ho-so/{w.in_progress.code}/"),
    ("leader_a", lambda w: f"/ho-so/{w.in_progress.code}/"),
    ("operator", lambda w: "/tong-dai/goi-dien/"),
    ("operator", lambda w: f"/tong-dai/{w.ticket.code}/"),
    ("operator", lambda w: "/doi-thoai/moi/"),
    ("leader_a", lambda w: f"/doi-thoai/{w.session_pk}/"),
)


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> Iterator[World]:
    settings.MEDIA_ROOT = tmp_path / "media"
    yield build()
    cache.clear()


@pytest.mark.parametrize(("persona", "page"), PAGES, ids=[f"{p}" for p, _ in PAGES])
def test_no_form_answers_5xx(world: World, persona: str, page: Callable[[World], str]) -> None:
    client = world.client(persona)
    forms = forms_on(client, page(world))
    assert forms, f"no form to fill on {page(world)}"
    failures: list[str] = []
    for form in forms:
        fuzz(client, form, failures)()
    assert failures == []


def fuzz(client: Client, form: Form, failures: list[str]) -> Callable[[], None]:
    """A hypothesis test that fills ``form`` and records any 5xx."""

    @given(filled(form))
    @PER_FORM
    def fill(example: tuple[dict[str, str], dict[str, bytes]]) -> None:
        values, files = example
        status = post(client, form, values, files)
        if status >= 500:
            failures.append(f"{form.action} {sorted(values)} → {status}")
            raise AssertionError(failures[-1])

    return fill
