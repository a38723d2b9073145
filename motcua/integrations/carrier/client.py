"""The carrier's client: the bearer token, the calls, what each answer means, and the
webhook's signature (the protocol is this package's docstring)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from motcua.core.inputs import EARLIEST, LATEST, MAX_BIGINT, parse_id, strip_unstorable

TIMESTAMP_HEADER = "X-Carrier-Timestamp"
SIGNATURE_HEADER = "X-Carrier-Signature"
logger = logging.getLogger(__name__)

RETRYABLE_HTTP = {408, 425, 429}
TOKEN_MARGIN_SECONDS = 30  # a token this close to its expiry is renewed before the call
MAX_ANSWER_BYTES = 4 * 1024 * 1024
MESSAGE_CHARS = 500
TIMESTAMP_DIGITS = 12  # Unix seconds, with room to spare


class CarrierError(Exception):
    """The carrier did not do what was asked; ``retryable`` says whether asking again later
    can help. ``code`` is the carrier's code or the HTTP status, if any."""

    retryable = False

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message[:MESSAGE_CHARS])
        self.code = code


class UnavailableError(CarrierError):
    """Unreachable, too slow, overloaded, or answering outside the protocol."""

    retryable = True


class RejectedError(CarrierError):
    """The carrier refused the data (its message says why)."""


class StartedError(RejectedError):
    """The carrier refused to cancel an order it has started on (HTTP 409 to a cancel)."""


@dataclass(frozen=True)
class Party:
    """A sender or a receiver, as the carrier's order carries them."""

    name: str
    address: str
    province: str
    district: str
    tel: str
    email: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "address": self.address,
            "province": self.province,
            "district": self.district,
            "tel": self.tel,
            "email": self.email,
        }


@dataclass(frozen=True)
class CreatedOrder:
    order_number: str
    tracking_number: str
    existed: bool  # the carrier held it already (a retried create)


def clean(value: Any) -> str:
    """A text field of the carrier's, as text the database can store ("" for none)."""
    return strip_unstorable(str(value)) if value is not None else ""


