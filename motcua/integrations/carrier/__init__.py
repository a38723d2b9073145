"""The postal carrier's API (a VNPost-like public integration) and its webhook signature.

No official specification is public; the shape follows the carrier's published customer
integrations, so every address and credential is configuration (``CARRIER_*``) and the
status codes are one table (``motcua/postal/tracking.py``, docs/postal.md "Carrier"). The local fake
(``manage.py fake_platform carrier``) speaks exactly this.

JSON over HTTPS under ``CARRIER_BASE_URL``:

- ``POST /token`` ``{"customerCode", "key", "secret"}`` → ``{"token", "expiresIn"}`` (seconds);
  wrong credentials → HTTP 401. Every other call carries ``Authorization: Bearer <token>``;
  an expired token → HTTP 401: the client logs in again once and repeats the call.
- ``POST /orders`` ``{customerCode, orderNumber, codAmount, sender{name, address, province,
  district, tel, email}, receiver{…}, description}`` → ``{"code": "created", "orderNumber",
  "itemCode"}`` (``itemCode``: the tracking number). An ``orderNumber`` the carrier already
  holds answers ``{"code": "exists", …}`` with the same ``itemCode``: a retried create is a
  success, never a second order. A refusal of the data → HTTP 400/422 ``{"code", "message"}``.
- ``POST /orders/cancel`` ``{customerCode, orderNumber}`` → ``{"code": "cancelled"}``; an
  order the carrier never got → HTTP 404 (nothing to cancel: a success); one it has started
  on → HTTP 409 with its message (``StartedError``).
- ``GET /tracking?customerCode=…&lastId=N&limit=M`` → ``{"items": [{id, orderNumber,
  itemCode, statusCode, statusMessage, time}], "lastId"}``: the events after ``N``, oldest
  first (``time`` ISO 8601 with its offset).
- The webhook: the carrier POSTs one tracking item (same fields) to the site with
  ``X-Carrier-Timestamp`` (Unix seconds) and ``X-Carrier-Signature`` (hex HMAC-SHA256 of
  ``"<timestamp>." + body`` with ``CARRIER_WEBHOOK_SECRET``): ``signature``/``verify``.

Failures: a timeout, a refused or dropped connection, HTTP 5xx/408/429, or an answer that is
not JSON → ``UnavailableError`` (try again later); a refusal of the data → ``RejectedError``
with the carrier's message (sending it again cannot help).
"""

from motcua.integrations.carrier.client import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    CarrierClient,
    CarrierConfig,
    CarrierError,
    CreatedOrder,
    Party,
    RejectedError,
    StartedError,
    TrackingItem,
    TrackingPage,
    UnavailableError,
    signature,
    verify,
)

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "CarrierClient",
    "CarrierConfig",
    "CarrierError",
    "CreatedOrder",
    "Party",
    "RejectedError",
    "StartedError",
    "TrackingItem",
    "TrackingPage",
    "UnavailableError",
    "signature",
    "verify",
]
