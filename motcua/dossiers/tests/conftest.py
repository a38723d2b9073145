"""The dossier helpers live in fixtures.py (a plugin of the root conftest); re-exported here
for tests that import them by this name."""

from motcua.dossiers.tests.fixtures import (
    TZ,
    application,
    at,
    clock,
    holder,
    leader_of,
    make_user,
    member,
    ready,
    receptionist,
    returned,
    to_deciding_step,
)

__all__ = [
    "TZ",
    "application",
    "at",
    "clock",
    "holder",
    "leader_of",
    "make_user",
    "member",
    "ready",
    "receptionist",
    "returned",
    "to_deciding_step",
]
