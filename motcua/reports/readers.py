"""Who reads a report that leaders read for their own agencies (docs/security.md "Nobody sees
or changes what is not theirs"): the roles that read the whole province, else the agencies a
user leads."""

from __future__ import annotations

from collections.abc import Collection

from motcua.org.models import Membership, Role


class NotReaderError(Exception):
    """The user reads none of these reports."""


def reader_agencies(user: object, read_all: Collection[str]) -> set[int] | None:
    """The agencies whose figures ``user`` may read: None for all (one of the ``read_all``
    roles), else the agencies they lead; NotReaderError for anyone else."""
    user_id = getattr(user, "pk", None)
    if not isinstance(user_id, int):
        raise NotReaderError
    memberships = list(
        Membership.objects.active()
        .filter(user_id=user_id, role__in=[*read_all, Role.LEADER])
        .values_list("role", "agency_id")
    )
    if any(role in read_all for role, _agency in memberships):
        return None
    led = {agency for role, agency in memberships if role == Role.LEADER}
    if not led:
        raise NotReaderError
    return led
