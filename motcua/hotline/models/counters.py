"""Counters the hotline statistics read, kept by the ticket actions in the same transaction
(docs/architecture.md rule 9; what each counts: docs/rules/indicators.md "Hotline counters").

A ticket counts on the day it was received (Asia/Ho_Chi_Minh), under its current agency
(none while it is at 1022), channel and kind; when an action changes any of these, or what the
ticket counts as (answered on time or late, open within or past due, escalated, rated), its
share moves in the same transaction. A merged duplicate counts nowhere. ``TicketDayCounter``
serves the days at the edges of a period, ``TicketMonthCounter`` its whole months.

The working hours to the first answer are measured once, when the answer is given, and kept
as a histogram (``AnswerHoursDayCounter`` / ``AnswerHoursMonthCounter``): the number of
answers and their total seconds per bucket, a tenth of an hour wide under 10 hours, an hour
under 100 and ten hours above, so a median or a 90th percentile is read from a few dozen rows
per agency and month, to within one per cent.

The counters' fields are signed: a share that moves subtracts from the row it leaves.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from motcua.hotline.status import TicketChannel, TicketKind
from motcua.org.models import Agency

TICKET_FIELDS = (
    "received",
    "answered_on_time",
    "answered_late",
    "open_within",
    "open_overdue",
    "escalated",
    "rated",
    "rating_sum",
    "rated_high",
    *(
        "handled",
        "handled_in_time",
        "declined",
        "declined_in_time",
        "asked",
        "asked_in_time",
        "published",
        "published_in_time",
    ),
)
# The feedback indicators' figures: tickets of ``status.FEEDBACK_KINDS`` only, zero elsewhere.
FEEDBACK_FIELDS = TICKET_FIELDS[-8:]
HOURS_FIELDS = ("answers", "seconds")


class TicketFigures(models.Model):
    # Null while the ticket is at 1022; the unique keys read it as 0.
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, choices=TicketChannel.choices)
    kind = models.CharField(max_length=20, choices=TicketKind.choices)
    received = models.IntegerField(default=0)
    answered_on_time = models.IntegerField(default=0)  # by the first answer
    answered_late = models.IntegerField(default=0)
    open_within = models.IntegerField(default=0)  # open, never answered, not flagged overdue
    open_overdue = models.IntegerField(default=0)  # flagged overdue by the deadline job
    escalated = models.IntegerField(default=0)  # escalated at least once
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    rated_high = models.IntegerField(default=0)  # rated 4 or 5
    # Feedback and petitions only (docs/rules/indicators.md "Feedback indicators").
    handled = models.IntegerField(default=0)  # answered
    handled_in_time = models.IntegerField(default=0)  # first answer within 15 working days
    declined = models.IntegerField(default=0)  # refused to handle
    declined_in_time = models.IntegerField(default=0)  # within 2 working days of receipt
    asked = models.IntegerField(default=0)  # the citizen asked for details
    asked_in_time = models.IntegerField(default=0)  # first request within 5 working days
    published = models.IntegerField(default=0)  # the answer published
    published_in_time = models.IntegerField(default=0)  # within 2 working days of the answer

    class Meta:
        abstract = True


class TicketDayCounter(TicketFigures):
    day = models.DateField(_("ngày"))

    KEY: ClassVar[tuple[str, ...]] = ("day", "agency_id", "channel", "kind")

    class Meta:
        verbose_name = _("số liệu phản ánh theo ngày")
        verbose_name_plural = _("số liệu phản ánh theo ngày")
        constraints = [
            models.UniqueConstraint(
                F("day"),
                Coalesce("agency", Value(0)),
                F("channel"),
                F("kind"),
                name="ticket_day_counter_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id} · {self.channel} · {self.kind}"


class TicketMonthCounter(TicketFigures):
    month = models.DateField(_("tháng"))  # its first day

    KEY: ClassVar[tuple[str, ...]] = ("month", "agency_id", "channel", "kind")

    class Meta:
        verbose_name = _("số liệu phản ánh theo tháng")
        verbose_name_plural = _("số liệu phản ánh theo tháng")
        constraints = [
            models.UniqueConstraint(
                F("month"),
                Coalesce("agency", Value(0)),
                F("channel"),
                F("kind"),
                name="ticket_month_counter_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.agency_id} · {self.channel} · {self.kind}"


class AnswerHoursFigures(models.Model):
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    # The bucket's lower bound in tenths of an hour (hotline/counters.py ``bucket_of``).
    bucket = models.IntegerField()
    answers = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)  # working seconds, summed

    class Meta:
        abstract = True


class AnswerHoursDayCounter(AnswerHoursFigures):
    day = models.DateField(_("ngày"))  # the day the ticket was received

    KEY: ClassVar[tuple[str, ...]] = ("day", "agency_id", "bucket")

    class Meta:
        verbose_name = _("thời gian trả lời theo ngày")
        verbose_name_plural = _("thời gian trả lời theo ngày")
        constraints = [
            models.UniqueConstraint(
                F("day"), Coalesce("agency", Value(0)), F("bucket"), name="answer_hours_day_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id} · {self.bucket}"


class AnswerHoursMonthCounter(AnswerHoursFigures):
    month = models.DateField(_("tháng"))

    KEY: ClassVar[tuple[str, ...]] = ("month", "agency_id", "bucket")

    class Meta:
        verbose_name = _("thời gian trả lời theo tháng")
        verbose_name_plural = _("thời gian trả lời theo tháng")
        constraints = [
            models.UniqueConstraint(
                F("month"),
                Coalesce("agency", Value(0)),
                F("bucket"),
                name="answer_hours_month_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.agency_id} · {self.bucket}"
