"""Moving a home visit, and what happens at it (docs/appointments.md "Reschedule",
"The outcome", "Reception at home").

``reschedule_appointment`` moves a booked visit to another slot with the booking's
discipline: the new place is taken by one conditional update (``booked < capacity AND start >
now``), the appointment moves only if it is still booked in its old slot (another
conditional update), and only then is the old place freed, all in one transaction; the
token is renewed and a new confirmation sent, the reminders move.

``record_visit_outcome``: the visiting officer records done / citizen absent / could not
be done, once. ``receive_at_visit`` receives the dossier through the real reception action
(``dossiers.actions.reception.receive_dossier``: Form 01, the clock, counters, the receipt
notice) at the officer's desk, the visit as its origin; ``return_at_visit`` hands the result
over through ``return_result``. Either then records the visit done.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.appointments import events, reminders
from motcua.appointments.actions import Booking, _may_cancel
from motcua.appointments.models import (
    NOTE_MAX,
    Appointment,
    AppointmentStatus,
    Purpose,
    Slot,
    SlotKind,
    VisitOutcome,
    token_digest,
)
from motcua.catalog.models import Channel
from motcua.core.actions import ActionError, Person, User, invalid, now, person
from motcua.dossiers.actions.application import Applicant, Application, ReceivedDocument
from motcua.dossiers.actions.reception import receive_dossier
from motcua.dossiers.actions.results import return_result
from motcua.dossiers.models import ApplicantKind, Dossier, ResultDelivery
from motcua.dossiers.permissions import RECEPTION_ROLES
from motcua.org.models import Desk, Membership

OUTCOMES = (AppointmentStatus.DONE, AppointmentStatus.NO_SHOW, AppointmentStatus.FAILED)


def _not_found() -> ActionError:
    return ActionError("not_found", _("Không tìm thấy lịch hẹn."), status=404)


@transaction.atomic
def reschedule_appointment(
    *, appointment: Appointment, slot: Slot, token: str = "", actor: User | None = None
) -> Booking:
    """Move a booked home visit to ``slot`` (docs/appointments.md "Reschedule"): with the
    appointment's token, or by whoever may cancel it. Refused, nothing changed: anyone else
    (404, as for a missing appointment); a visit no longer booked (409 ``not_booked``); a
    slot of another kind, the same slot, one that has started, or one not serving the
    address's unit (422); a full slot (409 ``slot_full``). Returns the new token."""
    if not _may_cancel(appointment, token, actor):
        raise _not_found()
    if appointment.status != AppointmentStatus.BOOKED:
        raise ActionError(
            "not_booked",
            _("Lịch hẹn đã %(status)s, không đổi được.")
            % {"status": appointment.get_status_display().lower()},
            details={"status": appointment.status},
        )
    if slot.kind != SlotKind.HOME or slot.pk == appointment.slot_id:
        raise invalid("bad_slot", _("Hãy chọn một khung giờ hẹn tại nhà khác."), field="slot")
    unit = appointment.address_unit
    if unit is None or not slot.units.filter(pk=unit.pk).exists():
        raise invalid(
            "unit_not_served",
            _("Khung giờ này không phục vụ địa bàn %(unit)s.")
            % {"unit": unit.name if unit else "?"},
            field="slot",
        )
    at = now()
    if slot.start <= at:
        raise invalid("slot_past", _("Khung giờ này đã qua; vui lòng chọn giờ khác."))
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity"), start__gt=at).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise ActionError(
            "slot_full",
            _("Khung giờ này đã hết chỗ; vui lòng chọn giờ khác."),
            details={"slot": slot.pk},
        )
    new_token = secrets.token_urlsafe(32)
    old_slot = appointment.slot_id
    moved = Appointment.objects.filter(
        pk=appointment.pk, status=AppointmentStatus.BOOKED, slot_id=old_slot
    ).update(slot=slot, cancel_digest=token_digest(new_token))
    if not moved:
        # Cancelled or moved meanwhile: the exception rolls the new place back too.
        raise ActionError("not_booked", _("Lịch hẹn vừa thay đổi; hãy tải lại trang."))
    Slot.objects.filter(pk=old_slot, booked__gt=0).update(booked=F("booked") - 1)
    events.append(appointment, "reschedule", at=at, actor=actor, from_slot=old_slot, slot=slot.pk)
    appointment.refresh_from_db()
    reminders.schedule(appointment, at=at)
    reminders.confirm(appointment, new_token)
    return Booking(appointment=appointment, cancel_token=new_token)


def may_visit(appointment: Appointment, actor: User | None) -> bool:
    """The visiting officer: the slot's officer, or for a team's slot whoever published
    it."""
    who = person(actor)
    if who is None:
        return False
    slot = appointment.slot
    return who.is_superuser or who.pk == (slot.officer_id or slot.created_by_id)


