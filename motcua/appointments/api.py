"""Appointment endpoints of the public API (docs/appointments.md, docs/rules/api.md).

Slots are public. Booking is open to the public (rate-limited per client address, like the
other public writes), to a signed-in citizen and to staff with a bearer token; whoever books
gets the appointment's cancel token once, and cancels by posting it in the body, never in
the URL. A session's booking passes the CSRF check, as a form would.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.utils import check_csrf

from motcua.appointments import actions
from motcua.appointments.actions import ActionError, Address, Contact
from motcua.appointments.models import (
    ADDRESS_MAX,
    NAME_MAX,
    Appointment,
    BookingChannel,
    Slot,
    SlotKind,
)
from motcua.catalog.models import Procedure
from motcua.core.api_errors import ApiError, ErrorOut
from motcua.core.clients import client_bucket
from motcua.core.inputs import day_in_range
from motcua.core.ratelimit import Limit
from motcua.dossiers.access import caller_dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.tokens import user_for_token
from motcua.org.models import AdministrativeUnit

router = Router(tags=["appointments"])

BOOKINGS = Limit(
    "appointment-book", per=lambda: settings.APPOINTMENTS_BOOKINGS_PER_HOUR, seconds=3600
)
SLOTS_MAX = 200


class SlotOut(Schema):
    id: int
    start: dt.datetime
    end: dt.datetime
    remaining: int = Field(description="Số chỗ còn trống.")


class SlotsOut(Schema):
    items: list[SlotOut]


class ContactIn(Schema):
    name: str = Field(max_length=NAME_MAX, description="Họ tên người liên hệ.")
    phone: str = Field(max_length=30, description="Số điện thoại, ví dụ 0912 345 678.")


class AddressIn(Schema):
    line: str = Field(max_length=ADDRESS_MAX, description="Số nhà, đường, thôn, ấp.")
    unit_code: str = Field(max_length=10, description="Mã đơn vị hành chính cấp xã.")


class BookingIn(Schema):
    slot: int = Field(ge=1, le=2**63 - 1)
    procedure: str = Field(max_length=40, description="Mã thủ tục, ví dụ 1.000426.")
    purpose: Literal["submit", "receive_result", "counter"]
    dossier: str | None = Field(default=None, max_length=40, description="Mã hồ sơ (nếu có).")
    contact: ContactIn
    address: AddressIn | None = Field(default=None, description="Bắt buộc với hẹn tại nhà.")


class BookingOut(Schema):
    id: int
    status: str
    start: dt.datetime
    cancel_url: str = Field(description="Địa chỉ gửi yêu cầu hủy (POST, kèm cancel_token).")
    cancel_token: str = Field(description="Mã hủy lịch hẹn; chỉ trả về một lần.")


class CancelIn(Schema):
    token: str = Field(default="", max_length=100, description="Mã hủy nhận khi đặt hẹn.")


class CancelOut(Schema):
    id: int
    status: str


def _fail(exc: ActionError) -> ApiError:
    return ApiError(exc.status, exc.code, exc.message, exc.details)


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        raise ApiError(
            422,
            "procedure_not_found",
            _("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code},
            {"field": "procedure"},
        )
    return procedure


def _unit(code: str, day: dt.date) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.valid_on(day).filter(code=code).first()


@router.get(
    "/slots", response={200: SlotsOut, 400: ErrorOut, 422: ErrorOut}, summary="Khung giờ còn chỗ"
)
def list_slots(
    request: HttpRequest,
    kind: Literal["home", "desk"] | None = None,
    procedure: Annotated[str, Query(max_length=40)] = "",
    unit: Annotated[str, Query(max_length=10)] = "",
    desk: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    date: dt.date | None = None,
) -> dict[str, Any]:
    """Future slots with room, earliest first (at most 200): ``kind``; for a desk, the
    ``desk`` and the ``procedure``'s sector; for a home visit, the ``unit`` (code) it serves;
    ``date`` (ISO, YYYY-MM-DD) the day it starts, in Vietnam's time."""
    slots: QuerySet[Slot] = Slot.objects.filter(start__gt=timezone.now(), booked__lt=F("capacity"))
    if kind:
        slots = slots.filter(kind=kind)
    if procedure:
        sector = _procedure(procedure).sector_id
        slots = slots.filter(Q(kind=SlotKind.HOME) | Q(sector__isnull=True) | Q(sector=sector))
    if desk is not None:
        slots = slots.filter(desk_id=desk)
    if unit:
        slots = slots.filter(units__code=unit).distinct()
    if date is not None:
        if not day_in_range(date):
            raise ApiError(
                422,
                "bad_date",
                _("Ngày phải trong khoảng năm 2000 đến 2099."),
                {"field": "date"},
            )
        start = timezone.make_aware(dt.datetime.combine(date, dt.time.min))
        slots = slots.filter(start__gte=start, start__lt=start + dt.timedelta(days=1))
    items = [
        {
            "id": s.pk,
            "start": timezone.localtime(s.start),
            "end": timezone.localtime(s.end),
            "remaining": s.remaining,
        }
        for s in slots.order_by("start", "id")[:SLOTS_MAX]
    ]
    return {"items": items}


