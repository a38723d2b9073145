"""Measure the first answer of every ticket already answered and fill the hotline counters from
the tickets, so a province's statistics stay right across the upgrade (docs/rules/indicators.md
"Hotline counters").

The working hours use today's calendars (the only ones known), as the statistics did before
they were kept; from now on they are measured when the answer is given."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce

from motcua.core.counters import local_day, local_month
from motcua.hotline.counters import bucket_expression
from motcua.workcalendar.hours import working_hours_between
from motcua.workcalendar.store import calendar_for

BATCH = 2_000
OPEN = ("new", "triage", "routed")


def measure_first_answers(apps: Any) -> None:
    Ticket = apps.get_model("hotline", "Ticket")
    answered = (
        Ticket.objects.filter(answered_at__isnull=False, first_answer_seconds__isnull=True)
        .order_by()
        .annotate(first=Min("messages__at", filter=Q(messages__direction="out")))
        .values_list("pk", "agency_id", "received_at", "first")
    )
    batch = []
    for pk, agency_id, received_at, first in answered.iterator(chunk_size=BATCH):
        if first is None:
            continue
        hours = working_hours_between(calendar_for(agency_id), received_at, first)
        batch.append(Ticket(pk=pk, first_answer_seconds=round(hours.total_seconds())))
        if len(batch) == BATCH:
            Ticket.objects.bulk_update(batch, ["first_answer_seconds"])
            batch = []
    Ticket.objects.bulk_update(batch, ["first_answer_seconds"])


def fill_counters(apps: Any) -> None:
    Ticket = apps.get_model("hotline", "Ticket")
    counted = Ticket.objects.exclude(status="merged").order_by()
    waiting = Q(status__in=OPEN, outcome="")
    overdue = Q(deadline_flag="overdue")
    figures = {
        "received": Count("pk"),
        "answered_on_time": Count("pk", filter=Q(outcome="on_time")),
        "answered_late": Count("pk", filter=Q(outcome="late")),
        "open_within": Count("pk", filter=waiting & ~overdue),
        "open_overdue": Count("pk", filter=waiting & overdue),
        "escalated": Count("pk", filter=Q(escalation_level__gt=0)),
        "rated": Count("rating"),
        "rating_sum": Coalesce(Sum("rating"), 0),
        "rated_high": Count("pk", filter=Q(rating__gte=4)),
    }
    hours = {"answers": Count("pk"), "seconds": Sum("first_answer_seconds")}
    answered = counted.filter(first_answer_seconds__isnull=False).annotate(
        bucket=bucket_expression("first_answer_seconds")
    )
    for model_name, period, grain, rows, key, sums in (
        ("TicketDayCounter", "day", local_day, counted, ("channel", "kind"), figures),
        ("TicketMonthCounter", "month", local_month, counted, ("channel", "kind"), figures),
        ("AnswerHoursDayCounter", "day", local_day, answered, ("bucket",), hours),
        ("AnswerHoursMonthCounter", "month", local_month, answered, ("bucket",), hours),
    ):
        model = apps.get_model("hotline", model_name)
        grouped = (
            rows.annotate(period=grain("received_at"))
            .values("period", "agency_id", *key)
            .annotate(**sums)
        )
        batch = []
        for row in grouped.iterator(chunk_size=BATCH):
            batch.append(model(**{period: row.pop("period")}, **row))
            if len(batch) == BATCH:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)


def fill(apps: Any, schema_editor: Any) -> None:
    measure_first_answers(apps)
    fill_counters(apps)


def empty(apps: Any, schema_editor: Any) -> None:
    for model_name in (
        "TicketDayCounter",
        "TicketMonthCounter",
        "AnswerHoursDayCounter",
        "AnswerHoursMonthCounter",
    ):
        apps.get_model("hotline", model_name).objects.all().delete()


class Migration(migrations.Migration):
    # calendar_for reads the work calendar through the reference caches' stamp (core).
    dependencies = [
        ("hotline", "0004_ticket_counters"),
        ("workcalendar", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, empty)]