@transaction.atomic
def record_visit_outcome(
    *,
    appointment: Appointment,
    outcome: str,
    actor: Person,
    note: str = "",
    dossier: Dossier | None = None,
) -> VisitOutcome:
    """Record what happened at a booked home visit, once (docs/appointments.md "The
    outcome"): done, no_show (the citizen absent) or failed (could not be done), with notes.
    Only the visiting officer (else 404), not before the visit's day (409 ``too_early``),
    not twice (409 ``already_recorded``). The pending reminders are dropped."""
    if not may_visit(appointment, actor):
        raise _not_found()
    if outcome not in OUTCOMES:
        raise invalid("bad_outcome", _("Kết quả lượt đến nhà không hợp lệ."), field="outcome")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise invalid(
            "note_too_long",
            _("Ghi chú dài tối đa %(max)s ký tự.") % {"max": NOTE_MAX},
            field="note",
        )
    at = now()
    if timezone.localtime(at).date() < timezone.localtime(appointment.slot.start).date():
        raise ActionError("too_early", _("Chưa đến ngày hẹn; chưa ghi nhận kết quả được."))
    changed = Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.BOOKED).update(
        status=outcome, **({"dossier": dossier} if dossier is not None else {})
    )
    if not changed:
        appointment.refresh_from_db(fields=["status"])
        raise ActionError(
            "already_recorded",
            _("Lịch hẹn đã %(status)s; kết quả chỉ ghi nhận một lần.")
            % {"status": appointment.get_status_display().lower()},
        )
    appointment.refresh_from_db()
    reminders.drop(appointment)
    events.append(
        appointment,
        "record_visit_outcome",
        at=at,
        actor=actor,
        outcome=outcome,
        dossier=dossier.code if dossier else None,
    )
    return VisitOutcome.objects.create(
        appointment=appointment,
        outcome=outcome,
        note=note,
        dossier=dossier,
        recorded_by=actor,
        recorded_at=at,
    )


def officer_desk(officer: Person) -> Desk:
    """The desk where the officer receives dossiers: a dossier received at a home is
    received as at that desk (Form 01 with the desk's name)."""
    membership = (
        Membership.objects.active()
        .filter(user_id=officer.pk, role__in=RECEPTION_ROLES, desk__isnull=False)
        .select_related("desk")
        .order_by("id")
        .first()
    )
    if membership is None or membership.desk is None:
        raise ActionError(
            "no_desk",
            _("Cần được phân công tiếp nhận tại một bộ phận một cửa để nhận hồ sơ tại nhà."),
            status=403,
        )
    return membership.desk


def _ready(appointment: Appointment, officer: Person, purpose: str) -> None:
    if not may_visit(appointment, officer):
        raise _not_found()
    if appointment.purpose != purpose:
        raise invalid("wrong_purpose", _("Lịch hẹn này không dùng cho thao tác đó."))
    if appointment.status != AppointmentStatus.BOOKED:
        raise ActionError("already_recorded", _("Lịch hẹn đã được ghi nhận kết quả."))


@transaction.atomic
def receive_at_visit(
    *,
    appointment: Appointment,
    officer: Person,
    documents: list[ReceivedDocument],
    id_number: str = "",
    note: str = "",
) -> Dossier:
    """Receive the dossier at the citizen's home (docs/appointments.md "Reception at home"):
    through ``receive_dossier`` at the officer's desk, direct channel, the applicant as the
    appointment's contact and address, ``origin_appointment`` = this visit; then the visit
    is recorded done with that dossier."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _ready(appointment, officer, Purpose.SUBMIT)
    procedure = appointment.procedure
    if procedure is None:  # a desk queue number: nothing to receive at home
        raise invalid("no_procedure", _("Lịch hẹn này không gắn thủ tục nào."), field="procedure")
    address = appointment.address_line
    if appointment.address_unit is not None:
        address = f"{address}, {appointment.address_unit.name}"
    dossier = receive_dossier(
        application=Application(
            procedure=procedure,
            desk=officer_desk(officer),
            channel=Channel.DIRECT,
            applicant=Applicant(
                kind=ApplicantKind.CITIZEN,
                name=appointment.contact_name,
                id_number=id_number,
                phone=appointment.contact_phone,
                email=appointment.contact_email,
                address=address,
            ),
            documents=documents,
            origin_appointment=appointment.pk,
        ),
        officer=officer,
    )
    record_visit_outcome(
        appointment=appointment,
        outcome=AppointmentStatus.DONE,
        actor=officer,
        note=note,
        dossier=dossier,
    )
    return dossier


@transaction.atomic
def return_at_visit(*, appointment: Appointment, officer: Person, note: str = "") -> Dossier:
    """Hand the appointment's dossier's result over at the citizen's home, through
    ``return_result`` (handed over in person, as at the desk); then the visit is done."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _ready(appointment, officer, Purpose.RECEIVE_RESULT)
    if appointment.dossier is None:
        raise invalid("dossier_required", _("Lịch hẹn trả kết quả chưa gắn hồ sơ."))
    words = _("Trả kết quả tại nhà theo lịch hẹn số %(n)s.") % {"n": appointment.pk}
    dossier = return_result(
        dossier=appointment.dossier,
        officer=officer,
        channel=ResultDelivery.DESK,
        note=f"{words} {note}".strip(),
    )
    record_visit_outcome(
        appointment=appointment,
        outcome=AppointmentStatus.DONE,
        actor=officer,
        note=note,
        dossier=dossier,
    )
    return dossier
