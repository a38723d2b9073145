"""Booking and cancelling appointments (docs/appointments.md; docs/architecture.md rules 1–2).

**No double booking, whatever the concurrency**: a place is taken by one conditional update,
``booked = booked + 1 WHERE id = … AND booked < capacity AND start > now``, inside the
booking's transaction. The database row is the only arbiter: of fifty requests for the last
place, the one whose update lands first takes it and the others update no row and are told
the slot is full (409). The ``slot_booked_within_capacity`` check constraint stands behind it.

**At most ``APPOINTMENTS_DESK_PER_PERSON_PER_DAY`` desk numbers per phone per desk and day**
(two, as the province's desk booking rule says, docs/appointments.md): the desk's row is
locked for the count and the booking, so two requests from the same person for two slots of
the same day cannot both pass the count.

A cancel frees its place with conditional updates too, and cancelling twice changes nothing
the second time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from motcua.accounts.access import is_citizen
from motcua.appointments import events, reminders
from motcua.appointments.models import (
    ADDRESS_MAX,
    EMAIL_MAX,
    NAME_MAX,
    Appointment,
    AppointmentStatus,
    BookingChannel,
    Purpose,
    Slot,
    SlotKind,
    token_digest,
)
from motcua.appointments.queue_days import held_by, linked_keys, local_day, person_key
from motcua.catalog.models import Procedure
from motcua.core.actions import ActionError, User, invalid, now, person, require_text
from motcua.core.phones import normalize_phone, phone_or_blank
from motcua.dossiers.access import CALLER_LOOKUP, visible_dossiers
from motcua.dossiers.citizens import owns
from motcua.dossiers.models import Dossier
from motcua.org.models import AdministrativeUnit, Desk, Membership

# Statuses that hold a place, or count towards the per-person limit.
LIVE = (AppointmentStatus.BOOKED, AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    # Optional: where a home visit's confirmation and reminders go besides the phone.
    email: str = ""


@dataclass(frozen=True)
class Address:
    line: str
    unit: AdministrativeUnit


@dataclass(frozen=True)
class Booking:
    """A new appointment and its cancel token, given this once (only its digest is kept)."""

    appointment: Appointment
    cancel_token: str


def _contact(contact: Contact) -> Contact:
    name = require_text(contact.name, "contact.name", _("Cần họ tên người liên hệ."))
    if len(name) > NAME_MAX:
        raise invalid(
            "name_too_long",
            _("Họ tên dài tối đa %(max)s ký tự.") % {"max": NAME_MAX},
            field="contact.name",
        )
    try:
        phone = normalize_phone(contact.phone)
    except ValidationError as exc:
        raise invalid("bad_phone", exc.messages[0], field="contact.phone") from exc
    email = (contact.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise invalid(
                "bad_email", _("Địa chỉ thư điện tử không hợp lệ."), field="contact.email"
            ) from exc
        if len(email) > EMAIL_MAX:
            raise invalid(
                "email_too_long",
                _("Thư điện tử dài tối đa %(max)s ký tự.") % {"max": EMAIL_MAX},
                field="contact.email",
            )
    return Contact(name=name, phone=phone, email=email)


def _address(slot: Slot, address: Address | None) -> Address | None:
    """A home visit needs an address in a unit the slot serves; a desk number none."""
    if slot.kind != SlotKind.HOME:
        return None
    if address is None:
        raise invalid("address_required", _("Hẹn tại nhà cần địa chỉ."), field="address")
    line = require_text(address.line, "address.line", _("Cần số nhà, đường, thôn, ấp."))
    if len(line) > ADDRESS_MAX:
        raise invalid(
            "address_too_long",
            _("Địa chỉ dài tối đa %(max)s ký tự.") % {"max": ADDRESS_MAX},
            field="address.line",
        )
    if not slot.units.filter(pk=address.unit.pk).exists():
        raise invalid(
            "unit_not_served",
            _("Khung giờ này không phục vụ địa bàn %(unit)s.") % {"unit": address.unit.name},
            field="address.unit_code",
        )
    return Address(line=line, unit=address.unit)


def _local_day(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    day = timezone.localtime(moment).date()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _within_desk_limit(slot: Slot, desk: int, phone: str) -> None:
    """Lock the desk's row (serialising the desk's bookings until commit), then count the
    person's numbers at that desk on the slot's day: slots booked here (by phone; those
    without a queue number) and the queue's numbers, online and walk-in, found by the keyed
    digest of the phone as the queue counts them (a walk-in keeps no phone in clear)."""
    Desk.objects.select_for_update().filter(pk=desk).first()
    start, end = _local_day(slot.start)
    booked = Appointment.objects.filter(
        contact_phone=phone,
        status__in=LIVE,
        slot__kind=SlotKind.DESK,
        slot__desk_id=desk,
        slot__start__gte=start,
        slot__start__lt=end,
        ticket__isnull=True,
    ).count()
    the_desk = Desk.objects.get(pk=desk)
    day = local_day(slot.start)
    keys = linked_keys(the_desk, day, person_key("phone", phone), "")
    held = booked + held_by(the_desk, day, *keys)
    limit = settings.APPOINTMENTS_DESK_PER_PERSON_PER_DAY
    if held >= limit:
        raise ActionError(
            "daily_limit",
            _("Mỗi người được lấy tối đa %(limit)s số thứ tự một ngày tại một bộ phận một cửa.")
            % {"limit": limit},
            details={"limit": limit},
        )


def _phone_matches(dossier: Dossier, phone: str) -> bool:
    """Whether the applicant's or the submitter's phone, as stored now, is ``phone``."""
    stored = Dossier.objects.filter(pk=dossier.pk).values_list("applicant_phone", "submitter_phone")
    return any(phone in (phone_or_blank(a), phone_or_blank(b)) for a, b in stored)


def _may_link(dossier: Dossier, *, actor: User | None, channel: str, phone: str) -> bool:
    """Whose dossier a booking may name (docs/appointments.md rule 6): a citizen's own; on a
    1022 call, one whose applicant's or submitter's phone is the contact's phone (the
    operator finds any dossier by its code, so the code alone proves nothing); for other
    staff, one their agency or desk may see — or, for a 1022 operator through the API, again
    one with the contact's phone. The public names none."""
    who = person(actor)
    if who is None:
        return False
    if is_citizen(who):
        return owns(who, dossier)
    if channel == BookingChannel.HOTLINE:
        return _phone_matches(dossier, phone)
    if visible_dossiers(who).filter(pk=dossier.pk).exists():
        return True
    lookup = Membership.objects.active().filter(user_id=who.pk, role__in=CALLER_LOOKUP)
    return lookup.exists() and _phone_matches(dossier, phone)


