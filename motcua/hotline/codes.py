"""Ticket codes: ``1022-{yyMMdd}-{daily sequence}``.

The sequence restarts each day and never repeats, also under concurrent intake: the counter
row is updated conditionally inside the caller's transaction, which holds it until commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from motcua.hotline.models import TicketSequence


def next_code(day: dt.date) -> str:
    if not TicketSequence.objects.filter(day=day).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TicketSequence.objects.create(day=day, last=1)
        except IntegrityError:
            TicketSequence.objects.filter(day=day).update(last=F("last") + 1)
    last = TicketSequence.objects.get(day=day).last
    return f"1022-{day:%y%m%d}-{last:04d}"
