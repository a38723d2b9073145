"""The routing model of a process that serves requests is trained off the request path
(config/startup.py): until it is ready, suggestions come from the catalogue search, without an
agency. Committing tests: the training thread reads what the test wrote."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from motcua.catalog.models import Sector
from motcua.hotline import routing

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 60  # seconds a test waits for the training thread at most
BIRTH_QUESTION = "cho minh hoi lam giay khai sinh cho con thi can mang gi"


@pytest.fixture(autouse=True)
def new_process(monkeypatch: Any) -> Iterator[threading.Event]:
    """A process without a model, none shared either; training waits for the returned event."""
    routing.forget()
    monkeypatch.setattr(routing, "_shared", lambda key: None)
    release = threading.Event()
    build = routing.training.build

    def waiting_build() -> routing.training.Router:
        release.wait(WAIT)
        return build()

    monkeypatch.setattr(routing.training, "build", waiting_build)
    yield release
    release.set()
    routing.forget()


def test_a_suggestion_while_the_model_trains_comes_from_the_catalogue(new_process):
    trainer = routing.train_in_background()
    early = routing.suggest(BIRTH_QUESTION)
    assert trainer.is_alive()  # the suggestion above did not wait for it
    assert early[0].sector_name == "Hộ tịch"
    assert (early[0].agency_id, early[0].agency_name) == (None, "")
    confidences = [s.confidence for s in early]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) <= 1.0

    new_process.set()
    trainer.join(WAIT)
    trained = routing.suggest(BIRTH_QUESTION)
    assert trained[0].sector_name == "Hộ tịch"
    assert trained[0].agency_name  # the model knows who answers: the commune


def test_without_background_training_the_first_suggestion_trains(new_process):
    new_process.set()
    assert routing.suggest(BIRTH_QUESTION)[0].agency_name


def test_a_catalogue_change_is_learnt_on_the_training_thread(new_process):
    new_process.set()
    routing.train_in_background().join(WAIT)
    before = routing._cached
    Sector.objects.create(name="Lĩnh vực mới")  # the catalogue's fingerprint changes

    new_process.clear()
    assert routing.suggest(BIRTH_QUESTION)[0].agency_name  # the previous model, at once
    assert routing._cached is before
    new_process.set()
    routing.train_in_background().join(WAIT)
    assert routing._cached is not before
    assert "Lĩnh vực mới" in routing._cached.router.sector_ids
