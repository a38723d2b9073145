"""A process that serves requests builds the search index and trains the routing model as it
starts (config/startup.py), on threads of their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from config.startup import warm_up
from motcua.catalog.search import store
from motcua.hotline import routing

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def new_process(monkeypatch: Any) -> Iterator[None]:
    store.forget()
    routing.forget()
    monkeypatch.setattr(routing, "_shared", lambda key: None)
    yield
    store.forget()
    routing.forget()


def test_warm_up_builds_the_index_and_trains_the_model(monkeypatch: Any):
    for thread in warm_up():
        thread.join(60)
        assert not thread.is_alive()

    def no_building(*args: Any) -> None:
        raise AssertionError("built on the request path although warmed up")

    monkeypatch.setattr(store, "build_index", no_building)
    monkeypatch.setattr(routing.training, "build", no_building)
    assert store.current_index() is not None
    assert routing.suggest("đăng ký khai sinh cho con")[0].agency_name
