"""The VNPAY payment gateway protocol, version 2.1.0, as VNPAY's public integration guide
describes it (sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/). Pure functions: no database.

**Payment URL** (``vnp_Command=pay``, HTTP GET): the merchant sends the browser to
``{payment URL}?{query}&vnp_SecureHash={hash}``. ``query`` holds every ``vnp_*`` parameter,
sorted by name, each name and value URL-encoded as in a form (space → ``+``); ``hash`` is the
hex HMAC-SHA512 of that same string under the merchant's hash secret. The amount is in
VND × 100, times are ``yyyyMMddHHmmss`` in GMT+7.

**Result**: after payment the gateway sends the browser back to ``vnp_ReturnUrl`` and calls the
merchant's IPN URL (registered with VNPAY, not sent in the request) server-to-server, both with
the same signed ``vnp_*`` parameters (``vnp_ResponseCode``, ``vnp_TransactionStatus``,
``vnp_TransactionNo``, ``vnp_Amount``, ``vnp_TxnRef``, ``vnp_BankCode``, ``vnp_PayDate`` …).
Their signature covers every ``vnp_*`` parameter but ``vnp_SecureHash`` and
``vnp_SecureHashType``, built as above. The IPN answers JSON ``{"RspCode", "Message"}``.

Empty values are left out of the signed string, as VNPAY's Java and .NET samples do; this
module never sends one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote_plus

GMT7 = dt.timezone(dt.timedelta(hours=7))
TIME_FORMAT = "%Y%m%d%H%M%S"
HASH_FIELDS_EXCLUDED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})

# The gateway takes from 5,000 đồng to less than 1 billion đồng per transaction.
MIN_AMOUNT_VND = 5_000
MAX_AMOUNT_VND = 999_999_999

# vnp_ResponseCode / vnp_TransactionStatus
SUCCESS = "00"
CANCELLED_BY_CUSTOMER = "24"

# The IPN's answers (RspCode → Message), as the guide names them.
CONFIRMED = "00"
ORDER_NOT_FOUND = "01"
ALREADY_CONFIRMED = "02"
INVALID_AMOUNT = "04"
INVALID_SIGNATURE = "97"
UNKNOWN_ERROR = "99"
IPN_MESSAGES = {
    CONFIRMED: "Confirm Success",
    ORDER_NOT_FOUND: "Order not found",
    ALREADY_CONFIRMED: "Order already confirmed",
    INVALID_AMOUNT: "Invalid amount",
    INVALID_SIGNATURE: "Invalid signature",
    UNKNOWN_ERROR: "Unknown error",
}

# Why a payment did not go through (vnp_ResponseCode), in the citizen's words.
RESPONSE_REASONS = {
    "07": "Giao dịch bị nghi ngờ gian lận.",
    "09": "Thẻ hoặc tài khoản chưa đăng ký dịch vụ Internet Banking.",
    "10": "Xác thực thông tin thẻ hoặc tài khoản không đúng quá 3 lần.",
    "11": "Đã hết hạn chờ thanh toán.",
    "12": "Thẻ hoặc tài khoản bị khóa.",
    "13": "Nhập sai mật khẩu xác thực giao dịch (OTP).",
    "24": "Người nộp đã hủy giao dịch.",
    "51": "Tài khoản không đủ số dư.",
    "65": "Tài khoản đã vượt quá hạn mức giao dịch trong ngày.",
    "75": "Ngân hàng thanh toán đang bảo trì.",
    "79": "Nhập sai mật khẩu thanh toán quá số lần quy định.",
}


def format_time(moment: dt.datetime) -> str:
    """``yyyyMMddHHmmss`` in GMT+7, whatever the zone of ``moment``."""
    return moment.astimezone(GMT7).strftime(TIME_FORMAT)


def parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def to_gateway_amount(amount_vnd: int) -> str:
    return str(amount_vnd * 100)


def from_gateway_amount(text: str) -> int | None:
    """VND from ``vnp_Amount`` (VND × 100); None unless it is a whole number of đồng."""
    if not text.isascii() or not text.isdigit() or len(text) > 15:
        return None
    value = int(text)
    return value // 100 if value % 100 == 0 else None


def _encode(text: str) -> str:
    # "~" is encoded too, as VNPAY's PHP, Java and .NET samples all do (Python keeps it).
    return quote_plus(text, safe="").replace("~", "%7E")


def hash_data(params: Mapping[str, str]) -> str:
    """The string that is signed: ``vnp_*`` parameters (not the hash ones) with a value,
    sorted by name, URL-encoded, joined with ``&``."""
    pairs = sorted(
        (key, value)
        for key, value in params.items()
        if key.startswith("vnp_") and key not in HASH_FIELDS_EXCLUDED and value != ""
    )
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in pairs)


def sign(secret: str, params: Mapping[str, str]) -> str:
    """Hex HMAC-SHA512 of ``hash_data(params)``. An empty secret is refused: anyone could
    compute that signature."""
    if not secret:
        raise ValueError("the VNPAY hash secret is not configured")
    data = hash_data(params).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha512).hexdigest()


def signed_query(secret: str, params: Mapping[str, str]) -> str:
    """The query string of a payment URL: the signed parameters, then ``vnp_SecureHash``."""
    return f"{hash_data(params)}&vnp_SecureHash={sign(secret, params)}"


def verify(secret: str, params: Mapping[str, str]) -> bool:
    """The gateway signed these parameters with our secret (compared in constant time)."""
    given = params.get("vnp_SecureHash", "")
    if not secret or not given or not given.isascii():
        return False
    return hmac.compare_digest(sign(secret, params), given.lower())


def payment_params(
    *,
    version: str,
    tmn_code: str,
    amount_vnd: int,
    txn_ref: str,
    order_info: str,
    order_type: str,
    locale: str,
    return_url: str,
    ip_address: str,
    created_at: dt.datetime,
    expires_at: dt.datetime,
) -> dict[str, str]:
    """The parameters of a ``pay`` request, before signing."""
    return {
        "vnp_Version": version,
        "vnp_Command": "pay",
        "vnp_TmnCode": tmn_code,
        "vnp_Amount": to_gateway_amount(amount_vnd),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info,
        "vnp_OrderType": order_type,
        "vnp_Locale": locale,
        "vnp_ReturnUrl": return_url,
        "vnp_IpAddr": ip_address,
        "vnp_CreateDate": format_time(created_at),
        "vnp_ExpireDate": format_time(expires_at),
    }


def is_success(params: Mapping[str, str]) -> bool:
    """Paid: both the response code and the transaction status say "00"."""
    return (
        params.get("vnp_ResponseCode") == SUCCESS and params.get("vnp_TransactionStatus") == SUCCESS
    )
