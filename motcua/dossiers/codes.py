"""Dossier codes: ``{agency identifier}-{yyMMdd}-{daily sequence}`` (docs/rules/statuses.md
"Dossier codes").

The sequence restarts each day per agency and never repeats, also under concurrent
reception: the counter row is incremented with a conditional UPDATE inside the caller's
transaction, which holds the row until commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from motcua.dossiers.models import DailySequence
from motcua.org.models import Agency


def next_code(agency: Agency, day: dt.date) -> str:
    if not DailySequence.objects.filter(agency=agency, day=day).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DailySequence.objects.create(agency=agency, day=day, last=1)
        except IntegrityError:
            # Another reception created today's row first; take the next number after it.
            DailySequence.objects.filter(agency=agency, day=day).update(last=F("last") + 1)
    last = DailySequence.objects.get(agency=agency, day=day).last
    return f"{agency.code}-{day:%y%m%d}-{last:04d}"
