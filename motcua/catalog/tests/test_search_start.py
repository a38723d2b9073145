"""The search index of a process that serves citizens is built off the request path
(docs/decisions/search.md "Start-up"): the database answers until it is ready, and a catalogue
change is picked up by a rebuild on the index's own thread. Committing tests: the index's thread
reads what the test wrote."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.queries import search_procedures
from motcua.catalog.search import store
from motcua.catalog.search.plain import plain_search

pytestmark = pytest.mark.django_db(transaction=True)

BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh
WAIT = 30  # seconds a test waits for the index's thread at most


@pytest.fixture(autouse=True)
def new_process() -> Iterator[None]:
    store.forget()
    yield
    store.forget()


@pytest.fixture
def slow_build(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The index build waits until the test sets the returned event."""
    release = threading.Event()
    build = store.build_index

    def waiting_build(rows):  # type: ignore[no-untyped-def]
        release.wait(WAIT)
        return build(rows)

    monkeypatch.setattr(store, "build_index", waiting_build)
    return release


def found(q: str) -> list[str]:
    return [procedure.code for procedure in search_procedures(q=q)]


def test_a_search_while_the_index_is_built_is_answered_by_the_database(slow_build):
    builder = store.build_in_background()
    assert BIRTH in found("đăng ký khai sinh")[:5]
    assert builder.is_alive()  # the search above did not wait for it

    slow_build.set()
    builder.join(WAIT)
    assert store.current_index() is not None
    assert found("lam giay khai sinh cho con")[0] == BIRTH  # typos and everyday words: the index


def test_a_catalogue_change_is_rebuilt_off_the_request_path(slow_build):
    slow_build.set()
    store.build_in_background().join(WAIT)
    before = store.current_index()
    procedure = Procedure.objects.get(code=BIRTH)
    procedure.name = "Đăng ký nuôi chim yến"
    procedure.save()

    slow_build.clear()
    assert store.current_index() is before  # the previous index answers meanwhile
    slow_build.set()
    store.build_in_background().join(WAIT)
    assert found("nuôi chim yến")[0] == BIRTH


def test_the_plain_search_ranks_by_the_words_found():
    hits = plain_search("Đăng ký khai sinh")
    assert hits[0].score == 1.0
    assert BIRTH in [hit.code for hit in hits if hit.score == 1.0]
    assert plain_search("qwzx vbnm") == []
