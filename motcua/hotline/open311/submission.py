"""``POST requests``: a service request from an Open311 client becomes a ticket.

The form (GeoReport v2): ``service_code`` (required); a location as ``lat`` + ``long``, or
``address_string``, or ``address_id``; ``description`` (at most 4000 characters); the
person's ``email``, ``first_name``, ``last_name``, ``phone``; ``device_id``, ``account_id``,
``media_url``. Anything wrong is refused with a Vietnamese message and nothing is stored.

Client retries must not make two tickets:

- an ``Idempotency-Key`` header becomes the first message's ``external_id`` on channel
  open311, whose unique constraint (``ticket_message_once``) keeps the key forever and settles
  two deliveries at the same moment: the second finds the first's ticket;
- without a key, the same submission from the same ``device_id`` within
  ``DUPLICATE_WINDOW`` is recognised through the shared cache: ``cache.add`` is atomic, so
  only one of two concurrent copies gets to create the ticket (the other is told to retry
  while the first is in flight, and gets the first's ticket afterwards).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from motcua.core.phones import normalize_phone
from motcua.core.text import normalize, normalize_block
from motcua.hotline import contacts
from motcua.hotline.actions import ActionError, open_ticket
from motcua.hotline.models import Ticket, TicketCategory, TicketMessage
from motcua.hotline.open311.serializers import MAX_DESCRIPTION, media_line
from motcua.hotline.status import TicketChannel

DUPLICATE_WINDOW = dt.timedelta(minutes=2)
# How long a first copy may take before an identical one stops waiting for it.
IN_FLIGHT = dt.timedelta(seconds=30)
_PENDING = "…"


class Open311Error(Exception):
    """A request GeoReport answers with an error: ``status`` and a description for people."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


@dataclass(frozen=True)
class Submission:
    category: TicketCategory
    description: str
    latitude: Decimal | None
    longitude: Decimal | None
    address: str
    address_id: str
    email: str
    phone: str
    name: str
    device_id: str
    account_id: str
    media_url: str

    def fingerprint(self) -> str:
        data = asdict(self) | {"category": self.category.code}
        canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Outcome:
    ticket: Ticket
    created: bool


def parse(form: QueryDict) -> Submission:
    """The checked submission, or ``Open311Error(400, …)`` naming the first problem."""
    code = _text(form, "service_code", 60)
    if not code:
        raise Open311Error(400, _("Thiếu mã loại phản ánh (service_code)."))
    category = TicketCategory.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(
            400, _("Không có loại phản ánh có mã «%(code)s» (service_code).") % {"code": code}
        )
    latitude = _coordinate(form, "lat", 90)
    longitude = _coordinate(form, "long", 180)
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, _("Vị trí cần có cả vĩ độ (lat) và kinh độ (long)."))
    address = _text(form, "address_string", 255)
    address_id = _text(form, "address_id", 120)
    if latitude is None and not address and not address_id:
        raise Open311Error(
            400,
            _(
                "Cần cho biết vị trí: vĩ độ và kinh độ (lat, long), địa chỉ (address_string) "
                "hoặc mã địa chỉ (address_id)."
            ),
        )
    description = normalize_block(form.get("description", ""))
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(
            400,
            _("Mô tả (description) dài quá %(n)s ký tự.")
            % {"n": f"{MAX_DESCRIPTION:,}".replace(",", ".")},
        )
    email = _text(form, "email", 254).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Open311Error(400, _("Địa chỉ thư điện tử (email) không hợp lệ.")) from None
    phone = _text(form, "phone", 40)
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            raise Open311Error(400, exc.messages[0]) from None
    media_url = _text(form, "media_url", 1000)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise Open311Error(400, _("Đường dẫn ảnh, video (media_url) không hợp lệ.")) from None
    name = normalize(f"{_text(form, 'last_name', 100)} {_text(form, 'first_name', 100)}")
    return Submission(
        category=category,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address,
        address_id=address_id,
        email=email,
        phone=phone,
        name=name,
        device_id=_text(form, "device_id", 255),
        account_id=_text(form, "account_id", 255),
        media_url=media_url,
    )


