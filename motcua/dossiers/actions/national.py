"""The operator's part in the sync with the National Public Service Portal: sending failed
changes again ("Gửi lại" on the sync screen; docs/decisions/outbox.md).

A change fails when the portal refused the dossier's data or its attempts ran out; once the
cause is dealt with (the data corrected, the portal back), an administrator gives it a fresh
round of attempts. Nothing is sent from here (docs/architecture.md rule 7): the rows go back
to pending and the sync worker, which polls, sends them in their dossier's order with the
rest.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import QuerySet

from motcua.core.actions import User
from motcua.dossiers.models import NationalSyncChange
from motcua.dossiers.national.worker import CHANGES
from motcua.dossiers.permissions import authorise_national_sync

logger = logging.getLogger(__name__)


@transaction.atomic
def resend_national_changes(*, officer: User, changes: QuerySet[NationalSyncChange]) -> list[int]:
    """Put the failed changes among ``changes`` back in the queue with their attempts reset;
    the ids of those put back. Changes sent, covered by a later send, or still in flight are
    left alone, so nothing goes out twice because of this (two administrators pressing at
    once put each change back once). Only an administrator may (``authorise_national_sync``,
    403 otherwise, and nothing is changed)."""
    authorise_national_sync(officer)
    ids = CHANGES.reset_failed(changes)
    if ids:
        logger.info(
            "national sync: user %s put %s failed changes back in the queue",
            getattr(officer, "pk", None),
            len(ids),
        )
    return ids
