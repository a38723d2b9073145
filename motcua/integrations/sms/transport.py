"""SMS through a brandname gateway speaking the HTTP JSON protocol common to Vietnamese
providers.

``POST {SMS_GATEWAY_URL}/v1/sms`` with ``{"brandname", "phone", "message", "client_id"}``;
headers ``X-Api-Key``, ``X-Timestamp`` (Unix seconds) and ``X-Signature``, the hex
HMAC-SHA256 of ``timestamp + "." + body`` under ``SMS_SECRET``. The answer is
``{"code": "00", "message_id": ...}`` on success. ``client_id`` names the message (the same on
every attempt of it): the gateway keeps one message per client id, so a retry after a lost
answer never sends twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from motcua.core.outbox.errors import DeliveryError
from motcua.core.phones import msisdn

OK = "00"
# Codes that no retry can fix; every other code (e.g. "99" rate limited) is tried again.
PERMANENT_CODES = {
    "10": "số điện thoại không hợp lệ",
    "11": "nội dung không khớp mẫu tin đã đăng ký",
    "12": "brandname chưa được đăng ký",
    "13": "thuê bao từ chối nhận tin quảng bá",
}
RETRYABLE_HTTP = {408, 425, 429}
TIMEOUT_SECONDS = 10.0


def to_msisdn(phone: str) -> str:
    """The number in the 84xxxxxxxxx form the gateway expects (``core.phones.msisdn``);
    anything but a Vietnamese mobile is a permanent error."""
    try:
        return msisdn(phone)
    except ValidationError as exc:
        raise DeliveryError(f"số điện thoại không hợp lệ: {phone!r}", retryable=False) from exc


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The request signature: hex HMAC-SHA256(secret, timestamp + "." + body)."""
    return hmac.new(
        secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256
    ).hexdigest()


@dataclass(frozen=True)
class SmsGateway:
    base_url: str
    api_key: str
    secret: str
    brandname: str
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls) -> SmsGateway:
        return cls(
            base_url=settings.SMS_GATEWAY_URL.rstrip("/"),
            api_key=settings.SMS_API_KEY,
            secret=settings.SMS_SECRET,
            brandname=settings.SMS_BRANDNAME,
        )

    def request(self, *, phone: str, message: str, client_id: str) -> urllib.request.Request:
        body = json.dumps(
            {
                "brandname": self.brandname,
                "phone": to_msisdn(phone),
                "message": message,
                "client_id": client_id,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        timestamp = str(int(time.time()))
        return urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            f"{self.base_url}/v1/sms",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Api-Key": self.api_key,
                "X-Timestamp": timestamp,
                "X-Signature": sign(self.secret, timestamp, body),
            },
        )

    def send(self, *, phone: str, message: str, client_id: str) -> str:
        """Send one SMS; return the gateway's message id or raise ``DeliveryError``."""
        if not self.base_url.startswith(("http://", "https://")):
            raise DeliveryError("SMS_GATEWAY_URL is not an http(s) address", retryable=False)
        request = self.request(phone=phone, message=message, client_id=client_id)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = _json(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            retryable = exc.code >= 500 or exc.code in RETRYABLE_HTTP
            raise DeliveryError(f"HTTP {exc.code}: {detail}", retryable=retryable) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"gateway unreachable: {exc}", retryable=True) from exc
        return _message_id(answer)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise DeliveryError(f"gateway answered non-JSON: {raw[:200]!r}", retryable=True) from exc
    if not isinstance(answer, dict):
        raise DeliveryError(f"gateway answered {answer!r}", retryable=True)
    return answer


def _message_id(answer: dict[str, Any]) -> str:
    code = str(answer.get("code", ""))
    if code == OK and answer.get("message_id"):
        return str(answer["message_id"])
    text = answer.get("message") or PERMANENT_CODES.get(code, "")
    raise DeliveryError(f"gateway code {code!r}: {text}", retryable=code not in PERMANENT_CODES)
