"""The platforms' webhooks, under ``/kenh/``: one view per channel that has a webhook in the
registry (``registry.py``): today Zalo OA (``zalo/webhook/``) and Messenger
(``facebook/webhook/``, which also answers Meta's subscription GET).

A POST is taken in this order, and each refusal changes nothing:

- the channel switched off: 404, as if the address did not exist;
- a body over the channel's ``max_bytes``: 413, judged from Content-Length before
  reading, and by reading at most one byte past the limit when the length is not declared;
- a missing or forged signature over the raw bytes: 401, logged with the client's address
  and never the body (it is unauthenticated data);
- a body that is not the platform's JSON: 400 with the API's error envelope;
- then every person's message goes to ``receive_message``, and the answer is 200 with
  ``{"received", "duplicates", "refused"}``. Both platforms retry whatever is not a 2xx, so
  a message already stored (a retry, a replay) is a 200 too: it is stored once per
  platform message id.

No freshness window. Zalo's signature covers the event's timestamp, so an old event cannot be
passed off as new, and a captured request replayed later carries its ``msg_id``, which is
found already stored. What remains, an old timestamp with an unknown id, is a real message the
platform kept retrying while this site was unreachable; refusing it would lose what the
citizen wrote. Messenger's signature does not cover a timestamp of its own, and the same
reasoning holds for its ``mid``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.core.clients import client_address
from motcua.hotline.actions import ActionError, receive_message
from motcua.hotline.channels.registry import Webhook, channel
from motcua.hotline.inbound import InboundMessage
from motcua.hotline.status import TicketKind

logger = logging.getLogger(__name__)


def view_for(code: str) -> Callable[[HttpRequest], HttpResponse]:
    """The webhook view of a channel with a webhook in the registry."""
    found = channel(code)
    if found is None or found.webhook is None:
        raise LookupError(f"channel {code!r} has no webhook")
    hook = found.webhook

    @csrf_exempt
    @require_http_methods(["GET", "POST"] if hook.handshake else ["POST"])
    def webhook(request: HttpRequest) -> HttpResponse:
        if not getattr(settings, hook.enabled):
            raise Http404
        if request.method == "GET":
            return _subscription(request, hook)
        return _take(request, hook)

    webhook.__name__ = f"{hook.path}_webhook"
    return webhook


def _subscription(request: HttpRequest, hook: Webhook) -> HttpResponse:
    challenge = hook.subscribe(request.GET)
    if challenge is None:
        logger.warning(
            "%s webhook: subscription refused from %s", hook.label, client_address(request)
        )
        return _error(403, "forbidden", _("Mã xác minh đăng ký webhook không đúng."))
    return HttpResponse(challenge, content_type="text/plain; charset=utf-8")


def _take(request: HttpRequest, hook: Webhook) -> HttpResponse:
    limit = hook.max_bytes
    raw = _raw_body(request, limit)
    if raw is None:
        return _error(
            413,
            "too_large",
            _("Nội dung gửi đến vượt quá %(n)s byte.") % {"n": f"{limit:,}".replace(",", ".")},
        )
    if not hook.verify(raw, request.headers):
        logger.warning("%s webhook: signature refused from %s", hook.label, client_address(request))
        return _error(401, "bad_signature", _("Chữ ký của nền tảng không hợp lệ."))
    try:
        messages = hook.parse(raw)
    except ValueError as exc:
        return _error(
            400,
            "malformed",
            _("Nội dung gửi đến không đúng định dạng của nền tảng."),
            reason=str(exc)[:200],
        )
    return JsonResponse(_receive(messages))


def _raw_body(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, or ``None`` when it is over ``limit`` bytes; never reads more than one
    byte past the limit, whatever the client declared."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    raw = request.read(limit + 1)
    return None if len(raw) > limit else raw


def _receive(messages: Iterable[InboundMessage]) -> dict[str, int]:
    counts = {"received": 0, "duplicates": 0, "refused": 0}
    for message in messages:
        try:
            result = receive_message(message=message, kind=TicketKind.QUESTION)
        except ActionError as exc:
            # A platform retries anything but a 2xx, and this message would be refused the
            # same way each time: answer 200 and leave the trace here.
            logger.warning(
                "%s message %s refused: %s", message.channel, message.external_id, exc.code
            )
            counts["refused"] += 1
            continue
        counts["duplicates" if result.duplicate else "received"] += 1
    return counts


def _error(status: int, code: str, message: str, **details: Any) -> JsonResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
