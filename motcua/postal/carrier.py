"""The carrier outbox: every call to the carrier (create an order, cancel it) is a
``PostalCarrierCommand`` row written in the transaction of the action that causes it, sent
by the engine every outbox shares (``core/outbox``; docs/architecture.md rule 7;
docs/postal.md "Carrier").

- ``register_postal_service`` writes the order's create command. A pickup's is queued on
  commit. A delivery's waits: it is not due (``CarrierOutbox.rows`` leaves it out) until the
  dossier's status is ``result_ready``. No code of the dossiers' layer calls into this one
  (the import layers), so ``drain_carrier`` (the periodic loop, every minute) is what sends
  it once the result is ready: the carrier hears of a ready result within a minute or so.
- ``cancel_postal_order`` drops a create still waiting (nothing went out) or writes a cancel
  command when the create went out or may have; a cancel is not due while its create is in
  flight, so the carrier never gets a cancel before the order it cancels. A create tried
  before the cancellation and due again after it is done without a call
  (``SKIPPED_CANCELLED``): the cancel that follows covers what its first try may have made.
- A cancel the carrier refuses because it has started on the order (HTTP 409,
  ``StartedError``) is done (``CANCEL_REFUSED``) and the cancellation undone here
  (``tracking.restore_postal_order``): the order is the carrier's again, and its tracking
  is taken. Only an order whose cancellation stands refuses tracking.
- The order number is ``PostalOrder.order_number``, the same on every attempt: the carrier
  answers a repeated create with the order it holds ("exists"), so a retry after a lost
  answer never makes two orders. The tracking number it answers is stored on the order.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_tasks import task

from motcua.core.outbox.engine import DRAIN_BATCH, Outbox, Outcome, retry_later, send_on_commit
from motcua.core.outbox.errors import DeliveryError
from motcua.core.outbox.models import OutboxStatus
from motcua.dossiers.status import DossierStatus
from motcua.integrations.carrier import CarrierClient, CarrierError, Party, StartedError
from motcua.org.models import AdministrativeUnit, UnitLevel
from motcua.postal.models import (
    CarrierAction,
    OrderStatus,
    PostalCarrierCommand,
    PostalOrder,
    PostalService,
)
from motcua.postal.tracking import restore_postal_order

IN_FLIGHT = [OutboxStatus.PENDING, OutboxStatus.SENDING]
CANCEL_REFUSED = "refused:started"  # the carrier had started: the order was restored
SKIPPED_CANCELLED = "skipped:cancelled"  # a create done without a call: its order is cancelled


class CarrierOutbox(Outbox[PostalCarrierCommand]):
    def rows(self) -> QuerySet[PostalCarrierCommand]:
        """The commands that may go out now: not a delivery's create before its result is
        ready, not a cancel while its order's create may still be on its way."""
        create_in_flight = PostalCarrierCommand.objects.filter(
            order=OuterRef("order"), action=CarrierAction.CREATE, status__in=IN_FLIGHT
        )
        waiting_delivery = Q(
            action=CarrierAction.CREATE, order__service=PostalService.DELIVERY
        ) & ~Q(order__dossier__status=DossierStatus.RESULT_READY)
        return (
            super()
            .rows()
            .exclude(waiting_delivery)
            .exclude(Q(action=CarrierAction.CANCEL) & Exists(create_in_flight))
        )

    def scrub(self, row: PostalCarrierCommand, text: str) -> str:
        """A carrier's refusal may quote the order: none of the applicant's party as sent
        (name, address with its unit, phone) in the stored error. Longest first, so the
        address as sent goes whole, not leaving its unit behind."""
        party = applicant_party(row.order)
        quoted = {party.address, row.order.address_line, party.name, party.tel}
        for secret in sorted(quoted, key=len, reverse=True):
            if secret:
                text = text.replace(secret, "***")
        return text


OUTBOX = CarrierOutbox(
    PostalCarrierCommand,
    name="carrier",
    related=[
        "order__unit",
        "order__dossier__desk__unit",
        "order__dossier__competent_agency__unit",
    ],
    max_attempts_setting="CARRIER_MAX_ATTEMPTS",
)

_client: CarrierClient | None = None


def client() -> CarrierClient:
    """The process's client (one token for all its sends), rebuilt if the settings changed."""
    global _client
    if _client is None or _client.config.base_url != settings.CARRIER_BASE_URL:
        _client = CarrierClient.from_settings()
    return _client


# ---- written by the actions, in their transaction ------------------------------------------


