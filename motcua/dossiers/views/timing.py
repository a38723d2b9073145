"""Time left on a dossier, in working time, as the worklists and the dossier page show it.

Only working time counts (docs/rules/deadlines.md), measured with the calendar of the agency
whose calendar set the due moment (the competent agency). One calendar per agency is looked
up per request, so a page costs the same number of queries however many rows it lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.status import PAUSED, DossierStatus
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.hours import working_hours_between
from motcua.workcalendar.store import calendar_for

WORKING_DAY = dt.timedelta(hours=8)
RUNNING = frozenset({DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS})


@dataclass(frozen=True)
class TimeLeft:
    """``state`` drives the row colour (overdue, soon, ok) and never stands alone: ``label``
    says the same in words, ``text`` says how much."""

    state: str
    label: str
    text: str = ""
    minutes: int | None = None


def working_span(span: dt.timedelta) -> str:
    """Working time in days of 8 hours: "2 ngày 3 giờ", "45 phút"."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 8 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)s giờ") % {"n": hours})
    if minutes and not days:
        parts.append(_("%(n)s phút") % {"n": minutes})
    return " ".join(parts) or _("dưới 1 phút")


class Clock:
    """Answers "how much working time is left" for many dossiers at one moment."""

    def __init__(self, at: dt.datetime | None = None) -> None:
        self.at = at or timezone.now()
        self._calendars: dict[int | None, WorkCalendar] = {}

    def calendar(self, agency_id: int | None) -> WorkCalendar:
        if agency_id not in self._calendars:
            self._calendars[agency_id] = calendar_for(agency_id)
        return self._calendars[agency_id]

    def left(self, dossier: Dossier) -> TimeLeft:
        if dossier.status == DossierStatus.SUBMITTED:
            return TimeLeft("waiting", _("Chờ tiếp nhận"))
        if dossier.status in PAUSED:
            return TimeLeft("paused", _("Tạm dừng tính thời gian"), dossier.get_status_display())
        if dossier.status not in RUNNING:
            outcome = dossier.get_outcome_display() if dossier.outcome else ""
            return TimeLeft("closed", dossier.get_status_display(), outcome)
        if dossier.due_at is None:
            return TimeLeft("ok", _("Không tính hạn"))
        calendar = self.calendar(dossier.competent_agency_id)
        if dossier.due_at < self.at:
            late = working_hours_between(calendar, dossier.due_at, self.at)
            return TimeLeft(
                "overdue",
                _("Quá hạn"),
                _("trễ %(span)s làm việc") % {"span": working_span(late)},
                -int(late.total_seconds() // 60),
            )
        left = working_hours_between(calendar, self.at, dossier.due_at)
        minutes = int(left.total_seconds() // 60)
        if dossier.fast_track:
            # "4 tại chỗ" is counted in minutes: the whole track is one working day.
            text = _("còn %(n)s phút làm việc") % {"n": minutes}
        else:
            text = _("còn %(span)s làm việc") % {"span": working_span(left)}
        state, label = ("soon", _("Sắp đến hạn")) if left <= WORKING_DAY else ("ok", _("Còn hạn"))
        return TimeLeft(state, label, text, minutes)


@dataclass(frozen=True)
class Row:
    """A worklist row: the dossier and its time left."""

    dossier: Dossier
    left: TimeLeft


def rows(dossiers: list[Dossier], clock: Clock) -> list[Row]:
    return [Row(dossier, clock.left(dossier)) for dossier in dossiers]
