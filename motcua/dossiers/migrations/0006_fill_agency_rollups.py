"""Fill the agency rollups from the day counters a province already keeps, so its reports stay
right across the upgrade (docs/rules/indicators.md "Rollups")."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import DateField, F, Sum
from django.db.models.functions import Cast, TruncMonth

FIELDS = (
    "received_direct",
    "received_online",
    "received_postal",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "returned",
    "refused",
    "withdrawn",
    "stopped",
    "rated_very_satisfied",
    "rated_satisfied",
    "rated_not_satisfied",
)
BATCH = 5_000


def fill(apps: Any, schema_editor: Any) -> None:
    daily = apps.get_model("dossiers", "DailyCounter").objects.order_by()
    sums = {field: Sum(field) for field in FIELDS}
    for model_name, period, grain in (
        ("AgencyDayCounter", "day", F("day")),
        ("AgencyMonthCounter", "month", Cast(TruncMonth("day"), DateField())),
    ):
        model = apps.get_model("dossiers", model_name)
        rows = daily.annotate(period=grain).values("period", "agency_id").annotate(**sums)
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            values = {field: row[field] or 0 for field in FIELDS}
            batch.append(model(**{period: row["period"]}, agency_id=row["agency_id"], **values))
            if len(batch) == BATCH:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)


def empty(apps: Any, schema_editor: Any) -> None:
    for model_name in ("AgencyDayCounter", "AgencyMonthCounter"):
        apps.get_model("dossiers", model_name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_agency_rollups")]

    operations = [migrations.RunPython(fill, empty)]