def queue_create(order: PostalOrder) -> PostalCarrierCommand | None:
    """The order's create command; a pickup's is queued on commit, a delivery's waits for
    the result (the module's docstring). None when the carrier is switched off."""
    if not settings.CARRIER_ENABLED:
        return None
    command = PostalCarrierCommand.objects.create(order=order, action=CarrierAction.CREATE)
    if order.service == PostalService.PICKUP:
        send_on_commit(send_carrier_command, command.pk)
    return command


def queue_cancel(order: PostalOrder) -> PostalCarrierCommand | None:
    """What cancelling the order means at the carrier: a create that never left is dropped
    (None); one that left, or may have, is followed by a cancel command."""
    creates = PostalCarrierCommand.objects.filter(order=order, action=CarrierAction.CREATE)
    creates.filter(status=OutboxStatus.PENDING, attempts=0).delete()
    if not creates.exists():
        return None
    command = PostalCarrierCommand.objects.create(order=order, action=CarrierAction.CANCEL)
    send_on_commit(send_carrier_command, command.pk)
    return command


# ---- the sender ----------------------------------------------------------------------------------


def _place(unit: AdministrativeUnit) -> tuple[str, str]:
    """The province's and the district's names above a unit ("" for a district in the
    two-level structure)."""
    province = district = ""
    current: AdministrativeUnit | None = unit
    while current is not None:
        if current.level == UnitLevel.PROVINCE:
            province = current.name
        elif current.level == UnitLevel.DISTRICT:
            district = current.name
        current = current.parent
    return province, district


def applicant_party(order: PostalOrder) -> Party:
    province, district = _place(order.unit)
    return Party(
        name=order.contact_name,
        address=f"{order.address_line}, {order.unit.name}",
        province=province,
        district=district,
        tel=order.contact_phone,
    )


def agency_party(order: PostalOrder) -> Party:
    """The agency's side: the one-stop desk that received the dossier (where the post hands
    papers in and collects results), with its address and phone, else its agency's. A desk
    and agency without a phone make the carrier refuse the order: the command fails with
    the carrier's message for an operator (docs/postal.md "Carrier")."""
    dossier = order.dossier
    desk, agency = dossier.desk, dossier.competent_agency
    unit = desk.unit if desk.address else agency.unit
    province, district = _place(unit)
    return Party(
        name=f"{desk.name} ({agency.name})"[:200],
        address=desk.address or agency.address or unit.name,
        province=province,
        district=district,
        tel=desk.phone or agency.phone,
        email=agency.email,
    )


def _description(order: PostalOrder) -> str:
    if order.service == PostalService.PICKUP:
        return f"Hồ sơ TTHC {order.dossier.code}"
    return f"Kết quả giải quyết TTHC hồ sơ {order.dossier.code}"


def send(command: PostalCarrierCommand) -> str:
    """Make one claimed command's call; the carrier's answer to record (the tracking number
    of a created order)."""
    order = command.order
    try:
        if command.action == CarrierAction.CANCEL:
            try:
                found = client().cancel_order(order.order_number)
            except StartedError as started:  # it goes on at the carrier: so it does here
                restore_postal_order(order=order, code=started.code)
                return CANCEL_REFUSED
            return "cancelled" if found else "not_at_carrier"
        if order.status == OrderStatus.CANCELLED:
            # A create retried after the order was cancelled (``queue_cancel`` keeps a create
            # that was tried: it may have arrived). Never send it now; the cancel command
            # that follows it cancels whatever the first try may have made.
            return SKIPPED_CANCELLED
        applicant, agency = applicant_party(order), agency_party(order)
        pickup = order.service == PostalService.PICKUP
        created = client().create_order(
            order_number=order.order_number,
            cod_amount=order.cod_vnd,
            sender=applicant if pickup else agency,
            receiver=agency if pickup else applicant,
            description=_description(order),
        )
    except CarrierError as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}", retryable=exc.retryable) from None
    PostalOrder.objects.filter(pk=order.pk).update(tracking_number=created.tracking_number)
    return created.tracking_number


def deliver(command_id: int) -> Outcome:
    return OUTBOX.deliver(command_id, send)


def drain(*, limit: int = DRAIN_BATCH) -> dict[str, int]:
    """Send every command due now: retries, lost tasks, and the delivery orders whose
    result became ready since the last drain."""
    return OUTBOX.drain(send, limit=limit).as_dict()


@task()
def send_carrier_command(command_id: int) -> str:
    """Send one carrier command; queued on commit by the postal actions."""
    outcome = deliver(command_id)
    retry_later(send_carrier_command, command_id, outcome)
    return outcome.status


@task()
def drain_carrier_commands() -> dict[str, Any]:
    return drain()
