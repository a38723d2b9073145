"""The postal service's endpoints of the public API (docs/rules/api.md, docs/postal.md "API"):
``POST`` and ``GET /api/v1/dossiers/{code}/postal``.

The applicant's portal session or an officer's (session or bearer token) may call them; the
door is ``access.dossier_for_postal`` and the rule the action's (``actions.py``). The channel
is the caller's: a citizen registers through the portal, an officer through their role's
channel (``actions.channel_for``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Any, Literal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.responses import Status
from ninja.security import SessionAuth

from motcua.core.actions import ActionError
from motcua.core.api_errors import ApiError
from motcua.dossiers.lookup import CODE_MAX
from motcua.dossiers.tokens import BearerToken
from motcua.postal.access import dossier_for_postal
from motcua.postal.actions import (
    LINE_MAX,
    NAME_MAX,
    NOTE_MAX,
    TIME_MAX,
    Address,
    Contact,
    channel_for,
    register_postal_service,
)
from motcua.postal.models import PostalIdempotencyKey, PostalOrder, PostalService
from motcua.postal.tariff import UNIT_CODE_MAX

router = Router(tags=["postal"], auth=[BearerToken(), SessionAuth()])

Code = Annotated[str, Path(max_length=CODE_MAX)]


class AddressIn(Schema):
    line: str = Field(max_length=LINE_MAX, description="Số nhà, đường, ấp, khu phố.")
    unit_code: str = Field(
        max_length=UNIT_CODE_MAX,
        description="Mã đơn vị hành chính cấp xã (theo cấu trúc cũ hoặc mới).",
    )


class ContactIn(Schema):
    name: str = Field(max_length=NAME_MAX)
    phone: str = Field(max_length=30)
    preferred_time: str = Field("", max_length=TIME_MAX)


class PostalCreate(Schema):
    service: Literal["pickup", "delivery", "both"]
    address: AddressIn
    contact: ContactIn
    note: str = Field("", max_length=NOTE_MAX)


class AddressOut(Schema):
    line: str
    unit_code: str
    unit_name: str


class PostalOrderOut(Schema):
    id: int
    service: str
    status: str
    status_label: str
    fee_vnd: int
    cod_vnd: int
    channel: str
    created_at: dt.datetime
    tracking_number: str | None
    address: AddressOut
    contact_name: str
    events: list[dict[str, Any]]


class PostalOrdersOut(Schema):
    items: list[PostalOrderOut]


def order_out(order: PostalOrder) -> dict[str, Any]:
    return {
        "id": order.pk,
        "service": order.service,
        "status": order.status,
        "status_label": order.get_status_display(),
        "fee_vnd": order.fee_vnd,
        "cod_vnd": order.cod_vnd,
        "channel": order.channel,
        "created_at": order.created_at,
        "tracking_number": order.tracking_number or None,
        "address": {
            "line": order.address_line,
            "unit_code": order.unit.code,
            "unit_name": order.unit.name,
        },
        "contact_name": order.contact_name,
        # The carrier's tracking events, in the order they happened.
        "events": [
            {
                "code": event.status_code,
                "status": event.moved_to,
                "message": event.message,
                "at": event.at,
            }
            for event in order.tracking.all()
        ],
    }


def _answer(orders: list[PostalOrder], service: str) -> dict[str, Any]:
    """One order for one service; ``{"items": [...]}`` for both (pickup first)."""
    if service == "both":
        return {"items": [order_out(o) for o in orders]}
    return order_out(orders[0])


def _digest(code: str, body: PostalCreate) -> str:
    canonical = json.dumps(
        {"dossier": code, **body.model_dump(mode="json")}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@router.post(
    "/{code}/postal",
    response={200: PostalOrderOut | PostalOrdersOut, 201: PostalOrderOut | PostalOrdersOut},
    summary="Đăng ký dịch vụ bưu chính công ích",
)
def register_postal(request: HttpRequest, code: Code, body: PostalCreate) -> Status[Any]:
    """Order the postal pickup of the dossier's papers, the delivery of its result, or both
    (``{"items": [pickup, delivery]}``). 201 when an order was made; 200 when the same
    registration was already there; 409 when the service is ordered with another address
    or contact, or the dossier's status does not allow it. An ``Idempotency-Key`` header
    makes retries safe: the same key and body answer the same orders again (201); the same
    key with another body is 409."""
    user = request.user
    assert isinstance(user, User)  # the router's auth let a signed-in person through
    key = request.headers.get("Idempotency-Key", "").strip()[:255]
    digest = _digest(code, body)
    services: list[str] = (
        [PostalService.PICKUP, PostalService.DELIVERY] if body.service == "both" else [body.service]
    )
    try:
        with transaction.atomic():
            dossier = dossier_for_postal(user, code)
            claim = None
            if key:
                try:
                    with transaction.atomic():
                        claim = PostalIdempotencyKey.objects.create(
                            user=user, key=key, request_digest=digest
                        )
                except IntegrityError:
                    used = PostalIdempotencyKey.objects.get(user=user, key=key)
                    if used.request_digest != digest:
                        raise ApiError(
                            409,
                            "idempotency_key_reused",
                            _("Idempotency-Key này đã dùng cho một yêu cầu khác."),
                        ) from None
                    replayed = list(used.orders.select_related("unit").order_by("service"))
                    return Status(201, _answer(_pickup_first(replayed), body.service))
            registrations = [
                register_postal_service(
                    dossier=dossier,
                    actor=user,
                    service=service,
                    address=Address(body.address.line, body.address.unit_code),
                    contact=Contact(
                        body.contact.name, body.contact.phone, body.contact.preferred_time
                    ),
                    channel=channel_for(user),
                    note=body.note,
                )
                for service in services
            ]
            orders = [r.order for r in registrations]
            if claim is not None:
                claim.orders.set(orders)
    except ActionError as exc:
        raise ApiError(exc.status, exc.code, exc.message, exc.details) from exc
    created = any(r.created for r in registrations)
    return Status(201 if created else 200, _answer(orders, body.service))


def _pickup_first(orders: list[PostalOrder]) -> list[PostalOrder]:
    return sorted(orders, key=lambda o: o.service != PostalService.PICKUP)


@router.get("/{code}/postal", response=PostalOrdersOut, summary="Đơn bưu chính của hồ sơ")
def list_postal(request: HttpRequest, code: Code) -> dict[str, Any]:
    """The dossier's postal orders, cancelled ones included, oldest first."""
    dossier = dossier_for_postal(request.user, code)
    orders = PostalOrder.objects.filter(dossier=dossier).select_related("unit")
    return {"items": [order_out(o) for o in orders.order_by("created_at", "pk")]}
