"""Shared test set-up: the demo province is seeded once per test session.

Every test runs inside a transaction that is rolled back, so tests may change the demo freely.
Personas: ``clerk_binh`` receives at the provincial centre, ``specialist_chi`` works at the
Department of Justice, ``admin_anh`` administers the system.

``make test`` runs the suite on one process per core (pytest-xdist): each has its own test
database and here its own Redis database. What keeps it fast: docs/decisions/tests.md "Speed".
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client, override_settings

pytest_plugins = [
    "motcua.dossiers.tests.fixtures",
    "motcua.dossiers.tests.national",
    "motcua.hotline.tests.fixtures",
    "motcua.appointments.tests.queue_fixtures",
    "motcua.devtools.signing.fixtures",
]

DEMO_TODAY = dt.date(2026, 11, 25)


class OneRoundPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """The production hasher with one round instead of a million: a sign-in in a test costs
    microseconds instead of a third of a second, and a stored hash still reads
    ``pbkdf2_sha256$…``."""

    iterations = 1


def pytest_configure(config: pytest.Config) -> None:
    overrides: dict[str, Any] = {
        "PASSWORD_HASHERS": [f"{__name__}.{OneRoundPBKDF2PasswordHasher.__name__}"],
        # Tests read the primary even with DATABASE_REPLICA_URL set: a test may only query
        # the databases it declares. motcua/core/tests/test_replica.py turns the routing on.
        "READ_REPLICA": "",
    }
    overrides.update(_worker_redis())
    override_settings(**overrides).enable()


def _worker_redis() -> dict[str, Any]:
    """Under pytest-xdist, worker N uses Redis database (REDIS_URL's − N): ``cache.clear()``
    empties a whole database, so workers sharing one would clear each other's rate limits and
    queued jobs."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", …
    if not settings.REDIS_URL or not worker.startswith("gw"):
        return {}
    parts = urlsplit(settings.REDIS_URL)
    number = parts.path.strip("/") or "0"
    index = int(worker[2:])
    if not number.isdigit() or int(number) < index:
        raise pytest.UsageError(
            f"REDIS_URL={settings.REDIS_URL}: end it with a database number of at least "
            f"{index} (worker {worker} counts down from it), e.g. redis://127.0.0.1:6379/15"
        )
    url = urlunsplit(parts._replace(path=f"/{int(number) - index}"))

    def moved(config: dict[str, Any], key: str) -> dict[str, Any]:
        return {**config, key: url} if config.get(key) == settings.REDIS_URL else config

    return {
        "REDIS_URL": url,
        "CACHES": {name: moved(c, "LOCATION") for name, c in settings.CACHES.items()},
        "RQ_QUEUES": {name: moved(q, "URL") for name, q in settings.RQ_QUEUES.items()},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from motcua.demo.seed import seed_demo

    with django_db_blocker.unblock():
        seed_demo(today=DEMO_TODAY)


class DemoCopy:
    """The rows of the seeded demo, copied once and written back after Django has emptied the
    database behind a committing test: a second, where seeding again (the whole national
    catalogue) takes most of a minute."""

    def __init__(self) -> None:
        self.tables: list[tuple[str, list[str], list[tuple[Any, ...]]]] | None = None

    def take(self) -> None:
        from django.db import connection

        tables = []
        with connection.cursor() as cursor:
            for table in sorted(connection.introspection.django_table_names(only_existing=True)):
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                rows = cursor.fetchall()
                if rows:
                    tables.append((table, [c[0] for c in cursor.description], rows))
        self.tables = tables

    def restore(self) -> None:
        """Write the copy back. The flush left only the content types and permissions that
        ``post_migrate`` recreates under new ids; they are replaced by the seeded ones."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction

        assert self.tables is not None
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for table, columns, rows in self.tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
                names = ", ".join(quote(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                insert = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, rows)
        ContentType.objects.clear_cache()


_demo = DemoCopy()


@pytest.fixture(autouse=True)
def _fresh_reference_caches() -> None:
    """Each test starts with empty per-process reference caches: a test that bulk-writes
    reference rows (no save signal, no stamp touched) must not leave them cached for the next,
    nor find the previous test's rolled-back rows (core/reference.py)."""
    from motcua.core.reference import clear_caches

    clear_caches()


@pytest.fixture(autouse=True)
def _site_language() -> None:
    """Each test starts in the site's language (Vietnamese): a request with another
    ``Accept-Language`` leaves its language active in the thread, and a command called later
    in the same process would print in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _demo_for_committing_tests(request: pytest.FixtureRequest) -> None:
    """Before a committing test (``transaction=True``): the demo as seeded. The first one in
    a process finds it (every earlier test rolled back) and it is copied; later ones find
    the database emptied by the flush after the previous one, and get the copy back."""
    if not _commits(request):
        return
    request.getfixturevalue("transactional_db")
    from motcua.org.models import Desk

    if Desk.objects.exists():
        if _demo.tables is None:
            _demo.take()
    else:
        _demo.restore()


def _commits(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture
def clerk_binh(db: Any) -> Any:
    return get_user_model().objects.get(username="tiepnhan")


@pytest.fixture
def admin_anh(db: Any) -> Any:
    return get_user_model().objects.get(username="quantri")


@pytest.fixture
def api(db: Any) -> Client:
    return Client()


@pytest.fixture
def specialist_chi(db: Any) -> Any:
    return get_user_model().objects.get(username="chuyenvien")