def _caller(request: HttpRequest) -> tuple[User | None, str]:
    """Who books, and through which channel: a bearer token's officer, a signed-in session
    (checked for CSRF), or the public (rate-limited per client address)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise ApiError(401, "unauthorized", _("Cần đăng nhập hoặc mã truy cập hợp lệ."))
        return user, BookingChannel.API
    if not BOOKINGS.hit(client_bucket(request)):
        raise ApiError(
            429, "rate_limited", _("Quá nhiều yêu cầu, vui lòng thử lại sau."), retry_after=BOOKINGS
        )
    if request.user.is_authenticated:
        if check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", _("Phiên làm việc không hợp lệ; hãy tải lại trang."))
        assert isinstance(request.user, User)
        return request.user, BookingChannel.PORTAL
    return None, BookingChannel.API


def _dossier(user: User | None, code: str | None) -> Dossier | None:
    """A dossier the caller may link: their own on the portal, or one staff may look up."""
    if not code:
        return None
    found = None
    if user is not None:
        found = (
            Dossier.objects.filter(applicant_account=user, code=code).first()
            or caller_dossiers(user).filter(code=code).first()
        )
    if found is None:
        raise ApiError(
            422,
            "dossier_not_found",
            _("Không tìm thấy hồ sơ %(code)s trong các hồ sơ của bạn.") % {"code": code},
            {"field": "dossier"},
        )
    return found


@router.post(
    "",
    response={
        201: BookingOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Đặt lịch hẹn",
)
def book(request: HttpRequest, body: BookingIn) -> Status[dict[str, Any]]:
    """Book a home visit or a desk number. A full slot is 409 ``slot_full``; a slot that has
    started, an address outside the slot's area, a bad phone: 422."""
    user, channel = _caller(request)
    slot = Slot.objects.filter(pk=body.slot).first()
    if slot is None:
        raise ApiError(422, "slot_not_found", _("Không tìm thấy khung giờ hẹn."), {"field": "slot"})
    procedure = _procedure(body.procedure)
    address = None
    if body.address is not None:
        day = timezone.localtime(slot.start).date()
        unit = _unit(body.address.unit_code, day)
        if unit is None:
            raise ApiError(
                422,
                "unit_not_found",
                _("Không tìm thấy đơn vị hành chính có mã %(code)s.")
                % {"code": body.address.unit_code},
                {"field": "address.unit_code"},
            )
        address = Address(line=body.address.line, unit=unit)
    try:
        booking = actions.book_appointment(
            slot=slot,
            procedure=procedure,
            purpose=body.purpose,
            contact=Contact(name=body.contact.name, phone=body.contact.phone),
            address=address,
            dossier=_dossier(user, body.dossier),
            actor=user,
            channel=channel,
        )
    except ActionError as exc:
        raise _fail(exc) from exc
    appointment = booking.appointment
    cancel = reverse("api-v1:cancel", kwargs={"appointment_id": appointment.pk})
    return Status(
        201,
        {
            "id": appointment.pk,
            "status": appointment.status,
            "start": timezone.localtime(slot.start),
            "cancel_url": f"{settings.MOTCUA_PUBLIC_URL}{cancel}",
            "cancel_token": booking.cancel_token,
        },
    )


@router.post(
    "/{appointment_id}/cancel",
    response={200: CancelOut, 404: ErrorOut, 409: ErrorOut},
    summary="Hủy lịch hẹn",
)
def cancel(request: HttpRequest, appointment_id: int, body: CancelIn) -> dict[str, Any]:
    """Cancel with the token given at booking (in the body). A wrong token and a missing
    appointment are the same 404; cancelling twice answers 200 and changes nothing."""
    appointment = (
        Appointment.objects.select_related("slot").filter(pk=appointment_id).first()
        if 0 < appointment_id < 2**63
        else None
    )
    if appointment is None:
        raise Http404
    try:
        appointment = actions.cancel_appointment(appointment=appointment, token=body.token)
    except ActionError as exc:
        raise _fail(exc) from exc
    return {"id": appointment.pk, "status": appointment.status}
