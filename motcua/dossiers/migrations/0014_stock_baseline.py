"""Dossiers in progress when the stock's moves began to be counted get their baseline, and
the moves of entering the stock that day (docs/rules/indicators.md "The stock at a period's
end"): without them their next event would take back what was never added."""

from collections import Counter, defaultdict
from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

from motcua.dossiers.stock import NOWHERE, moves, standing

ACTIVE = ("received", "in_progress", "supplement_requested", "awaiting_payment")


def baseline(apps: Any, schema_editor: Any) -> None:
    dossier = apps.get_model("dossiers", "Dossier")
    event = apps.get_model("dossiers", "DossierEvent")
    kept = apps.get_model("dossiers", "StockBaseline")
    zone = timezone.get_default_timezone()
    today = timezone.localdate()
    noted = event.objects.filter(data__stock__isnull=False).values("dossier_id")
    tables = {
        "daily": (apps.get_model("dossiers", "DailyCounter"), "day"),
        "month": (apps.get_model("dossiers", "MonthCounter"), "month"),
    }
    rollups = {
        "agency_day": (apps.get_model("dossiers", "AgencyDayCounter"), "day"),
        "agency_month": (apps.get_model("dossiers", "AgencyMonthCounter"), "month"),
    }
    changes: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    rows = []
    for row in (
        dossier.objects.filter(status__in=ACTIVE)
        .exclude(pk__in=noted)
        .values(
            "pk", "status", "due_at", "paused_at", "finished_at", "apologised",
            "unit_id", "competent_agency_id", "procedure_id",
        )
        .iterator()
    ):  # fmt: skip
        now = standing(
            row["status"], row["due_at"], row["paused_at"], zone,
            finished=row["finished_at"] is not None, apologised=row["apologised"],
        )  # fmt: skip
        if not now.in_progress:
            continue
        rows.append(kept(dossier_id=row["pk"], standing=now.encode(), day=today))
        for day, name, sign in moves(NOWHERE, now, today):
            key = (day, row["unit_id"], row["competent_agency_id"], row["procedure_id"])
            changes[key][name] += sign
    kept.objects.bulk_create(rows, batch_size=5000)
    for (day, unit, agency, procedure), deltas in changes.items():
        month = day.replace(day=1)
        for model, column in tables.values():
            _add(model, {column: day if column == "day" else month, "unit_id": unit,
                         "agency_id": agency, "procedure_id": procedure}, deltas)  # fmt: skip
        for model, column in rollups.values():
            _add(model, {column: day if column == "day" else month, "agency_id": agency}, deltas)


def _add(model: Any, key: dict[str, Any], deltas: Counter[str]) -> None:
    found, _created = model.objects.get_or_create(**key)
    model.objects.filter(pk=found.pk).update(**{f: F(f) + n for f, n in deltas.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0013_step_time_counters"),
    ]

    operations = [
        migrations.CreateModel(
            name="StockBaseline",
            fields=[
                (
                    "dossier",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="dossiers.dossier",
                    ),
                ),
                ("standing", models.CharField(max_length=24)),
                ("day", models.DateField()),
            ],
            options={
                "verbose_name": "vị trí ban đầu trong số hồ sơ đang giải quyết",
                "verbose_name_plural": "vị trí ban đầu trong số hồ sơ đang giải quyết",
            },
        ),
        migrations.RunPython(baseline, migrations.RunPython.noop),
    ]
