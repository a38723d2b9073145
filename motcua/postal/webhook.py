"""The carrier's webhook: ``POST /api/v1/postal/carrier-events`` (docs/postal.md "Carrier").

The carrier posts one tracking item (``integrations/carrier``'s protocol), signed: the headers
``X-Carrier-Timestamp`` (Unix seconds) and ``X-Carrier-Signature`` (hex HMAC-SHA256 of
``"<timestamp>." + body`` with ``CARRIER_WEBHOOK_SECRET``), compared in constant time, the
timestamp within ``CARRIER_WEBHOOK_WINDOW_SECONDS`` of now. No session, no token: the
signature is the caller's proof. Answers, in the API's error envelope:

- 200 ``{"status": "recorded" | "duplicate"}``: kept (or kept already: the carrier's event id
  de-duplicates, so its retries and the poll of the same event change nothing);
- 401 ``unsigned`` (no signature headers, or a timestamp that is not ASCII digits, 12 at
  most), 403 ``bad_signature`` (a non-ASCII signature too) or ``stale``;
- 422 ``bad_event`` (not a tracking item), 404 ``unknown_order``, 409
  ``postal_order_cancelled``: nothing changed;
- 404 for everyone while ``CARRIER_WEBHOOK_SECRET`` is unset (tracking by polling only).
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router

from motcua.core.actions import ActionError
from motcua.core.api_errors import ApiError
from motcua.integrations.carrier import SIGNATURE_HEADER, TIMESTAMP_HEADER, TrackingItem, verify
from motcua.postal.models import TrackingSource
from motcua.postal.tracking import order_for, record_tracking_event

router = Router(tags=["postal"], auth=None)

REFUSALS = {
    "unsigned": (
        401,
        gettext_lazy("Thiếu chữ ký của bưu điện (X-Carrier-Timestamp, X-Carrier-Signature)."),
    ),
    "stale": (403, gettext_lazy("Thời điểm ký đã quá hạn; yêu cầu không được chấp nhận.")),
    "bad_signature": (403, gettext_lazy("Chữ ký không hợp lệ.")),
}


@router.post(
    "/carrier-events",
    response={200: dict[str, Any]},
    summary="Bưu điện báo hành trình bưu gửi (webhook có chữ ký)",
)
def carrier_events(request: HttpRequest) -> dict[str, Any]:
    """One tracking event from the carrier, signed with the shared secret."""
    secret = settings.CARRIER_WEBHOOK_SECRET
    if not secret:
        raise ApiError(404, "not_found", _("Không tìm thấy."))
    body = request.body
    refusal = verify(
        secret,
        request.headers.get(TIMESTAMP_HEADER, "").strip(),
        request.headers.get(SIGNATURE_HEADER, ""),
        body,
        now=time.time(),
        window=settings.CARRIER_WEBHOOK_WINDOW_SECONDS,
    )
    if refusal:
        status, message = REFUSALS[refusal]
        raise ApiError(status, refusal, str(message))
    try:
        item = TrackingItem.parse(json.loads(body))
    except ValueError:
        raise ApiError(422, "bad_event", _("Nội dung không phải một sự kiện hành trình.")) from None
    order = order_for(item.order_number)
    if order is None:
        raise ApiError(
            404,
            "unknown_order",
            _("Không có đơn bưu chính %(number)s.") % {"number": item.order_number},
        )
    try:
        recorded = record_tracking_event(order=order, item=item, source=TrackingSource.WEBHOOK)
    except ActionError as exc:
        raise ApiError(exc.status, exc.code, exc.message, exc.details) from exc
    return {"status": "recorded" if recorded.created else "duplicate"}