@dataclass(frozen=True)
class TrackingItem:
    id: int
    order_number: str
    tracking_number: str
    status_code: str
    message: str
    at: dt.datetime

    @classmethod
    def parse(cls, item: Any) -> TrackingItem:
        """One tracking item of the feed or the webhook; ValueError if it is malformed."""
        if not isinstance(item, dict):
            raise ValueError("a tracking item is an object")
        raw_id = item.get("id")
        # The id is a bigint column and the feed's cursor: a whole number within 1..2^63 − 1
        # (not a bool, a fraction, "²" or 10^30).
        event_id = raw_id if type(raw_id) is int else parse_id(raw_id)
        if event_id is None or not 0 < event_id <= MAX_BIGINT:
            raise ValueError("id is not a whole number within 1..2^63-1")
        try:
            at = dt.datetime.fromisoformat(str(item["time"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad time: {exc}") from None
        if at.tzinfo is None:
            raise ValueError("time has no offset")
        if not EARLIEST <= at < LATEST:  # year 1 would overflow on its way to UTC
            raise ValueError("time outside 2000-2099")
        order_number = clean(item.get("orderNumber"))
        code = clean(item.get("statusCode"))
        if not order_number or not code:
            raise ValueError("id, orderNumber and statusCode are required")
        return cls(
            id=event_id,
            order_number=order_number[:64],
            tracking_number=clean(item.get("itemCode"))[:40],
            status_code=code[:10],
            message=clean(item.get("statusMessage"))[:255],
            at=at,
        )


@dataclass(frozen=True)
class TrackingPage:
    items: list[TrackingItem]
    last_id: int


@dataclass(frozen=True)
class CarrierConfig:
    base_url: str
    customer_code: str
    key: str
    secret: str
    timeout: float = 15.0

    @classmethod
    def from_settings(cls) -> CarrierConfig:
        return cls(
            base_url=settings.CARRIER_BASE_URL,
            customer_code=settings.CARRIER_CUSTOMER_CODE,
            key=settings.CARRIER_KEY,
            secret=settings.CARRIER_SECRET,
            timeout=float(settings.CARRIER_TIMEOUT),
        )


@dataclass
class _Token:
    value: str = ""
    expires_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class CarrierClient:
    """One token, shared by the threads that use the client: renewed before it expires,
    and once more when the carrier answers 401 to a call (then the call is repeated)."""

    def __init__(self, config: CarrierConfig, *, clock: Any = time.monotonic) -> None:
        self.config = config
        self.clock = clock
        self._token = _Token()
        self.logins = 0

    @classmethod
    def from_settings(cls) -> CarrierClient:
        return cls(CarrierConfig.from_settings())

    # ---- the calls ---------------------------------------------------------------------------

    def create_order(
        self,
        *,
        order_number: str,
        cod_amount: int,
        sender: Party,
        receiver: Party,
        description: str,
    ) -> CreatedOrder:
        body = {
            "customerCode": self.config.customer_code,
            "orderNumber": order_number,
            "codAmount": cod_amount,
            "sender": sender.as_json(),
            "receiver": receiver.as_json(),
            "description": description,
        }
        status, answer = self._call("POST", "/orders", body)
        if status == 200 and answer.get("code") in ("created", "exists"):
            tracking = str(answer.get("itemCode") or "")
            if not tracking:
                raise UnavailableError("the carrier's answer has no itemCode", code="protocol")
            return CreatedOrder(order_number, tracking, existed=answer.get("code") == "exists")
        raise self._refusal(status, answer)

    def cancel_order(self, order_number: str) -> bool:
        """Cancel the order; False when the carrier never had it (nothing to cancel);
        ``StartedError`` when it has started on it (it goes on)."""
        body = {"customerCode": self.config.customer_code, "orderNumber": order_number}
        status, answer = self._call("POST", "/orders/cancel", body)
        if status == 200:
            return True
        if status == 404:
            return False
        if status == 409:
            message = str(answer.get("message") or answer.get("code") or "HTTP 409")
            raise StartedError(message, code=str(answer.get("code") or status))
        raise self._refusal(status, answer)

    def tracking(self, *, last_id: int, limit: int = 100) -> TrackingPage:
        """The tracking events after ``last_id``, oldest first; a malformed item is logged
        and skipped (the cursor goes past it, or it would block the feed for good)."""
        query = urllib.parse.urlencode(
            {"customerCode": self.config.customer_code, "lastId": last_id, "limit": limit}
        )
        status, answer = self._call("GET", f"/tracking?{query}", None)
        if status != 200 or not isinstance(answer.get("items"), list):
            raise self._refusal(status, answer)
        items = []
        for raw in answer["items"]:
            try:
                items.append(TrackingItem.parse(raw))
            except ValueError as exc:  # one bad item must not stop the feed for good
                logger.warning("carrier tracking: malformed item skipped: %s", exc)
        raw_last = answer.get("lastId")
        last = raw_last if type(raw_last) is int else parse_id(raw_last)
        if last is None or not 0 <= last <= MAX_BIGINT:
            # Missing or not an id (the cursor's bigint could not hold it): go on from the
            # last item read, so the next poll asks from there.
            if raw_last not in (None, ""):
                logger.warning("carrier tracking: lastId outside 0..2^63-1 ignored")
            last = last_id
        return TrackingPage(items, max(last, items[-1].id if items else 0, last_id))

    # ---- the token and the transport -----------------------------------------------------------

    def token(self, *, renew: bool = False) -> str:
        with self._token.lock:
            if renew or not self._token.value or self.clock() >= self._token.expires_at:
                self._login()
            return self._token.value

    def _login(self) -> None:
        body = {
            "customerCode": self.config.customer_code,
            "key": self.config.key,
            "secret": self.config.secret,
        }
        status, answer = self._send("POST", "/token", body, token="")
        token = answer.get("token")
        if status != 200 or not isinstance(token, str) or not token:
            if status in (400, 401, 403):
                raise RejectedError(
                    "đăng nhập bưu điện bị từ chối (kiểm tra CARRIER_KEY, CARRIER_SECRET): "
                    + str(answer.get("message", "")),
                    code=str(status),
                )
            raise self._refusal(status, answer)
        try:
            lifetime = float(answer.get("expiresIn") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        self._token.value = token
        self._token.expires_at = self.clock() + max(lifetime - TOKEN_MARGIN_SECONDS, 1.0)
        self.logins += 1

    def _call(self, method: str, path: str, body: Any) -> tuple[int, dict[str, Any]]:
        status, answer = self._send(method, path, body, token=self.token())
        if status == 401:  # the token expired early (or was revoked): log in once more
            status, answer = self._send(method, path, body, token=self.token(renew=True))
        return status, answer

    def _send(self, method: str, path: str, body: Any, *, token: str) -> tuple[int, dict[str, Any]]:
        url = self.config.base_url + path
        if not url.startswith(("http://", "https://")):
            raise UnavailableError(f"CARRIER_BASE_URL is not an http(s) address: {url!r}")
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310
                status, raw = int(response.status), response.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read(MAX_ANSWER_BYTES)
        except (OSError, http.client.HTTPException) as exc:  # timeouts, refused, dropped
            raise UnavailableError(f"the carrier is unreachable: {exc!r}") from None
        if status >= 500 or status in RETRYABLE_HTTP:
            raise UnavailableError(f"the carrier answered HTTP {status}", code=str(status))
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            raise UnavailableError(
                f"the carrier's answer (HTTP {status}) is not JSON", code="protocol"
            ) from None
        if not isinstance(answer, dict):
            raise UnavailableError("the carrier's answer is not a JSON object", code="protocol")
        return status, answer

    @staticmethod
    def _refusal(status: int, answer: dict[str, Any]) -> CarrierError:
        message = str(answer.get("message") or answer.get("code") or f"HTTP {status}")
        if status in (400, 404, 409, 422):
            return RejectedError(message, code=str(answer.get("code") or status))
        # A 200 outside the protocol, a 401 after a fresh login, a gateway's 403: nothing
        # wrong with the order; wait for the carrier or the operator.
        return UnavailableError(f"HTTP {status}: {message}", code=str(status))


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The webhook's signature: hex HMAC-SHA256 of ``"<timestamp>." + body``."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(
    secret: str, timestamp: str, given: str, body: bytes, *, now: float, window: float
) -> str:
    """Why the webhook call is refused ("" if it is not): ``unsigned``, ``stale`` (the
    timestamp outside ``window`` seconds of ``now``) or ``bad_signature``. Constant-time."""
    if not secret or not timestamp or not given:
        return "unsigned"
    # Headers arrive decoded as latin-1: anything may be in them. Unix seconds are ASCII
    # digits, a dozen at most (int() would take "١٢٣" or 400 digits, then overflow below).
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > TIMESTAMP_DIGITS:
        return "unsigned"
    if abs(now - int(timestamp)) > window:
        return "stale"
    given = given.strip().lower()
    if not given.isascii():  # compare_digest takes ASCII strings only; no hex digest is other
        return "bad_signature"
    if not hmac.compare_digest(signature(secret, timestamp, body).encode(), given.encode()):
        return "bad_signature"
    return ""
