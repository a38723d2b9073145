"""The appointments' history: one ``AppointmentEvent`` per state change (docs/architecture.md
rule 2, docs/appointments.md "History").

Each action of ``actions``, ``visits``, ``queue`` and the no-show sweep appends its event
inside its own transaction, so a change and its event are written together or not at all.
Events are append-only: ``save`` refuses a change and ``delete`` refuses, and on PostgreSQL
a trigger (``core.append_only``) refuses UPDATE and DELETE to anyone using the application's
role. They are ordered by ``id``; unlike dossier and ticket events they carry no hash chain
(an appointment's history is short, and what it proves — who booked, called or cancelled —
is not a legal record of its own).

``data`` holds ids, codes and states only — never a name, phone, ID number, address, e-mail
or token: ``append`` accepts only the keys of ``DATA_KEYS``, with plain values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.appointments.models import Appointment
from motcua.core.actions import User, person
from motcua.core.chain import AppendOnlyError

# What an event's data may say: ids, codes and states, nothing that names a person.
DATA_KEYS = frozenset(
    {
        "channel",
        "counter",
        "desk",
        "dossier",
        "from_slot",
        "number",
        "outcome",
        "purpose",
        "recalls",
        "slot",
        "state",
        "status",
        "walk_in",
    }
)
PLAIN = (str, int, bool, type(None))
# How the visit's page names each kind.
LABELS = {
    "book": _("Đặt hẹn"),
    "cancel": _("Hủy hẹn"),
    "reschedule": _("Đổi giờ hẹn"),
    "record_visit_outcome": _("Ghi nhận kết quả lượt đến nhà"),
    "take_number": _("Lấy số trực tuyến"),
    "issue_walk_in": _("Cấp số tại quầy"),
    "cancel_number": _("Hủy số"),
    "call_next_number": _("Gọi số"),
    "recall_number": _("Gọi lại"),
    "start_serving": _("Bắt đầu phục vụ"),
    "finish_number": _("Phục vụ xong"),
    "record_no_show": _("Ghi nhận vắng mặt"),
    "no_show_sweep": _("Hết thời gian chờ: vắng mặt"),
}


class AppointmentEvent(models.Model):
    """Something that happened to an appointment (or to its desk queue number)."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("lịch hẹn"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("hành động"), max_length=40)
    # Empty: the system (the no-show sweep) or the public (a booking without an account, a
    # cancel by the link's token).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"))
    data = models.JSONField(_("nội dung"), default=dict, blank=True)

    class Meta:
        app_label = "appointments"
        verbose_name = _("nhật ký lịch hẹn")
        verbose_name_plural = _("nhật ký lịch hẹn")
        ordering = ["appointment", "id"]

    def __str__(self) -> str:
        return f"{self.appointment_id}#{self.pk} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Events are never deleted.")

    @property
    def label(self) -> str:
        return str(LABELS.get(self.kind, self.kind))


def append(
    appointment: Appointment | int,
    kind: str,
    *,
    at: dt.datetime,
    actor: User | None = None,
    **data: Any,
) -> AppointmentEvent:
    """Append ``kind`` to the appointment's history (call inside the action's transaction).
    A key outside ``DATA_KEYS`` or a value that is not plain is a programming error."""
    for key, value in data.items():
        if key not in DATA_KEYS or not isinstance(value, PLAIN):
            raise ValueError(f"appointment event data: {key!r} is not allowed")
    pk = appointment if isinstance(appointment, int) else appointment.pk
    return AppointmentEvent.objects.create(
        appointment_id=pk, kind=kind, actor=person(actor), at=at, data=data
    )


def append_many(ids: list[int], kind: str, *, at: dt.datetime, **data: Any) -> None:
    """The same event for several appointments at once (the no-show sweep)."""
    for key in data:
        if key not in DATA_KEYS:
            raise ValueError(f"appointment event data: {key!r} is not allowed")
    AppointmentEvent.objects.bulk_create(
        AppointmentEvent(appointment_id=pk, kind=kind, at=at, data=data) for pk in ids
    )


__all__ = ["DATA_KEYS", "AppointmentEvent", "append", "append_many"]
