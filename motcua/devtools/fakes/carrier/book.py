"""What the fake carrier keeps: its orders, the strict check of an order, and the tracking
events each order goes through (the package's docstring says how)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# The carrier's codes (motcua/postal/tracking.py maps them): 1 registered, 2 collecting (a
# pickup) or delivering, 3 delivered (a pickup's papers to the agency, a result to the
# applicant), 4 cancelled, 5 a failed attempt, 6 returned to sender.
MESSAGES = {
    "1": "Đã tiếp nhận đơn hàng",
    "2": "Bưu tá đang đi thu gom / phát",
    "3": "Phát thành công",
    "4": "Đơn hàng đã hủy",
    "5": "Phát không thành công: không gặp người nhận",
    "6": "Đã chuyển hoàn về người gửi",
}
# What comes after "registered", by what is planned for the order.
ROUTES: dict[str, tuple[str, ...]] = {
    "normal": ("2", "3"),
    "failed_attempt": ("2", "5", "2", "3"),
    "returned": ("2", "5", "6"),
}
FINAL = frozenset({"3", "4", "6"})
ORDER_FIELDS = frozenset(
    {"customerCode", "orderNumber", "codAmount", "sender", "receiver", "description"}
)
PARTY_FIELDS = frozenset({"name", "address", "province", "district", "tel", "email"})
PARTY_REQUIRED = ("name", "address", "province", "tel")
TEL = re.compile(r"^(0|\+84)[0-9]{8,10}$")


class Refused(Exception):  # noqa: N818 (a refusal the fake answers, not a bug)
    """The order is refused; the message is the carrier's."""


@dataclass
class CarrierOrder:
    order_number: str
    item_code: str
    body: dict[str, Any]
    route: tuple[str, ...] = ROUTES["normal"]
    position: int = 0  # how many steps of the route are done
    status_code: str = "1"
    creates: int = 1  # how many times it was asked to be created
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.status_code in FINAL


def check_order(body: Any, customer_code: str) -> None:
    """Refuse an order as the carrier would (Refused, with its message)."""
    if not isinstance(body, dict):
        raise Refused("Dữ liệu gửi lên không phải đối tượng JSON")
    if unknown := sorted(set(body) - ORDER_FIELDS):
        raise Refused(f"Trường không hợp lệ: {', '.join(unknown)}")
    if body.get("customerCode") != customer_code:
        raise Refused("Mã khách hàng (customerCode) không đúng")
    number = body.get("orderNumber")
    if not isinstance(number, str) or not 1 <= len(number) <= 50:
        raise Refused("orderNumber bắt buộc, tối đa 50 ký tự")
    cod = body.get("codAmount")
    if not isinstance(cod, int) or isinstance(cod, bool) or cod < 0:
        raise Refused("codAmount phải là số nguyên không âm")
    for side in ("sender", "receiver"):
        party = body.get(side)
        if not isinstance(party, dict):
            raise Refused(f"{side} bắt buộc")
        if unknown := sorted(set(party) - PARTY_FIELDS):
            raise Refused(f"{side}: trường không hợp lệ: {', '.join(unknown)}")
        if not all(isinstance(value, str) for value in party.values()):
            raise Refused(f"{side}: các trường phải là chuỗi")
        for name in PARTY_REQUIRED:
            if not str(party.get(name) or "").strip():
                raise Refused(f"{side}.{name} bắt buộc")
        if not TEL.match(party["tel"].replace(" ", "")):
            raise Refused(f"{side}.tel không phải số điện thoại hợp lệ")
    description = body.get("description")
    if not isinstance(description, str) or len(description) > 500:
        raise Refused("description bắt buộc, tối đa 500 ký tự")


class Book:
    """The orders and the tracking feed (every event of every order, ids increasing)."""

    def __init__(self) -> None:
        self.orders: dict[str, CarrierOrder] = {}
        self.feed: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._codes = itertools.count(100000001)

    def create(self, body: dict[str, Any]) -> tuple[CarrierOrder, bool]:
        """The order, and whether it is new (an order number held already: the same order)."""
        number = body["orderNumber"]
        order = self.orders.get(number)
        if order is not None:
            order.creates += 1
            return order, False
        order = CarrierOrder(number, f"EB{next(self._codes)}VN", body)
        self.orders[number] = order
        self.event(order, "1")
        return order, True

    def cancel(self, number: str) -> str:
        """ "cancelled", "not_found" or "started" (the carrier has begun: not cancellable)."""
        order = self.orders.get(number)
        if order is None:
            return "not_found"
        if order.status_code == "4":
            return "cancelled"
        if order.status_code != "1":
            return "started"
        self.event(order, "4")
        return "cancelled"

    def plan(self, number: str, route: str) -> None:
        """What the order goes through from its next step (``ROUTES``'s name)."""
        order = self.orders[number]
        order.route = order.route[: order.position] + ROUTES[route]

    def advance(self, number: str) -> dict[str, Any] | None:
        """The order's next step now (its event), or None when it is over."""
        order = self.orders[number]
        if order.final or order.position >= len(order.route):
            return None
        code = order.route[order.position]
        order.position += 1
        return self.event(order, code)

    def event(self, order: CarrierOrder, code: str) -> dict[str, Any]:
        order.status_code = code
        item = {
            "id": next(self._ids),
            "orderNumber": order.order_number,
            "itemCode": order.item_code,
            "statusCode": code,
            "statusMessage": MESSAGES[code],
            "time": dt.datetime.now(ZONE).isoformat(timespec="milliseconds"),
        }
        order.events.append(item)
        self.feed.append(item)
        return item

    def page(self, last_id: int, limit: int) -> dict[str, Any]:
        items = [item for item in self.feed if item["id"] > last_id][:limit]
        return {"items": items, "lastId": items[-1]["id"] if items else last_id}
