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
    # Decision 766 (docs/rules/indicators.md "Decision 766 counters").
    "judged_in_time",
    "judged_late",
    "judged_seconds",
    "judged_resupplemented",
    "received_digitised",
    "received_reusing",
    "received_vneid",
    "fee_bearing",
    "paid_online",
    "finished_electronic",
    "finished_digitised_electronic",
    "synced",
    "open_change",
    "open_late_change",
    "paused_change",
    "paused_late_change",
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
    # Decision 766 (docs/rules/indicators.md "Decision 766 counters"). Judged: the dossier
    # stopped being in progress (result ready, returned, stopped, refused; not withdrawn), in
    # time or late by the national rule, and the working seconds it took.
    judged_in_time = models.PositiveIntegerField(default=0)
    judged_late = models.PositiveIntegerField(default=0)
    judged_seconds = models.PositiveBigIntegerField(default=0)
    judged_resupplemented = models.PositiveIntegerField(default=0)  # more than one supplement
    # On the reception day: every document digitised; one reused from an earlier dossier;
    # the applicant's account verified with VNeID; and, the day the synced dossier was
    # accepted by the national portal, on its reception day's row.
    received_digitised = models.PositiveIntegerField(default=0)
    received_reusing = models.PositiveIntegerField(default=0)
    received_vneid = models.PositiveIntegerField(default=0)
    synced = models.PositiveIntegerField(default=0)
    # The day the dossier first owed fees, and the day it paid them all online.
    fee_bearing = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    # The day its result was ready: with an electronic result; and its documents digitised.
    finished_electronic = models.PositiveIntegerField(default=0)
    finished_digitised_electronic = models.PositiveIntegerField(default=0)
    # Signed moves of the stock in progress (``dossiers/stock.py``): their sum over the days
    # up to a day is the stock at that day's end, open / open past due / paused / paused
    # after its due moment.
    open_change = models.IntegerField(default=0)
    open_late_change = models.IntegerField(default=0)
    paused_change = models.IntegerField(default=0)
    paused_late_change = models.IntegerField(default=0)

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
        indexes = [
            models.Index(fields=["procedure", "day"], name="daily_counter_procedure"),
            models.Index(fields=["unit", "day"], name="daily_counter_unit"),
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


class MonthCounter(Flows):
    """A month × unit × agency × procedure: the whole months of a period for the scopes the
    agency rollups do not answer (a unit's agencies, a sector, a procedure)."""

    month = models.DateField(_("tháng"))
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")

    KEY: ClassVar[tuple[str, ...]] = ("month", "unit_id", "agency_id", "procedure_id")

    class Meta:
        verbose_name = _("số liệu theo tháng")
        verbose_name_plural = _("số liệu theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "unit", "agency", "procedure"], name="month_counter_key"
            )
        ]
        indexes = [
            models.Index(fields=["procedure", "month"], name="month_counter_procedure"),
            models.Index(fields=["unit", "month"], name="month_counter_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.agency_id} · {self.procedure_id}"


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


class StockBaseline(models.Model):
    """Where a dossier stood when the stock's moves began to be counted (an upgrade with
    dossiers in progress; docs/rules/indicators.md "The stock at a period's end"): the
    replay of the events' notes starts from it, as the counters did."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    standing = models.CharField(max_length=24)
    day = models.DateField()

    class Meta:
        verbose_name = _("vị trí ban đầu trong số hồ sơ đang giải quyết")
        verbose_name_plural = _("vị trí ban đầu trong số hồ sơ đang giải quyết")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.standing}"
