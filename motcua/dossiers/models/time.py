"""Where the time goes: counters of the working time the workflow steps and the whole dossiers
take, kept by the step actions in the same transaction (docs/architecture.md rule 9;
docs/rules/indicators.md "Where the time goes").

``StepTimeDayCounter`` / ``StepTimeMonthCounter``: per day (month) the step finished × the
step's agency × procedure × step (position, name and role as the dossier's template had
them) × bucket of the step's working hours (``core/histogram.py``): the steps finished,
those finished late, their working seconds, the seconds beyond the time allotted to the step
and the seconds they waited before an officer first acted. A report sums the buckets for the
totals and reads the median and the 90th percentile from them.

``ProcessingTimeDayCounter`` / ``ProcessingTimeMonthCounter``: per day (month) the result
was ready × competent agency × procedure × bucket of the dossier's working time from
reception to the result, the clock's pauses excluded: the dossiers and their seconds.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.org.models import Agency, Role

STEP_TIME_FIELDS = ("steps", "late", "seconds", "over_seconds", "waiting_seconds")
PROCESSING_TIME_FIELDS = ("dossiers", "seconds")


class StepTimeFigures(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    # The bucket's lower bound in tenths of an hour (core/histogram.py ``bucket_of``).
    bucket = models.IntegerField()
    steps = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)  # working seconds, summed
    over_seconds = models.BigIntegerField(default=0)  # beyond the allotted hours, summed
    waiting_seconds = models.BigIntegerField(default=0)  # before the first act, summed

    class Meta:
        abstract = True


class StepTimeDayCounter(StepTimeFigures):
    day = models.DateField(_("ngày"))  # the day the step finished

    KEY: ClassVar[tuple[str, ...]] = (
        "day",
        "agency_id",
        "procedure_id",
        "position",
        "name",
        "role",
        "bucket",
    )

    class Meta:
        verbose_name = _("thời gian bước xử lý theo ngày")
        verbose_name_plural = _("thời gian bước xử lý theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "procedure", "position", "name", "role", "bucket"],
                name="step_time_day_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id} · {self.procedure_id} · {self.position}"


class StepTimeMonthCounter(StepTimeFigures):
    month = models.DateField(_("tháng"))

    KEY: ClassVar[tuple[str, ...]] = (
        "month",
        "agency_id",
        "procedure_id",
        "position",
        "name",
        "role",
        "bucket",
    )

    class Meta:
        verbose_name = _("thời gian bước xử lý theo tháng")
        verbose_name_plural = _("thời gian bước xử lý theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "procedure", "position", "name", "role", "bucket"],
                name="step_time_month_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.agency_id} · {self.procedure_id} · {self.position}"


class ProcessingTimeFigures(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")  # competent
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    bucket = models.IntegerField()
    dossiers = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)  # working seconds, summed

    class Meta:
        abstract = True


class ProcessingTimeDayCounter(ProcessingTimeFigures):
    day = models.DateField(_("ngày"))  # the day the result was ready

    KEY: ClassVar[tuple[str, ...]] = ("day", "agency_id", "procedure_id", "bucket")

    class Meta:
        verbose_name = _("thời gian giải quyết theo ngày")
        verbose_name_plural = _("thời gian giải quyết theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "procedure", "bucket"], name="processing_time_day_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id} · {self.procedure_id} · {self.bucket}"


class ProcessingTimeMonthCounter(ProcessingTimeFigures):
    month = models.DateField(_("tháng"))

    KEY: ClassVar[tuple[str, ...]] = ("month", "agency_id", "procedure_id", "bucket")

    class Meta:
        verbose_name = _("thời gian giải quyết theo tháng")
        verbose_name_plural = _("thời gian giải quyết theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "procedure", "bucket"],
                name="processing_time_month_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.agency_id} · {self.procedure_id} · {self.bucket}"
