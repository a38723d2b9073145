"""The national public service portal's Q&A ("Hỏi đáp", dichvucong.gov.vn): citizens ask the
province there; we pull their questions into the 1022 queue and push our answers back.

Provinces reach the portal through the LGSP/NGSP with signed JSON; no public specification
exists, so this module defines the protocol in that spirit, and a fake portal speaks it for
tests and development (docs/devtools.md).

Authentication. Every request carries ``X-Client-Id`` (our id at the portal), ``X-Timestamp``
(Unix seconds) and ``X-Signature``: the hex HMAC-SHA256, under the shared secret, of
``f"{method}\\n{target}\\n{timestamp}\\n{sha256_hex(body)}"``, where ``target`` is the request
path with its query string as sent (so a GET's parameters are signed too) and the body of a
GET is empty. The portal answers 401 to a wrong client id or signature, or a timestamp more
than 5 minutes from its clock.

Pulling questions. ``GET /api/hoi-dap/cau-hoi?since=<s>&limit=100`` answers
``{"items": [{"id", "created_at", "title", "content", "asker": {"name", "email", "phone"},
"agency_code"?, "sector"?}], "next_cursor"}``. ``created_at`` is ISO 8601 with its offset
(``2026-11-25T09:00:00+07:00``); items come in (created_at, id) order; ``next_cursor`` is
opaque and null on the last page. ``since`` is either the previous page's ``next_cursor`` or
an ISO 8601 moment (questions created at or after it); without it, from the first question.

Pushing an answer. ``POST /api/hoi-dap/cau-hoi/{id}/tra-loi`` with ``{"answer_id",
"content", "answered_by", "answered_at"}`` answers ``{"status": "ok", "answer_ref"}``. The
portal keeps one answer per ``answer_id`` (ours, stable: ``motcua-<reply pk>``): a repeat
gets the first answer's result with ``"duplicate": true``, so a retry after a lost answer
never answers twice. 404: no such question; 409: the question is closed; 5xx and timeouts
may be retried.

Where a sync resumes. There is no key-value table in the project to keep the portal's
cursor in, and a cache can lose it, so the cursor is derived from what is stored: the
latest ``created_at`` among the national-Q&A questions we hold (the ``at`` of their inbound
messages), less ``RESUME_OVERLAP``, sent as an ISO moment. The cursor therefore only moves
once a question is committed, and the overlap re-reads questions the portal may have listed
late (a slow commit on its side); re-reading is harmless, since a question's message is
stored once per ``qa:<id>``. The server's opaque cursors are used only between the pages of
one sync.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.outbox.errors import DeliveryError
from motcua.hotline.inbound import InboundMessage

if TYPE_CHECKING:
    from motcua.hotline.models import TicketMessage

logger = logging.getLogger(__name__)

CHANNEL = "national_qa"
QUESTIONS_PATH = "/api/hoi-dap/cau-hoi"
ANSWER_PATH = "/api/hoi-dap/cau-hoi/{id}/tra-loi"
EXTERNAL_PREFIX = "qa:"
PAGE_SIZE = 100
SKEW_SECONDS = 300
TIMEOUT_SECONDS = 15.0
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
# A portal whose cursor never ends would keep a sync running forever: 1,000 pages of 100 is
# far beyond a province's questions between two syncs.
MAX_PAGES = 1000
RESUME_OVERLAP = dt.timedelta(hours=1)
DEFAULT_ANSWERED_BY = "Tổng đài 1022"
RETRYABLE_HTTP = {408, 425, 429}
_PERMANENT_HTTP = {
    400: "yêu cầu không hợp lệ",
    401: "sai mã kết nối, chữ ký hoặc lệch giờ",
    403: "không được phép",
    404: "câu hỏi không có trên Cổng",
    409: "câu hỏi đã đóng trên Cổng",
    422: "nội dung trả lời không hợp lệ",
}


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def signature(secret: str, *, method: str, target: str, timestamp: str, body: bytes) -> str:
    """The ``X-Signature`` of one request (see the module's docstring)."""
    text = f"{method.upper()}\n{target}\n{timestamp}\n{body_digest(body)}"
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_headers(
    *, client_id: str, secret: str, method: str, target: str, body: bytes, at: float | None = None
) -> dict[str, str]:
    timestamp = str(int(time.time() if at is None else at))
    return {
        "X-Client-Id": client_id,
        "X-Timestamp": timestamp,
        "X-Signature": signature(
            secret, method=method, target=target, timestamp=timestamp, body=body
        ),
    }


def verify(
    headers: Any, *, client_id: str, secret: str, method: str, target: str, body: bytes
) -> bool:
    """Whether a request is ours and fresh: the portal's check, which the fake makes too."""
    timestamp = headers.get("X-Timestamp") or ""
    try:
        fresh = abs(time.time() - int(timestamp)) <= SKEW_SECONDS
    except ValueError:
        return False
    if not (fresh and secret):
        return False
    expected = signature(secret, method=method, target=target, timestamp=timestamp, body=body)
    return hmac.compare_digest(
        (headers.get("X-Client-Id") or "").encode(), client_id.encode()
    ) and hmac.compare_digest((headers.get("X-Signature") or "").encode(), expected.encode())


class NationalQaError(Exception):
    """The portal could not be read: unreachable, refused us, or answered something that is
    not the protocol. Nothing of the failed page was stored; the next sync tries again."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Asker:
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    created_at: dt.datetime
    title: str
    content: str
    asker: Asker
    agency_code: str = ""
    sector: str = ""

    def inbound(self) -> InboundMessage:
        """The question as the queue takes a message: one per question id."""
        return InboundMessage(
            channel=CHANNEL,
            external_id=f"{EXTERNAL_PREFIX}{self.id}",
            sender_id=f"qa-asker:{self.asker.email or self.asker.phone or self.id}",
            sender_name=self.asker.name,
            email=self.asker.email,
            phone=self.asker.phone,
            subject=self.title,
            text=self.content,
            sent_at=self.created_at,
        )


@dataclass(frozen=True)
class Page:
    questions: list[Question]
    next_cursor: str | None
    # Items that are not questions (no id, no date, no text): (the id if any, why).
    rejected: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SyncReport:
    since: str | None = None
    pages: int = 0
    opened: int = 0  # new tickets
    added: int = 0  # questions added to an asker's ticket already open
    duplicates: int = 0  # already stored: re-read by the overlap or a repeated page
    rejected: list[str] = field(default_factory=list)  # "id: why", logged too

    def __str__(self) -> str:
        return _(
            "Từ %(since)s: %(pages)s trang, %(opened)s phản ánh mới, %(added)s câu hỏi thêm "
            "vào phản ánh đang mở, %(duplicates)s câu hỏi đã có, %(rejected)s câu hỏi bị loại."
        ) % {
            "since": self.since or _("đầu"),
            "pages": self.pages,
            "opened": self.opened,
            "added": self.added,
            "duplicates": self.duplicates,
            "rejected": len(self.rejected),
        }


@dataclass(frozen=True)
class NationalQaClient:
    base_url: str
    client_id: str
    secret: str
    timeout: float = TIMEOUT_SECONDS
    page_size: int = PAGE_SIZE

    @classmethod
    def from_settings(cls) -> NationalQaClient:
        return cls(
            base_url=settings.NATIONAL_QA_URL.rstrip("/"),
            client_id=settings.NATIONAL_QA_CLIENT_ID,
            secret=settings.NATIONAL_QA_SECRET,
        )

    def pull(self, since: str | None = None) -> tuple[list[Question], str | None]:
        """One page of questions from ``since`` (a cursor or an ISO moment) and the cursor of
        the next page, ``None`` on the last. Items that are not questions are left out and
        logged; see ``pull_page`` for them. Raises ``NationalQaError``."""
        page = self.pull_page(since)
        return page.questions, page.next_cursor

    def pull_page(self, since: str | None = None) -> Page:
        params = {"limit": str(self.page_size)}
        if since:
            params["since"] = since
        answer = self._call("GET", QUESTIONS_PATH + "?" + urllib.parse.urlencode(params))
        return parse_page(answer)

    def push_answer(
        self,
        question_id: str,
        answer_id: str,
        content: str,
        answered_by: str,
        answered_at: dt.datetime,
    ) -> str:
        """Answer one question; the portal's reference of the answer, or ``DeliveryError``
        saying whether another attempt could succeed. Repeating it is safe (``answer_id``)."""
        body = json.dumps(
            {
                "answer_id": answer_id,
                "content": content,
                "answered_by": answered_by,
                "answered_at": timezone.localtime(answered_at).isoformat(),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        target = ANSWER_PATH.format(id=urllib.parse.quote(question_id, safe=""))
        try:
            answer = self._call("POST", target, body)
        except NationalQaError as exc:
            status = exc.status
            retryable = status is None or status >= 500 or status in RETRYABLE_HTTP
            reason = _PERMANENT_HTTP.get(status or 0, "")
            text = f"{exc} ({reason})" if reason else str(exc)
            raise DeliveryError(text, retryable=retryable) from exc
        reference = answer.get("answer_ref")
        if answer.get("status") != "ok" or not isinstance(reference, str | int) or not reference:
            # The answer may have been taken; asking again with the same answer_id is safe.
            raise DeliveryError(f"Cổng trả lời không rõ kết quả: {answer!r}"[:300], retryable=True)
        return str(reference)

    def _call(self, method: str, target: str, body: bytes = b"") -> dict[str, Any]:
        if not self.base_url.startswith(("http://", "https://")):
            raise NationalQaError(_("NATIONAL_QA_URL không phải địa chỉ http(s)."))
        headers = signed_headers(
            client_id=self.client_id, secret=self.secret, method=method, target=target, body=body
        )
        headers["Accept"] = "application/json"
        if method == "POST":
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self.base_url + target, data=body if method == "POST" else None, method=method
        )
        for name, value in headers.items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace")
            raise NationalQaError(
                _("Cổng DVC quốc gia trả lỗi HTTP %(status)s: %(detail)s")
                % {"status": exc.code, "detail": detail},
                status=exc.code,
            ) from exc
        except (urllib.error.URLError, OSError) as exc:  # refused, reset, timed out
            raise NationalQaError(
                _("Không kết nối được Cổng DVC quốc gia: %(error)s") % {"error": exc}
            ) from exc
        return _json_object(raw)


def _json_object(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_RESPONSE_BYTES:
        raise NationalQaError(_("Cổng DVC quốc gia trả dữ liệu quá lớn."))
    try:
        answer = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise NationalQaError(
            _("Cổng DVC quốc gia trả dữ liệu không phải JSON: %(start)s")
            % {"start": repr(raw[:120])}
        ) from exc
    if not isinstance(answer, dict):
        raise NationalQaError(_("Cổng DVC quốc gia trả dữ liệu không phải đối tượng JSON."))
    return answer


def parse_page(answer: dict[str, Any]) -> Page:
    """A page of the question list. A page not shaped like the protocol raises
    ``NationalQaError`` (nothing of it is taken); a single item that is not a question is
    left out, so one bad item cannot stop every later question."""
    items, cursor = answer.get("items"), answer.get("next_cursor")
    if not isinstance(items, list):
        raise NationalQaError(_("Cổng DVC quốc gia trả trang câu hỏi không có danh sách items."))
    if cursor is not None and not (isinstance(cursor, str) and cursor):
        raise NationalQaError(_("Cổng DVC quốc gia trả next_cursor không hợp lệ."))
    questions, rejected = [], []
    for item in items:
        try:
            questions.append(parse_question(item))
        except ValueError as exc:
            ident = str(item.get("id", "")) if isinstance(item, dict) else ""
            rejected.append((ident, str(exc)))
            logger.warning("national Q&A item %r left out: %s", ident, exc)
    return Page(questions, cursor, rejected)


def parse_question(item: Any) -> Question:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    ident = item.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int) or not str(ident).strip():
        raise ValueError("no id")
    created = item.get("created_at")
    try:
        created_at = dt.datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        created_at = None
    if created_at is None or created_at.tzinfo is None:
        raise ValueError(f"created_at is not ISO 8601 with an offset: {created!r}")
    title, content = _text(item, "title"), _text(item, "content")
    if not (title or content):
        raise ValueError("neither title nor content")
    asker = item.get("asker") or {}
    if not isinstance(asker, dict):
        raise ValueError("asker is not an object")
    return Question(
        id=str(ident).strip()[:200],
        created_at=created_at,
        title=title,
        content=content or title,
        asker=Asker(
            name=_text(asker, "name")[:255],
            email=_text(asker, "email")[:254],
            phone=_text(asker, "phone")[:30],
        ),
        agency_code=_text(item, "agency_code")[:40],
        sector=_text(item, "sector")[:255],
    )


def _text(parent: dict[str, Any], key: str) -> str:
    value = parent.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value.strip()


def resume_point() -> dt.datetime | None:
    """Where the next sync starts: the latest question we hold, less the overlap."""
    from motcua.hotline.models import Direction, TicketMessage

    latest = TicketMessage.objects.filter(
        channel=CHANNEL, direction=Direction.INBOUND, external_id__startswith=EXTERNAL_PREFIX
    ).aggregate(latest=Max("at"))["latest"]
    return None if latest is None else latest - RESUME_OVERLAP


def sync_questions(client: NationalQaClient | None = None) -> SyncReport:
    """Pull every question since the last one held and hand each to the queue, page by page.

    Each question is committed as it is received (``receive_message``), which is what moves
    the resume point; a failure part-way leaves the questions before it stored and the next
    sync re-reads from there. A question the queue refuses (say, too long) is reported and
    skipped. Raises ``NationalQaError`` when the portal cannot be read."""
    from motcua.hotline.actions import ActionError, receive_message

    client = client or NationalQaClient.from_settings()
    start = resume_point()
    report = SyncReport(since=timezone.localtime(start).isoformat() if start else None)
    cursor, seen = report.since, set[str | None]()
    while True:
        if report.pages >= MAX_PAGES or (cursor is not None and cursor in seen):
            raise NationalQaError(
                _("Cổng DVC quốc gia lặp lại con trỏ trang %(cursor)s.") % {"cursor": cursor}
            )
        seen.add(cursor)
        page = client.pull_page(cursor)
        report.pages += 1
        report.rejected += [f"{ident or '?'}: {why}" for ident, why in page.rejected]
        for question in page.questions:
            try:
                result = receive_message(message=question.inbound())
            except ActionError as exc:
                report.rejected.append(f"{question.id}: {exc}")
                logger.warning("national Q&A question %s refused: %s", question.id, exc)
                continue
            if result.duplicate:
                report.duplicates += 1
            elif result.created:
                report.opened += 1
            else:
                report.added += 1
        if page.next_cursor is None:
            return report
        cursor = page.next_cursor


def question_id_for(message: TicketMessage) -> str:
    """The portal's id of the question a reply answers: the ticket's first question."""
    from motcua.hotline.models import Direction

    first = (
        message.ticket.messages.filter(
            direction=Direction.INBOUND,
            channel=CHANNEL,
            external_id__startswith=EXTERNAL_PREFIX,
        )
        .order_by("at", "pk")
        .values_list("external_id", flat=True)
        .first()
    )
    if not first:
        raise DeliveryError(
            "phản ánh không có câu hỏi từ Cổng DVC quốc gia để trả lời", retryable=False
        )
    return first.removeprefix(EXTERNAL_PREFIX)


def send_reply(message: TicketMessage) -> str:
    """The outbox's sender (``replies.SENDERS``): push one reply as the answer to the
    ticket's question, under the stable answer id ``motcua-<pk>``; the portal's answer
    reference, or ``DeliveryError``."""
    if not settings.NATIONAL_QA_ENABLED:
        raise DeliveryError(
            "NATIONAL_QA_ENABLED đang tắt: không gửi được trả lời lên Cổng DVC quốc gia",
            retryable=False,
        )
    agency = message.ticket.agency
    return NationalQaClient.from_settings().push_answer(
        question_id_for(message),
        answer_id=f"motcua-{message.pk}",
        content=message.body,
        answered_by=agency.name if agency is not None else DEFAULT_ANSWERED_BY,
        answered_at=message.at,
    )
