"""The dossier helpers live in fixtures.py (a plugin of the root conftest); re-exported here
for tests that import them by this name."""

from motcua.dossiers.tests.fixtures import TZ, application, at, clock, make_user

__all__ = ["TZ", "application", "at", "clock", "make_user"]
