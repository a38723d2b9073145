"""Appointments' history (docs/appointments.md "History"): an append-only event per state
change; on PostgreSQL a trigger refuses UPDATE and DELETE (core/append_only.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from motcua.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_home_visits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AppointmentEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40, verbose_name="hành động")),
                ("at", models.DateTimeField(verbose_name="lúc")),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="nội dung")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người thực hiện",
                    ),
                ),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="appointments.appointment",
                        verbose_name="lịch hẹn",
                    ),
                ),
            ],
            options={
                "verbose_name": "nhật ký lịch hẹn",
                "verbose_name_plural": "nhật ký lịch hẹn",
                "ordering": ["appointment", "id"],
            },
        ),
        append_only("appointments_appointmentevent"),
    ]
