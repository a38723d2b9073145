"""A local stand-in for the postal carrier's API (protocol: the docstring of
``motcua/integrations/carrier/__init__.py``), which moves its orders along over time.

What it checks, like a strict carrier: the key and secret at ``POST /token`` (else HTTP 401),
the bearer token on every other call (unknown, expired by ``expire_tokens`` or older than
``token_seconds`` → HTTP 401), and every order field by field (``book.check_order``: the
customer code, the order number, ``codAmount`` a whole number, both parties with name,
address, province and a phone number, no field outside the list; else HTTP 400 with a
Vietnamese message). A create of an order number it holds answers ``exists`` with the same
``itemCode`` (``creates`` counts the asks); a cancel of an order it never got is 404, of one
it has started on 409.

Moving orders along. Each order goes registered (1) → collecting or delivering (2) →
delivered (3); ``plan(number, "failed_attempt")`` puts a failed attempt (5) before the
delivery, ``plan(number, "returned")`` ends in a return to sender (6). ``advance(number)``
takes the next step now (a test's "advance this order", no sleeping); with ``step_seconds``
a background thread takes one step of every order that often. Each step is an event of the
tracking feed (``GET /tracking``) and, with ``webhook_url``, a webhook signed with
``webhook_secret``, posted at once through ``deliver`` (HTTP by default; a test hands in its
own, e.g. Django's test client). ``webhook_answers`` lists ``(event id, HTTP status)``.

Misbehaving on demand (each counted in ``injected``):

- the API: ``fail_next_with`` (inherited, e.g. an HTTP 500), ``drop_next(n,
  after_processing=…)`` (the connection closed without an answer before the call is
  processed, or after: the order IS kept and the caller cannot know: a lost answer),
  ``slow_next(n, seconds)`` (processed, answered late: the caller's timeout), and
  ``expire_tokens()``;
- the webhooks: ``webhook_faults(kind, n)`` for the next ``n`` webhooks: ``duplicate``
  (posted twice), ``hold`` (held back and posted after the next one: out of order),
  ``bad_signature``, ``unsigned``, ``stale`` (signed with a timestamp an hour old), ``lost``
  (never posted: only the feed has it).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from typing import Any

from motcua.devtools.fakes.carrier.book import ROUTES, Book, CarrierOrder, Refused, check_order
from motcua.devtools.loopback import Hangup, LoopbackServer, Reply, Request, json_reply, post
from motcua.integrations.carrier import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

__all__ = [
    "DEV_CUSTOMER_CODE",
    "DEV_KEY",
    "DEV_SECRET",
    "DEV_WEBHOOK_SECRET",
    "ROUTES",
    "CarrierOrder",
    "FakeCarrier",
]

# Well-known development credentials (the command's defaults when CARRIER_* are unset).
DEV_CUSTOMER_CODE = "DEV-MOTCUA"
DEV_KEY = "dev-carrier-key"
DEV_SECRET = "dev-carrier-secret"  # noqa: S105 (a fake's public default)
DEV_WEBHOOK_SECRET = "dev-carrier-webhook-secret"  # noqa: S105 (a fake's public default)
WEBHOOK_FAULTS = ("duplicate", "hold", "bad_signature", "unsigned", "stale", "lost")

Deliver = Callable[[str, bytes, Mapping[str, str]], int]


class FakeCarrier(LoopbackServer):
    server_version = "motcua-fake-carrier/1"

    def __init__(
        self,
        *,
        customer_code: str = DEV_CUSTOMER_CODE,
        key: str = DEV_KEY,
        secret: str = DEV_SECRET,
        webhook_url: str = "",
        webhook_secret: str = DEV_WEBHOOK_SECRET,
        step_seconds: float | None = None,
        token_seconds: float = 3600,
        host: str = "127.0.0.1",
        port: int = 0,
        deliver: Deliver = post,
        on_event: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(host=host, port=port)
        self.customer_code, self.key, self.secret = customer_code, key, secret
        self.webhook_url, self.webhook_secret = webhook_url, webhook_secret
        self.step_seconds, self.token_seconds = step_seconds, token_seconds
        self.deliver, self.on_event = deliver, on_event
        self.book = Book()
        self.logins = 0
        self.calls: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.webhook_answers: list[tuple[int, int]] = []
        self._tokens: dict[str, float] = {}
        self._plans: deque[tuple[str, float]] = deque()
        self._webhook_faults: deque[str] = deque()
        self._held: list[dict[str, Any]] = []
        self._moving = threading.Event()
        self._mover: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return self.url

    @property
    def orders(self) -> dict[str, CarrierOrder]:
        return self.book.orders

    # ---- moving orders along -------------------------------------------------------------------

    def plan(self, order_number: str, route: str) -> None:
        with self._lock:
            self.book.plan(order_number, route)

    def advance(self, order_number: str) -> dict[str, Any] | None:
        """Take the order's next step now and post its webhook; the event, or None."""
        with self._lock:
            item = self.book.advance(order_number)
        if item is not None:
            self._emit(f"{order_number} → {item['statusCode']} {item['statusMessage']}")
            self.post_webhook(item)
        return item

    def advance_all(self) -> int:
        """One step of every order still moving; how many moved."""
        with self._lock:
            numbers = [n for n, o in self.book.orders.items() if not o.final]
        return sum(self.advance(number) is not None for number in numbers)

    def start(self) -> FakeCarrier:
        super().start()
        self._start_moving()
        return self

    def serve_forever(self) -> None:
        self._start_moving()
        super().serve_forever()

    def stop(self) -> None:
        self._moving.set()
        if self._mover is not None:
            self._mover.join(timeout=5)
            self._mover = None
        super().stop()

    def _start_moving(self) -> None:
        if self.step_seconds and self._mover is None:
            self._moving.clear()
            self._mover = threading.Thread(target=self._move, daemon=True)
            self._mover.start()

    def _move(self) -> None:
        assert self.step_seconds
        while not self._moving.wait(self.step_seconds):
            self.advance_all()

    # ---- webhooks ------------------------------------------------------------------------------

    def webhook_faults(self, kind: str, count: int = 1) -> None:
        if kind not in WEBHOOK_FAULTS:
            raise ValueError(f"one of {WEBHOOK_FAULTS}")
        with self._lock:
            self._webhook_faults.extend([kind] * count)

    def signed(
        self, item: dict[str, Any], *, at: float | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The webhook call for ``item``: its body and headers, signed."""
        body = json.dumps(item, ensure_ascii=False).encode("utf-8")
        stamp = str(int(time.time() if at is None else at))
        return body, {
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(self.webhook_secret, stamp, body),
        }

    def post_webhook(self, item: dict[str, Any]) -> None:
        if not self.webhook_url:
            return
        with self._lock:
            fault = self._webhook_faults.popleft() if self._webhook_faults else ""
            held, self._held = (self._held, []) if fault != "hold" else ([], self._held)
            if fault:
                self.injected[f"webhook_{fault}"] += 1
        if fault == "hold":
            with self._lock:
                self._held.append(item)
            return
        if fault != "lost":
            self._post(item, fault)
            if fault == "duplicate":
                self._post(item, "")
        for late in held:
            self._post(late, "")

    def _post(self, item: dict[str, Any], fault: str) -> None:
        body, headers = self.signed(item, at=time.time() - 3600 if fault == "stale" else None)
        if fault == "bad_signature":
            headers[SIGNATURE_HEADER] = signature("not-the-secret", headers[TIMESTAMP_HEADER], body)
        elif fault == "unsigned":
            del headers[SIGNATURE_HEADER], headers[TIMESTAMP_HEADER]
        try:
            status = self.deliver(self.webhook_url, body, headers)
        except (OSError, ValueError) as exc:  # the site is down: the feed still has the event
            self._emit(f"! webhook {item['id']}: {exc}")
            status = 0
        with self._lock:
            self.webhook_answers.append((int(item["id"]), status))
        self._emit(f"webhook {item['id']} ({item['statusCode']}) → HTTP {status}")

    # ---- misbehaving on demand -------------------------------------------------------------------

    def drop_next(self, count: int, *, after_processing: bool = False) -> None:
        self._queue(count, "drop_after" if after_processing else "drop_before")

    def slow_next(self, count: int, seconds: float) -> None:
        self._queue(count, "slow", seconds)

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def _queue(self, count: int, kind: str, seconds: float = 0.0) -> None:
        with self._lock:
            self._plans.extend([(kind, seconds)] * count)

    # ---- over HTTP -------------------------------------------------------------------------------

    def reply(self, request: Request) -> Reply:
        route = (request.method, request.path)
        if route == ("POST", "/token"):
            return self._login(request)
        if route not in {("POST", "/orders"), ("POST", "/orders/cancel"), ("GET", "/tracking")}:
            return json_reply(404, {"code": "not_found", "message": "Không có địa chỉ này"})
        with self._lock:
            self.calls[request.path] += 1
        if not self._token_valid(request.headers.get("Authorization", "")):
            self._reject()
            return json_reply(401, {"code": "unauthorized", "message": "Token hết hạn"})
        if failure := self._next_failure():
            return failure
        with self._lock:
            kind, seconds = self._plans.popleft() if self._plans else ("", 0.0)
            if kind:
                self.injected[kind] += 1
        if kind == "drop_before":
            raise Hangup
        answer = self._serve(request)
        if kind == "drop_after":
            raise Hangup
        if kind == "slow":
            time.sleep(seconds)
        return answer

    def _serve(self, request: Request) -> Reply:
        if request.method == "GET":
            query = request.query
            if query.get("customerCode") != self.customer_code:
                return json_reply(400, {"code": "invalid", "message": "customerCode không đúng"})
            try:
                last_id, limit = int(query.get("lastId", "0")), int(query.get("limit", "100"))
            except ValueError:
                return json_reply(400, {"code": "invalid", "message": "lastId, limit là số"})
            with self._lock:
                return json_reply(200, self.book.page(last_id, max(1, min(limit, 500))))
        try:
            body = request.json()
        except ValueError:
            body = None
        if request.path == "/orders/cancel":
            return self._cancel(body)
        try:
            check_order(body, self.customer_code)
        except Refused as refused:
            self._emit(f"× {refused}")
            return json_reply(400, {"code": "invalid", "message": str(refused)})
        with self._lock:
            order, new = self.book.create(body)
        self._emit(f"{'Đơn mới' if new else 'Đơn đã có'}: {order.order_number} ({order.item_code})")
        code = "created" if new else "exists"
        return json_reply(
            200, {"code": code, "orderNumber": order.order_number, "itemCode": order.item_code}
        )

    def _cancel(self, body: Any) -> Reply:
        if not isinstance(body, dict) or body.get("customerCode") != self.customer_code:
            return json_reply(400, {"code": "invalid", "message": "customerCode không đúng"})
        with self._lock:
            outcome = self.book.cancel(str(body.get("orderNumber") or ""))
        self._emit(f"Hủy {body.get('orderNumber')}: {outcome}")
        if outcome == "not_found":
            return json_reply(404, {"code": "not_found", "message": "Không có đơn hàng này"})
        if outcome == "started":
            return json_reply(
                409,
                {"code": "not_cancellable", "message": "Đơn hàng đã được thu gom, không hủy được"},
            )
        return json_reply(200, {"code": "cancelled"})

    def _login(self, request: Request) -> Reply:
        try:
            body = request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or (
            body.get("customerCode"),
            body.get("key"),
            body.get("secret"),
        ) != (self.customer_code, self.key, self.secret):
            self._reject()
            return json_reply(401, {"code": "unauthorized", "message": "Sai thông tin xác thực"})
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.monotonic()
            self.logins += 1
        return json_reply(200, {"token": token, "expiresIn": int(self.token_seconds)})

    def _token_valid(self, header: str) -> bool:
        scheme, _sp, token = header.partition(" ")
        with self._lock:
            issued = self._tokens.get(token) if scheme == "Bearer" else None
        return issued is not None and time.monotonic() - issued < self.token_seconds

    def _emit(self, line: str) -> None:
        if self.on_event is not None:
            self.on_event(line)
