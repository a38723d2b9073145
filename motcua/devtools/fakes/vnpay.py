"""A local stand-in for the VNPAY gateway (protocol: the module docstring of
``motcua/integrations/payments/vnpay.py``).

- ``GET /paymentv2/vpcpay.html?<signed request>``: checks the signature, the terminal code
  and the required parameters (400 with the reason otherwise, counted in ``rejected``) and
  shows a small page with the amount and two buttons, "Thanh toán" and "Hủy".
- ``POST /paymentv2/pay`` (``order``, ``choice=pay|cancel``): builds the signed result, calls
  the shop's IPN URL server-to-server, then redirects the browser (302) to ``vnp_ReturnUrl``
  with the same result. A payment URL past its ``vnp_ExpireDate`` fails with code 11.

What it can be told to do, to exercise the shop: ``ipn="before"`` (the default: the IPN is
answered before the browser is redirected), ``"after"`` (the IPN follows ``ipn_delay``
seconds after the redirect, in another thread) or ``"never"``; ``ipn_times=2`` sends the same
IPN twice; ``tamper_amount_vnd`` adds to the amount in the (still correctly signed) result;
``response_code`` makes "pay" fail with that code; ``fail_next_with`` and ``delay_next``
apply to every request (``requests`` counts them all). ``result_for(url)`` gives the signed
result without any HTTP, for tests that call the shop through Django's test client.
"""

from __future__ import annotations

import html
import itertools
import json
import secrets
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from django.utils import timezone

from motcua.devtools.loopback import (
    LoopbackServer,
    Reply,
    Request,
    redirect,
    text_reply,
    with_query,
)
from motcua.integrations.payments import vnpay