def submit(submission: Submission, *, actor: User | None, idempotency_key: str = "") -> Outcome:
    """The ticket for this submission: a new one, or the one an earlier copy made."""
    external_id = f"idem:{_digest(idempotency_key)}" if idempotency_key else ""
    if external_id:
        earlier = _by_key(external_id)
        if earlier is not None:
            return Outcome(earlier, created=False)
    guard = f"open311:dup:{_digest(submission.device_id)}:{submission.fingerprint()}"
    if submission.device_id:
        earlier = _claim(guard)
        if earlier is not None:
            return Outcome(earlier, created=False)
    try:
        ticket = _create(submission, actor=actor, external_id=external_id)
        created = True
    except IntegrityError:
        # Two deliveries with the same key at the same moment: the other one stored it.
        earlier = _by_key(external_id) if external_id else None
        if earlier is None:
            _release(guard, submission)
            raise
        ticket, created = earlier, False
    except BaseException:
        _release(guard, submission)
        raise
    if submission.device_id:
        cache.set(guard, ticket.code, timeout=DUPLICATE_WINDOW.total_seconds())
    return Outcome(ticket, created=created)


def _release(guard: str, submission: Submission) -> None:
    if submission.device_id:
        cache.delete(guard)


def _create(submission: Submission, *, actor: User | None, external_id: str) -> Ticket:
    s = submission
    category = s.category
    body = s.description or _("Phản ánh «%(service)s» gửi qua ứng dụng, không kèm mô tả.") % {
        "service": category.name
    }
    if s.media_url:
        body += media_line(s.media_url)
    address = s.address or (_("Mã địa chỉ %(id)s") % {"id": s.address_id})
    try:
        with transaction.atomic():
            contact = contacts.contact_for(
                channel=TicketChannel.OPEN311 if s.account_id else "",
                sender_id=s.account_id,
                name=s.name,
                email=s.email,
                phone=s.phone,
            )
            return open_ticket(
                channel=TicketChannel.OPEN311,
                kind=category.kind,
                body=body,
                subject=category.name,
                contact=contact,
                actor=actor,
                category=category,
                address=address,
                latitude=s.latitude,
                longitude=s.longitude,
                external_id=external_id,
            )
    except ActionError as exc:
        raise Open311Error(400, exc.message) from exc


def _by_key(external_id: str) -> Ticket | None:
    message = (
        TicketMessage.objects.select_related("ticket")
        .filter(channel=TicketChannel.OPEN311, external_id=external_id)
        .first()
    )
    return message.ticket if message is not None else None


def _claim(key: str) -> Ticket | None:
    """Take the right to create this submission's ticket (``None``), or the ticket an identical
    submission made a moment ago."""
    if cache.add(key, _PENDING, timeout=IN_FLIGHT.total_seconds()):
        return None
    code = cache.get(key)
    if code is None:  # the other copy failed or expired in between: try once more
        if cache.add(key, _PENDING, timeout=IN_FLIGHT.total_seconds()):
            return None
        code = cache.get(key)
    ticket = Ticket.objects.filter(code=code).first() if code and code != _PENDING else None
    if ticket is None:
        raise Open311Error(
            409, _("Một yêu cầu giống hệt đang được xử lý, vui lòng thử lại sau ít giây.")
        )
    return ticket


def _text(form: QueryDict, name: str, limit: int) -> str:
    value = normalize(form.get(name, ""))
    if len(value) > limit:
        raise Open311Error(
            400, _("Trường %(name)s dài quá %(n)s ký tự.") % {"name": name, "n": limit}
        )
    return value


def _coordinate(form: QueryDict, name: str, limit: int) -> Decimal | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise Open311Error(
            400,
            _("%(name)s phải là số thập phân từ -%(limit)s đến %(limit)s (ví dụ 10.4597).")
            % {"name": name, "limit": limit},
        )
    return Decimal(f"{value:.6f}")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
