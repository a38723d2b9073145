"""Time left to answer a ticket, coloured and worded as the dossier worklists do.

A ticket's due moment is set at intake on the province's working calendar (``due_for`` runs
before any agency is chosen), so time left is measured on that calendar too: one calendar per
request, whatever the rows and their agencies.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.views.timing import WORKING_DAY, TimeLeft, working_span
from motcua.hotline.models import Ticket
from motcua.hotline.status import OPEN, TicketStatus
from motcua.workcalendar.calendar import WorkCalendar
from motcua.workcalendar.hours import working_hours_between
from motcua.workcalendar.store import calendar_for


class TicketClock:
    def __init__(self, at: dt.datetime | None = None) -> None:
        self.at = at or timezone.now()
        self._calendar: WorkCalendar | None = None

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = calendar_for(None)
        return self._calendar

    def left(self, ticket: Ticket) -> TimeLeft:
        if ticket.status not in OPEN:
            outcome = ticket.get_outcome_display() if ticket.outcome else ""
            if ticket.status == TicketStatus.ANSWERED:
                return TimeLeft("closed", _("Đã trả lời"), outcome)
            return TimeLeft("closed", ticket.get_status_display(), outcome)
        if ticket.due_at is None:
            return TimeLeft("ok", _("Không tính hạn"))
        if ticket.due_at < self.at:
            late = working_hours_between(self.calendar, ticket.due_at, self.at)
            return TimeLeft(
                "overdue",
                _("Quá hạn"),
                _("trễ %(span)s làm việc") % {"span": working_span(late)},
                -int(late.total_seconds() // 60),
            )
        left = working_hours_between(self.calendar, self.at, ticket.due_at)
        text = _("còn %(span)s làm việc") % {"span": working_span(left)}
        state, label = ("soon", _("Sắp đến hạn")) if left <= WORKING_DAY else ("ok", _("Còn hạn"))
        return TimeLeft(state, label, text, int(left.total_seconds() // 60))
