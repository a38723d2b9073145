"""The lookup and the reports read from the replica; everything else from the primary
(motcua/core/replica.py, docs/scaling.md "Read replicas")."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from motcua.core.replica import ReplicaRouter, reading_from_replica, replica_reads
from motcua.dossiers.models import Dossier

router = ReplicaRouter()


def test_marked_reads_go_to_the_replica_and_writes_never(settings: Any) -> None:
    settings.READ_REPLICA = "replica"
    assert router.db_for_read(Dossier) is None
    with replica_reads():
        assert router.db_for_read(Dossier) == "replica"
        assert router.db_for_write(Dossier) is None
        # Who is signed in is read where it was written.
        assert router.db_for_read(Session) is None
        assert router.db_for_read(get_user_model()) is None
    assert router.db_for_read(Dossier) is None
    assert not router.allow_migrate("replica", "dossiers")
    assert router.allow_migrate("default", "dossiers")


def test_without_a_replica_everything_reads_the_primary(settings: Any) -> None:
    settings.READ_REPLICA = ""
    with replica_reads():
        assert router.db_for_read(Dossier) is None


@pytest.fixture
def routed(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """The models read in requests and where the router sent them; the "replica" is the
    default database under another name here."""
    settings.READ_REPLICA = "default"
    seen: list[tuple[str, str | None]] = []
    original = ReplicaRouter.db_for_read

    def spy(self: ReplicaRouter, model: type[Any], **hints: Any) -> str | None:
        alias = original(self, model, **hints)
        seen.append((model._meta.label, alias))
        return alias

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    return seen


@pytest.mark.django_db
def test_the_public_lookup_reads_from_the_replica(client: Any, received: Any, routed: Any) -> None:
    dossier = received()
    response = client.get(f"/tra-cuu/{dossier.code}/")
    assert response.status_code == 200
    assert ("dossiers.Dossier", "default") in routed
    assert not reading_from_replica()  # the mark ends with the request


@pytest.mark.django_db
def test_other_pages_and_posts_read_from_the_primary(
    client: Any, received: Any, routed: Any
) -> None:
    dossier = received()
    routed.clear()
    client.get("/thu-tuc/")
    client.post(f"/tra-cuu/{dossier.code}/", {"kiem_tra": "0000"})
    assert ("dossiers.Dossier", None) in routed
    assert all(alias is None for _model, alias in routed)


@pytest.mark.django_db
def test_the_reference_caches_load_from_the_primary(settings: Any) -> None:
    """A cache outlives the request: it must not keep a replica's possibly older rows."""
    from motcua.core.reference import ProcessCache

    settings.READ_REPLICA = "replica"
    cache: ProcessCache[str, str] = ProcessCache("replica-test")
    with replica_reads():
        assert reading_from_replica()
        where = cache.get("key", lambda: "replica" if reading_from_replica() else "primary")
        assert reading_from_replica()  # the request's own reads keep going to the replica
    assert where == "primary"