@transaction.atomic
def book_appointment(
    *,
    slot: Slot,
    procedure: Procedure,
    purpose: str,
    contact: Contact,
    channel: str,
    address: Address | None = None,
    dossier: Dossier | None = None,
    actor: User | None = None,
) -> Booking:
    """Book a place in ``slot`` for ``procedure``: a home visit (with an address in a unit
    the slot serves) or a desk number (within the per-person daily limit). Refused: a full
    slot (409 ``slot_full``), a slot that has started (422 ``slot_past``), bad input (422)."""
    if purpose not in Purpose.values:
        raise invalid("bad_purpose", _("Mục đích hẹn không hợp lệ."), field="purpose")
    if channel not in BookingChannel.values:
        raise invalid("bad_channel", _("Kênh đặt hẹn không hợp lệ."), field="channel")
    if slot.kind == SlotKind.DESK and slot.sector_id and procedure.sector_id != slot.sector_id:
        raise invalid(
            "procedure_not_served",
            _("Khung giờ này không nhận thủ tục thuộc lĩnh vực khác."),
            field="procedure",
        )
    who = _contact(contact)
    if purpose == Purpose.RECEIVE_RESULT and dossier is None:
        raise invalid("dossier_required", _("Nhận kết quả cần mã hồ sơ."), field="dossier")
    if dossier is not None and not _may_link(
        dossier, actor=actor, channel=channel, phone=who.phone
    ):
        # The same answer whether the code exists or not: the booker learns nothing of a
        # stranger's dossier, and nothing is written.
        raise invalid(
            "dossier_not_callers",
            _(
                "Hồ sơ %(code)s không phải của người đặt hẹn: số điện thoại liên hệ phải là số"
                " của người nộp hồ sơ, hoặc hồ sơ phải thuộc tài khoản của bạn."
            )
            % {"code": dossier.code},
            field="dossier",
        )
    where = _address(slot, address)
    at = now()
    if slot.start <= at:
        raise invalid("slot_past", _("Khung giờ này đã qua; vui lòng chọn giờ khác."))
    if slot.kind == SlotKind.DESK and slot.desk_id is not None:  # a desk slot has its desk
        _within_desk_limit(slot, slot.desk_id, who.phone)
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity"), start__gt=at).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise ActionError(
            "slot_full",
            _("Khung giờ này đã hết chỗ; vui lòng chọn giờ khác."),
            details={"slot": slot.pk},
        )
    token = secrets.token_urlsafe(32)
    appointment = Appointment.objects.create(
        slot=slot,
        procedure=procedure,
        purpose=purpose,
        dossier=dossier,
        contact_name=who.name,
        contact_phone=who.phone,
        contact_email=who.email,
        address_line=where.line if where else "",
        address_unit=where.unit if where else None,
        booked_by=person(actor),
        channel=channel,
        created_at=at,
        cancel_digest=token_digest(token),
    )
    events.append(
        appointment,
        "book",
        at=at,
        actor=actor,
        slot=slot.pk,
        channel=channel,
        purpose=purpose,
        dossier=dossier.code if dossier else None,
    )
    if slot.kind == SlotKind.HOME:
        reminders.schedule(appointment, at=at)
        reminders.confirm(appointment, token)
    return Booking(appointment=appointment, cancel_token=token)


