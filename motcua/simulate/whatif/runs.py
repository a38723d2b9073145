"""A what-if asked for and computed in the background (docs/simulate.md "What-if of a
reform"): ``start_what_if`` records the request and queues ``run_what_if`` on commit; the
task claims the row, computes in memory and stores the figures or the error."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from motcua.core.actions import User
from motcua.simulate.models import WhatIfRun, WhatIfStatus
from motcua.simulate.whatif import Reform, what_if

log = logging.getLogger(__name__)


def start_what_if(
    *,
    reform: Reform,
    user: User | None,
    subject: str,
    proposal_id: int | None = None,
) -> WhatIfRun:
    """Record the what-if of ``reform`` asked by ``user`` and queue its computation once the
    caller's transaction commits. ``ValueError`` for values no proposal can have, before
    anything is written."""
    reform.validate()
    with transaction.atomic():
        run = WhatIfRun.objects.create(
            requested_by=user if user is not None and user.pk else None,
            subject=subject[:500],
            proposal_id=proposal_id,
            reform=reform.to_json(),
        )
        transaction.on_commit(partial(run_what_if.enqueue, run.pk), robust=True)
    return run


@task()
def run_what_if(run_id: int) -> str:
    """Compute one queued what-if and store it. Idempotent: only a queued run is claimed
    (a conditional update), so a second delivery of the task does nothing."""
    claimed = WhatIfRun.objects.filter(pk=run_id, status=WhatIfStatus.QUEUED).update(
        status=WhatIfStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    run = WhatIfRun.objects.get(pk=run_id)
    try:
        result = what_if(Reform.from_json(run.reform)).to_json()
    except Exception as exc:  # stored for the person who asked; the worker goes on
        log.exception("what-if %s failed", run_id)
        # A refusal of the inputs is said in Vietnamese by ``what_if``; anything else is a
        # fault whose details stay in the log.
        reason = (
            str(exc)
            if isinstance(exc, ValueError)
            else "Lỗi khi tính toán; bộ phận quản trị đã được ghi nhận chi tiết trong nhật ký."
        )
        WhatIfRun.objects.filter(pk=run_id).update(
            status=WhatIfStatus.FAILED, error=reason[:2000], finished_at=timezone.now()
        )
        return WhatIfStatus.FAILED
    WhatIfRun.objects.filter(pk=run_id).update(
        status=WhatIfStatus.DONE, result=result, finished_at=timezone.now()
    )
    return WhatIfStatus.DONE