PAY_PATH = "/paymentv2/vpcpay.html"
CONFIRM_PATH = "/paymentv2/pay"
# Well-known development credentials (the command's defaults when VNPAY_* are unset).
DEV_TMN_CODE = "MOTCUA01"
DEV_HASH_SECRET = "dev-vnpay-hash-secret"  # noqa: S105 (a fake's public default)
REQUIRED = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_CurrCode",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_Locale",
    "vnp_ReturnUrl",
    "vnp_IpAddr",
    "vnp_CreateDate",
)
IpnTiming = Literal["before", "after", "never"]
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Cổng thanh toán (giả lập)</title></head><body>
<h1>Cổng thanh toán VNPAY (giả lập)</h1>
<p>Đơn hàng: {info}</p><p>Số tiền: <strong>{amount} VND</strong></p>
<form method="post" action="{action}"><input type="hidden" name="order" value="{order}">
<button type="submit" name="choice" value="pay">Thanh toán</button>
<button type="submit" name="choice" value="cancel">Hủy</button></form></body></html>"""


class FakeVnpayGateway(LoopbackServer):
    server_version = "motcua-fake-vnpay/1"
    max_body = 10_000  # the confirmation form is a few dozen bytes

    def __init__(
        self,
        *,
        tmn_code: str = DEV_TMN_CODE,
        hash_secret: str = DEV_HASH_SECRET,
        ipn_url: str = "",
        host: str = "127.0.0.1",
        port: int = 0,
        ipn: IpnTiming = "before",
        ipn_times: int = 1,
        ipn_delay: float = 0.3,
        tamper_amount_vnd: int = 0,
        response_code: str = vnpay.SUCCESS,
        on_event: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(host=host, port=port)
        self.tmn_code, self.hash_secret, self.ipn_url = tmn_code, hash_secret, ipn_url
        self.ipn, self.ipn_times, self.ipn_delay = ipn, ipn_times, ipn_delay
        self.tamper_amount_vnd, self.response_code = tamper_amount_vnd, response_code
        self.on_event = on_event
        self._orders: dict[str, dict[str, str]] = {}
        self._numbers = itertools.count(14_000_001)
        self.ipn_answers: list[str] = []  # RspCode of every IPN call, in order

    @property
    def payment_url(self) -> str:
        return f"{self.url}{PAY_PATH}"

    # ---- over HTTP ---------------------------------------------------------------------------

    def reply(self, request: Request) -> Reply:
        if failure := self._next_failure():
            return failure
        if request.method == "GET":
            return self._page(request)
        if request.target != CONFIRM_PATH:
            return text_reply(404, "Không có địa chỉ này")
        form = request.form()
        location = self.finish(form.get("order", ""), form.get("choice", "cancel"))
        if location is None:
            return text_reply(400, "Giao dịch không tồn tại hoặc đã xử lý")
        return redirect(location)

    def _page(self, request: Request) -> Reply:
        if request.path != PAY_PATH:
            return text_reply(404, "Không có địa chỉ này")
        query = _query_of(request.target)
        problem = self.check(query)
        if problem:
            self._reject()
            return text_reply(400, problem)
        amount = vnpay.from_gateway_amount(query["vnp_Amount"]) or 0
        page = PAGE.format(
            info=html.escape(query["vnp_OrderInfo"]),
            amount=f"{amount:,}".replace(",", "."),
            action=CONFIRM_PATH,
            order=self.open_order(query),
        )
        return text_reply(200, page, content_type="text/html")

    # ---- the protocol ------------------------------------------------------------------------

    def check(self, query: Mapping[str, str]) -> str:
        """Why a payment request is refused ("" if it is acceptable)."""
        if not vnpay.verify(self.hash_secret, query):
            return "Sai chữ ký (vnp_SecureHash)"
        missing = [name for name in REQUIRED if not query.get(name)]
        if missing:
            return f"Thiếu tham số: {', '.join(missing)}"
        if query["vnp_TmnCode"] != self.tmn_code:
            return "Website chưa được phê duyệt (vnp_TmnCode)"
        if query["vnp_Command"] != "pay" or query["vnp_CurrCode"] != "VND":
            return "Yêu cầu không hợp lệ"
        if vnpay.from_gateway_amount(query["vnp_Amount"]) is None:
            return "Số tiền không hợp lệ"
        return ""

    def result_for(
        self, request: str | Mapping[str, str], *, choice: str = "pay"
    ) -> dict[str, str]:
        """The signed result of paying (or cancelling) a payment request (its URL or its
        parameters), as the gateway sends it to the return URL and the IPN."""
        query = _query_of(request) if isinstance(request, str) else dict(request)
        problem = self.check(query)
        if problem:
            raise ValueError(problem)
        now = timezone.now()
        expires = vnpay.parse_time(query.get("vnp_ExpireDate", ""))
        if choice == "cancel":
            code = vnpay.CANCELLED_BY_CUSTOMER
        elif expires is not None and now > expires:
            code = "11"
        else:
            code = self.response_code
        with self._lock:
            number = next(self._numbers)
        amount = (vnpay.from_gateway_amount(query["vnp_Amount"]) or 0) + self.tamper_amount_vnd
        result = {
            "vnp_Amount": vnpay.to_gateway_amount(amount),
            "vnp_BankCode": "NCB",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": query["vnp_OrderInfo"],
            "vnp_PayDate": vnpay.format_time(now),
            "vnp_ResponseCode": code,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionNo": str(number) if code == vnpay.SUCCESS else "0",
            "vnp_TransactionStatus": vnpay.SUCCESS if code == vnpay.SUCCESS else "02",
            "vnp_TxnRef": query["vnp_TxnRef"],
        }
        if code == vnpay.SUCCESS:
            result["vnp_BankTranNo"] = f"VNP{number}"
        result["vnp_SecureHash"] = vnpay.sign(self.hash_secret, result)
        return result

    def call_ipn(self, result: Mapping[str, str]) -> str:
        """Call the shop's IPN (GET, as VNPAY does) and return its RspCode ("" if none)."""
        try:
            with urllib.request.urlopen(with_query(self.ipn_url, result), timeout=10) as answer:  # noqa: S310 (configured)
                code = str(json.loads(answer.read()).get("RspCode", ""))
        except (OSError, ValueError) as problem:
            code = ""
            self._event(f"IPN {result.get('vnp_TxnRef')}: {problem}")
        with self._lock:
            self.ipn_answers.append(code)
        self._event(f"IPN {result.get('vnp_TxnRef')} → RspCode {code or '—'}")
        return code

    def wait_for_ipn(self, count: int, timeout: float = 5.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.ipn_answers) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.ipn_answers)

    def open_order(self, query: Mapping[str, str]) -> str:
        order = secrets.token_urlsafe(12)
        with self._lock:
            self._orders[order] = dict(query)
        return order

    def finish(self, order: str, choice: str) -> str | None:
        """Settle an order shown on the page; the address to send the browser to."""
        with self._lock:
            query = self._orders.pop(order, None)
        if query is None:
            return None
        result = self.result_for(query, choice=choice)
        self._event(f"{query['vnp_TxnRef']}: {choice} → {result['vnp_ResponseCode']}")
        if self.ipn_url and self.ipn == "before":
            for _ in range(self.ipn_times):
                self.call_ipn(result)
        elif self.ipn_url and self.ipn == "after":
            threading.Thread(target=self._later, args=(result,), daemon=True).start()
        return with_query(query["vnp_ReturnUrl"], result)

    def _later(self, result: Mapping[str, str]) -> None:
        time.sleep(self.ipn_delay)
        for _ in range(self.ipn_times):
            self.call_ipn(result)

    def _event(self, text: str) -> None:
        if self.on_event:
            self.on_event(text)


def _query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