def _may_cancel(appointment: Appointment, token: str, actor: User | None) -> bool:
    if token and constant_time_compare(token_digest(token), appointment.cancel_digest):
        return True
    who = person(actor)
    if who is None:
        return False
    return who.is_superuser or who.pk in (
        appointment.booked_by_id,
        appointment.slot.officer_id,
        appointment.slot.created_by_id,
    )


@transaction.atomic
def cancel_appointment(
    *, appointment: Appointment, token: str = "", actor: User | None = None
) -> Appointment:
    """Cancel a booked appointment and free its place: with the cancel token given at
    booking, or by the person who booked it, the slot's officer or its creator. Without
    either the answer is 404, as for an appointment that does not exist. Cancelling again
    changes nothing; a visit that has happened (done, no-show) cannot be cancelled (409)."""
    if not _may_cancel(appointment, token, actor):
        raise ActionError("not_found", _("Không tìm thấy lịch hẹn."), status=404)
    at = now()
    cancelled = Appointment.objects.filter(
        pk=appointment.pk, status=AppointmentStatus.BOOKED
    ).update(status=AppointmentStatus.CANCELLED, cancelled_at=at)
    if cancelled:
        Slot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
        reminders.drop(appointment)
        events.append(appointment, "cancel", at=at, actor=actor)
    appointment.refresh_from_db(fields=["status", "cancelled_at"])
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED):
        raise ActionError(
            "not_cancellable",
            _("Lịch hẹn đã %(status)s, không hủy được.")
            % {"status": appointment.get_status_display().lower()},
            details={"status": appointment.status},
        )
    return appointment


__all__ = ["Address", "Booking", "Contact", "book_appointment", "cancel_appointment"]
