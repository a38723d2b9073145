"""The feedback indicators' fields (docs/rules/indicators.md "Feedback indicators"), and the
feedback and petitions already answered counted as handled, on time or not by their measured
first answer, so the counters agree with a recount across the upgrade. Declines, requests for
details and publications are measured from now on (none were before)."""

from typing import Any

from django.db import migrations, models
from django.db.models import Count, Q

from motcua.core.counters import local_day, local_month

FEEDBACK_KINDS = ("feedback", "petition")
HANDLE_LIMIT = 15 * 8 * 3600  # 15 working days of 8 working hours, in seconds


def count_handled(apps: Any, schema_editor: Any) -> None:
    Ticket = apps.get_model("hotline", "Ticket")
    handled = (
        Ticket.objects.exclude(status="merged")
        .filter(kind__in=FEEDBACK_KINDS, first_answer_seconds__isnull=False)
        .order_by()
    )
    for model_name, field, grain in (
        ("TicketDayCounter", "day", local_day),
        ("TicketMonthCounter", "month", local_month),
    ):
        model = apps.get_model("hotline", model_name)
        grouped = (
            handled.annotate(period=grain("received_at"))
            .values("period", "agency_id", "channel", "kind")
            .annotate(
                handled=Count("pk"),
                handled_in_time=Count("pk", filter=Q(first_answer_seconds__lte=HANDLE_LIMIT)),
            )
        )
        for row in grouped.iterator():
            model.objects.filter(
                **{field: row["period"]},
                agency_id=row["agency_id"],
                channel=row["channel"],
                kind=row["kind"],
            ).update(handled=row["handled"], handled_in_time=row["handled_in_time"])


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0005_fill_ticket_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="ask_seconds",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="ticket",
            name="asked_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="đề nghị bổ sung, làm rõ lúc"
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="decline_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("outside_competence", "Không thuộc thẩm quyền xử lý"),
                    ("anonymous", "Không rõ họ tên, địa chỉ người phản ánh, kiến nghị"),
                    ("already_settled", "Đã được xem xét, xử lý và trả lời"),
                    ("being_settled", "Đang được cơ quan có thẩm quyền xem xét, xử lý"),
                    ("not_feedback", "Không phải phản ánh, kiến nghị về quy định hành chính"),
                    (
                        "complaint",
                        "Là khiếu nại, tố cáo (giải quyết theo pháp luật về khiếu nại, tố cáo)",
                    ),
                ],
                max_length=24,
                verbose_name="lý do từ chối xử lý",
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="decline_seconds",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="ticket",
            name="declined_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="từ chối xử lý lúc"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="publish_seconds",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="ticketdaycounter",
            name="asked",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketdaycounter",
            name="asked_in_time",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketdaycounter",
            name="declined",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketdaycounter",
            name="declined_in_time",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketdaycounter",
            name="handled",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketdaycounter",
            name="handled_in_time",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketdaycounter",
            name="published",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketdaycounter",
            name="published_in_time",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketmonthcounter",
            name="asked",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketmonthcounter",
            name="asked_in_time",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketmonthcounter",
            name="declined",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketmonthcounter",
            name="declined_in_time",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketmonthcounter",
            name="handled",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketmonthcounter",
            name="handled_in_time",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketmonthcounter",
            name="published",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ticketmonthcounter",
            name="published_in_time",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(count_handled, migrations.RunPython.noop),
    ]
