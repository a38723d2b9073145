"""Counters the reports read, kept by the actions in the same transaction (docs/architecture.md
rule 9; what each counts: docs/rules/indicators.md "Counters").

``DailyCounter`` holds flows per day × unit × agency × procedure (received by channel,
finished early/on time/late, returned, ratings by level); ``AgencyDayCounter`` and
``AgencyMonthCounter`` hold the same flows per agency, so a report over a year reads about
twelve rows per agency (months) plus the days at its edges. ``OpenCounter`` holds the stock of
dossiers in progress within or past their due moment, per unit × agency × procedure, and
``AgencyOpenCounter`` the same per agency; the deadline job moves dossiers from "within" to
"past" as they fall due.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.org.models import AdministrativeUnit, Agency

DAILY_FIELDS = (
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


class Flows(models.Model):
    """What happened to dossiers in a period (docs/rules/indicators.md "Counters")."""

    received_direct = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_postal = models.PositiveIntegerField(default=0)
    finished_early = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    finished_late = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    stopped = models.PositiveIntegerField(default=0)
    # Satisfaction ratings by level (Decision 766), on the day the applicant rated.
    rated_very_satisfied = models.PositiveIntegerField(default=0)
    rated_satisfied = models.PositiveIntegerField(default=0)
    rated_not_satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyCounter(Flows):
    """The finest grain: a day × unit × agency × procedure."""

    day = models.DateField(_("ngày"))
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")

    KEY: ClassVar[tuple[str, ...]] = ("day", "unit_id", "agency_id", "procedure_id")

    class Meta:
        verbose_name = _("số liệu theo ngày")
        verbose_name_plural = _("số liệu theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "agency", "procedure"], name="daily_counter_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id} · {self.procedure_id}"


class AgencyDayCounter(Flows):
    """A day × agency: the edges of a report's period (docs/rules/indicators.md "Rollups")."""

    day = models.DateField(_("ngày"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")

    KEY: ClassVar[tuple[str, ...]] = ("day", "agency_id")

    class Meta:
        verbose_name = _("số liệu cơ quan theo ngày")
        verbose_name_plural = _("số liệu cơ quan theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["day", "agency"], name="agency_day_counter_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id}"


class AgencyMonthCounter(Flows):
    """A month × agency: the whole months of a report's period. ``month`` is its first day."""

    month = models.DateField(_("tháng"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")

    KEY: ClassVar[tuple[str, ...]] = ("month", "agency_id")

    class Meta:
        verbose_name = _("số liệu cơ quan theo tháng")
        verbose_name_plural = _("số liệu cơ quan theo tháng")
        constraints = [
            models.UniqueConstraint(fields=["month", "agency"], name="agency_month_counter_key")
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.agency_id}"


class OpenCounter(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    within_due = models.IntegerField(default=0)
    past_due = models.IntegerField(default=0)

    KEY: ClassVar[tuple[str, ...]] = ("unit_id", "agency_id", "procedure_id")

    class Meta:
        verbose_name = _("hồ sơ đang giải quyết")
        verbose_name_plural = _("hồ sơ đang giải quyết")
        constraints = [
            models.UniqueConstraint(fields=["unit", "agency", "procedure"], name="open_counter_key")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} · {self.procedure_id}"


class AgencyOpenCounter(models.Model):
    """The in-progress stock per agency: what the reports read (``OpenCounter`` keeps a row
    for every unit × agency × procedure ever used, hundreds of thousands in a province)."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="+")
    within_due = models.IntegerField(default=0)
    past_due = models.IntegerField(default=0)

    KEY: ClassVar[tuple[str, ...]] = ("agency_id",)

    class Meta:
        verbose_name = _("hồ sơ đang giải quyết theo cơ quan")
        verbose_name_plural = _("hồ sơ đang giải quyết theo cơ quan")

    def __str__(self) -> str:
        return str(self.agency_id)
