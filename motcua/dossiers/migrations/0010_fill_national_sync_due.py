"""Dossiers received before the national sync existed count as due to sync on their reception
day, as those received since do (docs/national-portal.md "The sync rate"): without them,
``recount_counters`` would flag every past day and the first month's rate would read high."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import Count
from django.db.models.functions import TruncDate

BATCH = 5000


def fill(apps: Any, schema_editor: Any) -> None:
    dossier = apps.get_model("dossiers", "Dossier")
    counter = apps.get_model("dossiers", "NationalSyncCounter")
    rows = (
        dossier.objects.filter(received_at__isnull=False)
        .annotate(day=TruncDate("received_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .order_by()
        .values("day", "unit_id", "competent_agency_id")
        .annotate(due=Count("pk"))
    )
    batch = []
    for row in rows.iterator():
        batch.append(
            counter(
                day=row["day"],
                unit_id=row["unit_id"],
                agency_id=row["competent_agency_id"],
                due=row["due"],
            )
        )
        if len(batch) >= BATCH:
            counter.objects.bulk_create(batch)
            batch = []
    counter.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0009_national_state_accepted_index")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
