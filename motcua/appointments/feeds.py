"""An officer's day and their secret iCalendar feed (docs/appointments.md "The officer's
day", "iCalendar feed").

The feed's address carries a random token; only its SHA-256 is kept (``CalendarFeed``), one
live feed per officer: making a new one revokes the old, and revoking ends it. The text is
RFC 5545, written by the ``icalendar`` library (escaping of ``,;\\`` and newlines, lines
folded at 75 octets, CRLF); times are UTC, so no VTIMEZONE is needed. The events carry the
full address and the contact: the feed is the officer's, as the printed day list is.
"""

from __future__ import annotations

import datetime as dt
import secrets

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from motcua.appointments.models import (
    Appointment,
    AppointmentStatus,
    CalendarFeed,
    SlotKind,
    token_digest,
)
from motcua.core.actions import Person, now

# The feed covers this window around today.
FEED_PAST = dt.timedelta(days=7)
FEED_AHEAD = dt.timedelta(days=62)
SHOWN = (AppointmentStatus.BOOKED, AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)
# RFC 5545 VEVENT STATUS by the appointment's; the rest (done, no-show) TENTATIVE as before.
STATUS: dict[str, str] = {
    AppointmentStatus.BOOKED: "CONFIRMED",
    AppointmentStatus.CANCELLED: "CANCELLED",
}


def visits_of(
    officer: Person, start: dt.datetime, end: dt.datetime, statuses: tuple[str, ...] = SHOWN
) -> QuerySet[Appointment]:
    """The officer's home visits starting in [start, end): their own slots, and team slots
    they published."""
    return (
        Appointment.objects.filter(
            Q(slot__officer=officer) | Q(slot__officer__isnull=True, slot__created_by=officer),
            slot__kind=SlotKind.HOME,
            slot__start__gte=start,
            slot__start__lt=end,
            status__in=statuses,
        )
        .select_related("slot", "procedure", "address_unit", "dossier")
        .order_by("slot__start", "id")
    )


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


@transaction.atomic
def create_feed(*, officer: Person) -> str:
    """A new secret feed for ``officer`` (the old one revoked); its token, shown once."""
    revoke_feed(officer=officer)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(officer=officer, digest=token_digest(token), created_at=now())
    return token


def revoke_feed(*, officer: Person) -> int:
    return CalendarFeed.objects.filter(officer=officer, revoked_at__isnull=True).update(
        revoked_at=now()
    )


def live_feed(officer: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(officer=officer, revoked_at__isnull=True).first()


def feed_officer(token: str) -> Person | None:
    """The officer whose live feed ``token`` opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("officer")
        .filter(digest=token_digest(token), revoked_at__isnull=True, officer__is_active=True)
        .first()
    )
    return feed.officer if feed else None


def feed_url(token: str) -> str:
    path = reverse("appointments:ical", kwargs={"token": token})
    return f"{settings.MOTCUA_PUBLIC_URL}{path}"


def full_address(appointment: Appointment) -> str:
    unit = appointment.address_unit
    return f"{appointment.address_line}, {unit.name}" if unit else appointment.address_line


def ical(officer: Person, *, at: dt.datetime | None = None) -> bytes:
    """The officer's visits from a week ago to two months ahead, as RFC 5545 text."""
    at = at or now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//motcua//Hen tai nha//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Lịch hẹn tại nhà")
    host = settings.MOTCUA_PUBLIC_URL.split("//")[-1].split("/")[0] or "motcua"
    # Cancelled visits are sent as cancelled (RFC 5545 STATUS:CANCELLED, a higher SEQUENCE):
    # a calendar app that had the event then removes it, where a visit left out would stay.
    statuses = (*SHOWN, AppointmentStatus.CANCELLED)
    for appointment in visits_of(officer, at - FEED_PAST, at + FEED_AHEAD, statuses):
        slot = appointment.slot
        event = icalendar.Event()
        event.add("uid", f"appointment-{appointment.pk}@{host}")
        event.add("dtstamp", at.astimezone(dt.UTC))
        event.add("dtstart", slot.start.astimezone(dt.UTC))
        event.add("dtend", slot.end.astimezone(dt.UTC))
        event.add(
            "summary",
            f"#{appointment.pk} {appointment.get_purpose_display()}: {appointment.contact_name}",
        )
        event.add("location", full_address(appointment))
        procedure = appointment.procedure
        lines = [
            f"Thủ tục: {procedure.code} {procedure.name}" if procedure else "",
            f"Điện thoại: {appointment.contact_phone}",
        ]
        if appointment.dossier_id and appointment.dossier:
            lines.append(f"Hồ sơ: {appointment.dossier.code}")
        event.add("description", "\n".join(line for line in lines if line))
        cancelled = appointment.status == AppointmentStatus.CANCELLED
        event.add("sequence", 1 if cancelled else 0)
        event.add("status", STATUS.get(appointment.status, "TENTATIVE"))
        calendar.add_component(event)
    return calendar.to_ical()
