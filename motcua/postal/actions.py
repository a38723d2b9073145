"""Registering and cancelling the public postal service for a dossier (Decision 45/2016/QĐ-TTg;
docs/postal.md; docs/architecture.md rules 1–2).

Who registers, by channel (``OrderChannel``):

- ``portal``: the applicant themself, for their own dossier (``dossiers/citizens.py``);
- ``hotline``: a 1022 operator, from a call about the caller's dossier;
- ``desk``: a receptionist at **any** one-stop desk, whatever the boundary or the level of
  the competent agency (a commune's desk registers delivery for a department's dossier);
- ``post_office``: an officer at a post office;
- ``api``: an officer's client for a dossier of their own work (its desk, an agency
  processing it, its competent agency), when the officer holds none of the roles above.

When, by service (the dossier statuses ``status.TRANSITIONS`` lists for
``register_postal_pickup`` and ``register_postal_delivery``): the papers can be collected
while there are papers to bring, before reception (an online submission, status 1) or while a
supplement is asked (5); the result can be ordered delivered from submission until it is
ready (9), but not once it was handed back.

One live order per service and dossier, whoever registers it: the same registration again
(same address, contact, time and note) answers the existing order (``created`` False); a
different one is refused (409 ``already_ordered``): the order is cancelled first, then
registered again. Each registration and each cancellation is an event of the dossier. A
delivery order makes the dossier's result delivery postal (the national portal's
``HinhThuc``), so both events are among those the portal is sent; a cancelled delivery puts
the previous delivery back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, User, invalid, now, person, require_text
from motcua.core.phones import normalize_phone
from motcua.dossiers.actions.transitions import append_event, lock
from motcua.dossiers.citizens import owns
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.permissions import Scope, forbidden
from motcua.dossiers.status import can
from motcua.org.models import Role
from motcua.postal.carrier import queue_cancel, queue_create
from motcua.postal.counters import count_registration, set_status
from motcua.postal.models import OrderChannel, OrderStatus, PostalOrder, PostalService
from motcua.postal.tariff import fee_for, unit_for_code, zone_of

LINE_MAX = 255
NAME_MAX = 120
TIME_MAX = 120
NOTE_MAX = 500

# The statuses table's entry for each service (dossiers/status.py).
GUARD: dict[str, str] = {
    PostalService.PICKUP: "register_postal_pickup",
    PostalService.DELIVERY: "register_postal_delivery",
}

# The role each officer's channel needs, at any agency.
CHANNEL_ROLES: dict[str, str] = {
    OrderChannel.HOTLINE: Role.HOTLINE_OPERATOR,
    OrderChannel.DESK: Role.RECEPTIONIST,
    OrderChannel.POST_OFFICE: Role.POSTAL_OFFICER,
}


@dataclass(frozen=True)
class Address:
    line: str
    unit_code: str


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    preferred_time: str = ""


@dataclass(frozen=True)
class Registration:
    """The order a registration answers with; ``created`` False when it existed already."""

    order: PostalOrder
    created: bool


def channel_for(actor: User) -> str:
    """The channel an officer registers through by their role (a citizen: the portal):
    a post office's officer, then a 1022 operator, then a receptionist; anyone else through
    their API client."""
    scope = Scope.of(actor)
    if not scope.officer:
        return OrderChannel.PORTAL
    roles = {m.role for m in scope.memberships}
    for channel in (OrderChannel.POST_OFFICE, OrderChannel.HOTLINE, OrderChannel.DESK):
        if CHANNEL_ROLES[channel] in roles:
            return channel
    return OrderChannel.API


def may_register(dossier: Dossier, actor: User | None, channel: str) -> bool:
    """Whether ``actor`` registers (or cancels) the postal service for ``dossier`` through
    ``channel`` (the module's rule)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    scope = Scope.of(actor)
    if channel == OrderChannel.PORTAL:
        return not scope.officer and owns(actor, dossier)
    if channel in CHANNEL_ROLES:
        return any(m.role == CHANNEL_ROLES[channel] for m in scope.memberships)
    if channel == OrderChannel.API:
        return (
            dossier.competent_agency_id in scope.working_agencies
            or scope.at_desk(dossier)
            or scope.holds(dossier)
        )
    return False


def _clean(address: Address, contact: Contact, note: str) -> tuple[str, str, str, str, str]:
    line = require_text(address.line, "address.line", _("Cần ghi địa chỉ (số nhà, đường, ấp)."))
    name = require_text(contact.name, "contact.name", _("Cần ghi tên người liên hệ."))
    preferred = (contact.preferred_time or "").strip()
    note = (note or "").strip()
    for value, limit, field in (
        (line, LINE_MAX, "address.line"),
        (name, NAME_MAX, "contact.name"),
        (preferred, TIME_MAX, "contact.preferred_time"),
        (note, NOTE_MAX, "note"),
    ):
        if len(value) > limit:
            raise invalid(
                "too_long", _("Nội dung dài tối đa %(max)s ký tự.") % {"max": limit}, field=field
            )
    try:
        phone = normalize_phone(contact.phone or "")
    except ValidationError as exc:
        raise invalid("bad_phone", " ".join(exc.messages), field="contact.phone") from None
    return line, name, phone, preferred, note


@transaction.atomic
def register_postal_service(
    *,
    dossier: Dossier,
    actor: User,
    service: str,
    address: Address,
    contact: Contact,
    channel: str,
    note: str = "",
) -> Registration:
    """Order the postal pickup of the dossier's papers or the delivery of its result
    (Decision 45/2016/QĐ-TTg, Articles 5–7), at the address and for the contact given, as
    the module says who, when and how often. The postage comes from the tariff for the
    address's zone (``tariff``); a pickup also collects what the dossier still owes in fees
    on the agency's behalf (``cod_vnd``)."""
    if service not in GUARD:
        raise invalid("bad_service", _("Dịch vụ bưu chính không hợp lệ."), field="service")
    if channel not in OrderChannel.values:
        raise invalid("bad_channel", _("Kênh đăng ký không hợp lệ."), field="channel")
    line, name, phone, preferred, note = _clean(address, contact, note)
    at = now()
    unit = unit_for_code(address.unit_code, timezone.localdate(at))
    dossier = lock(dossier)
    if not may_register(dossier, actor, channel):
        raise forbidden(dossier.code)
    if not can(GUARD[service], dossier.status):
        raise ActionError(
            "postal_not_allowed",
            _("Hồ sơ %(code)s đang ở trạng thái «%(status)s», không đăng ký được %(service)s.")
            % {
                "code": dossier.code,
                "status": dossier.get_status_display(),
                "service": str(PostalService(service).label).lower(),
            },
            details={"status": dossier.status, "service": service},
        )
    existing = PostalOrder.objects.filter(dossier=dossier, service=service).exclude(
        status=OrderStatus.CANCELLED
    )
    order = existing.first()
    if order is not None:
        same = (order.address_line, order.unit_id, order.contact_name, order.contact_phone) == (
            line,
            unit.pk,
            name,
            phone,
        ) and (order.preferred_time, order.note) == (preferred, note)
        if same:
            return Registration(order, created=False)
        raise ActionError(
            "already_ordered",
            _(
                "Hồ sơ %(code)s đã đăng ký %(service)s; muốn đổi địa chỉ hoặc người nhận, hãy "
                "hủy đăng ký cũ trước."
            )
            % {"code": dossier.code, "service": str(PostalService(service).label).lower()},
            details={"order": order.pk},
        )
    zone = zone_of(unit, dossier.competent_agency)
    fee = fee_for(zone=zone, service=service, day=timezone.localdate(at))
    owed = max(dossier.fee_total_vnd - dossier.paid_vnd, 0)
    order = PostalOrder.objects.create(
        dossier=dossier,
        service=service,
        address_line=line,
        unit=unit,
        contact_name=name,
        contact_phone=phone,
        preferred_time=preferred,
        note=note,
        zone=zone,
        fee_vnd=fee,
        cod_vnd=owed if service == PostalService.PICKUP else 0,
        channel=channel,
        registered_by=person(actor),
        created_at=at,
    )
    count_registration(order)
    if service == PostalService.DELIVERY:
        order.delivery_before = dossier.result_delivery
        order.save(update_fields=["delivery_before"])
        dossier.result_delivery = ResultDelivery.POSTAL
        dossier.delivery_address = f"{line}, {unit.name}"[:500]
        dossier.save(update_fields=["result_delivery", "delivery_address"])
    # No address or phone in the event: the order keeps them, the chain says what happened.
    append_event(
        dossier,
        kind="register_postal_service",
        actor=actor,
        at=at,
        service=service,
        order=order.pk,
        channel=channel,
        zone=zone,
        fee_vnd=fee,
        cod_vnd=order.cod_vnd,
    )
    # To the carrier: a pickup at once, a delivery once the result is ready (carrier.py).
    queue_create(order)
    return Registration(order, created=True)


@transaction.atomic
def cancel_postal_order(*, order: PostalOrder, actor: User, reason: str = "") -> PostalOrder:
    """Cancel an order the carrier has not started on (status ``registered``); whoever may
    register for the dossier, through any channel, may cancel. A cancelled delivery puts the
    dossier's previous result delivery back."""
    reason = (reason or "").strip()
    if len(reason) > NOTE_MAX:
        raise invalid(
            "too_long", _("Nội dung dài tối đa %(max)s ký tự.") % {"max": NOTE_MAX}, field="reason"
        )
    dossier = lock(order.dossier)
    order = PostalOrder.objects.select_for_update().get(pk=order.pk)
    if not any(may_register(dossier, actor, channel) for channel in OrderChannel.values):
        raise forbidden(dossier.code)
    if order.status != OrderStatus.REGISTERED:
        raise ActionError(
            "postal_not_cancellable",
            _("Đơn bưu chính đang ở trạng thái «%(status)s», không hủy được.")
            % {"status": order.get_status_display()},
            details={"status": order.status},
        )
    at = now()
    set_status(order, OrderStatus.CANCELLED, cancelled_at=at)
    if order.service == PostalService.DELIVERY and dossier.result_delivery == ResultDelivery.POSTAL:
        dossier.result_delivery = order.delivery_before or ResultDelivery.DESK
        dossier.save(update_fields=["result_delivery"])
    append_event(
        dossier,
        kind="cancel_postal_order",
        actor=actor,
        at=at,
        service=order.service,
        order=order.pk,
        reason=reason,
    )
    queue_cancel(order)
    return order


__all__ = [
    "Address",
    "Contact",
    "Registration",
    "cancel_postal_order",
    "channel_for",
    "may_register",
    "register_postal_service",
]
