"""Counters the reports read, kept by the actions in the same transaction (docs/architecture.md
rule 9; what each counts: docs/rules/indicators.md "Counters").

``DailyCounter`` holds flows per day × unit × agency × procedure (received by channel,
finished early/on time/late, returned, ratings by level). ``OpenCounter`` holds the stock of
dossiers in progress within or past their due moment, per unit × agency × procedure; the
deadline job moves dossiers from "within" to "past" as they fall due.
"""

from __future__ import annotations

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


class DailyCounter(models.Model):
    day = models.DateField(_("ngày"))
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
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
        verbose_name = _("số liệu theo ngày")
        verbose_name_plural = _("số liệu theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "agency", "procedure"], name="daily_counter_key"
            )
        ]
        indexes = [models.Index(fields=["agency", "day"], name="daily_counter_agency_day")]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id} · {self.procedure_id}"


class OpenCounter(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    within_due = models.IntegerField(default=0)
    past_due = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hồ sơ đang giải quyết")
        verbose_name_plural = _("hồ sơ đang giải quyết")
        constraints = [
            models.UniqueConstraint(fields=["unit", "agency", "procedure"], name="open_counter_key")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} · {self.procedure_id}"
