"""A local stand-in for the national portal's Q&A interface (protocol: the module docstring of
``motcua/hotline/channels/national_qa.py``).

It checks what the portal checks: the client id, the request signature and the 5-minute
clock window; a refused request gets 401, is counted in ``rejected`` and changes nothing.
It serves the questions given to ``add_question`` in (created_at, id) order, at most
``page_size`` a page, with an opaque cursor; it keeps one answer per ``answer_id`` (a
repeat is answered with the first result and ``"duplicate": true``), answers 404 for an
unknown question and 409 for one closed with ``close_question``. ``requests`` counts the
authenticated requests, failures and duplicates included; ``fail_next(n)`` makes the next
``n`` fail with a status, or with a raw body such as broken JSON.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from django.utils import timezone

from motcua.devtools.loopback import JSON, LoopbackServer, Reply, Request, json_reply
from motcua.hotline.channels.national_qa import PAGE_SIZE, QUESTIONS_PATH, verify

# Well-known development credentials (the command's defaults when NATIONAL_QA_* are unset).
DEV_CLIENT_ID = "dev-dongthap"
DEV_SECRET = "dev-national-qa-secret"  # noqa: S105 (a fake's public default, never a real secret)
_ANSWER = re.compile(r"^/api/hoi-dap/cau-hoi/(?P<id>[^/]+)/tra-loi/?$")
_CURSOR_PREFIX = "c1."


@dataclass(frozen=True)
class PortalQuestion:
    id: str
    created_at: dt.datetime
    title: str
    content: str
    name: str
    email: str
    phone: str
    agency_code: str | None
    sector: str | None

    def item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": self.id,
            "created_at": timezone.localtime(self.created_at).isoformat(),
            "title": self.title,
            "content": self.content,
            "asker": {"name": self.name, "email": self.email, "phone": self.phone},
        }
        if self.agency_code is not None:
            item["agency_code"] = self.agency_code
        if self.sector is not None:
            item["sector"] = self.sector
        return item


@dataclass(frozen=True)
class ReceivedAnswer:
    answer_ref: str
    question_id: str
    answer_id: str
    content: str
    answered_by: str
    answered_at: str


class FakeNationalQa(LoopbackServer):
    server_version = "motcua-fake-national-qa/1"

    def __init__(
        self,
        *,
        client_id: str = DEV_CLIENT_ID,
        secret: str = DEV_SECRET,
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int = PAGE_SIZE,
        on_answer: Callable[[ReceivedAnswer], None] | None = None,
    ) -> None:
        super().__init__(host=host, port=port)
        self.client_id, self.secret = client_id, secret
        self.page_size, self.on_answer = page_size, on_answer
        self._questions: list[PortalQuestion] = []
        self._closed: set[str] = set()
        self._by_answer_id: dict[str, ReceivedAnswer] = {}
        self._ids = itertools.count(1)

    @property
    def answers(self) -> list[ReceivedAnswer]:
        """Every answer the portal holds, once per answer id, in the order received."""
        with self._lock:
            return list(self._by_answer_id.values())

    def answers_for(self, question_id: str) -> list[ReceivedAnswer]:
        return [answer for answer in self.answers if answer.question_id == question_id]

    def add_question(
        self,
        title: str,
        content: str = "",
        *,
        name: str = "Nguyễn Văn An",
        email: str = "",
        phone: str = "",
        created_at: dt.datetime | None = None,
        question_id: str | None = None,
        agency_code: str | None = None,
        sector: str | None = None,
    ) -> str:
        """A citizen asks on the portal; the question's id."""
        with self._lock:
            question = PortalQuestion(
                id=question_id or f"HD-{next(self._ids):06d}",
                created_at=created_at or timezone.now(),
                title=title,
                content=content or title,
                name=name,
                email=email,
                phone=phone,
                agency_code=agency_code,
                sector=sector,
            )
            self._questions.append(question)
            self._questions.sort(key=lambda q: (q.created_at, q.id))
        return question.id

    def close_question(self, question_id: str) -> None:
        with self._lock:
            self._closed.add(question_id)

    def fail_next(self, count: int, *, status: int = 503, body: bytes | None = None) -> None:
        """The next ``count`` authenticated requests fail: HTTP ``status`` with an error
        object, or with ``body`` as it is (say, broken JSON under 200)."""
        failure = (
            json_reply(status, {"error": "lỗi giả lập"})
            if body is None
            else Reply(status, body, JSON)
        )
        self.fail_next_with(count, failure)

    def reply(self, request: Request) -> Reply:
        if not verify(
            request.headers,
            client_id=self.client_id,
            secret=self.secret,
            method=request.method,
            target=request.target,
            body=request.body,
        ):
            self._reject()
            return json_reply(
                401, {"error": "unauthorized", "message": "chữ ký hoặc mã kết nối không hợp lệ"}
            )
        if failure := self._next_failure():
            return failure
        if request.method == "GET" and request.path.rstrip("/") == QUESTIONS_PATH:
            return self._list(request.query)
        match = _ANSWER.match(request.path)
        if request.method == "POST" and match:
            return self._answer(unquote(match.group("id")), request.body)
        return json_reply(404, {"error": "not_found"})

    def _list(self, query: dict[str, str]) -> Reply:
        try:
            limit = min(int(query.get("limit", PAGE_SIZE)), self.page_size)
        except ValueError:
            return json_reply(400, {"error": "limit không hợp lệ"})
        if limit < 1:
            return json_reply(400, {"error": "limit không hợp lệ"})
        since = query.get("since", "")
        with self._lock:
            try:
                start = self._start(since)
            except ValueError:
                return json_reply(400, {"error": "since không hợp lệ"})
            page = self._questions[start : start + limit]
            more = start + limit < len(self._questions)
        return json_reply(
            200,
            {
                "items": [question.item() for question in page],
                "next_cursor": _cursor(start + limit) if more else None,
            },
        )

    def _start(self, since: str) -> int:
        """Called under the lock: the index of the first question to serve."""
        if not since:
            return 0
        if since.startswith(_CURSOR_PREFIX):
            return _offset(since)
        moment = dt.datetime.fromisoformat(since)
        if moment.tzinfo is None:
            raise ValueError("since without an offset")
        return next(
            (n for n, q in enumerate(self._questions) if q.created_at >= moment),
            len(self._questions),
        )

    def _answer(self, question_id: str, body: bytes) -> Reply:
        try:
            payload = json.loads(body)
            fields = {
                key: payload[key] for key in ("answer_id", "content", "answered_by", "answered_at")
            }
        except (ValueError, KeyError, TypeError):
            return json_reply(400, {"error": "yêu cầu không hợp lệ"})
        if not all(isinstance(value, str) and value.strip() for value in fields.values()):
            return json_reply(422, {"error": "thiếu nội dung trả lời"})
        with self._lock:
            first = self._by_answer_id.get(fields["answer_id"])
            if first is not None:
                if first.question_id != question_id:
                    return json_reply(422, {"error": "answer_id đã dùng cho câu hỏi khác"})
                return json_reply(
                    200, {"status": "ok", "answer_ref": first.answer_ref, "duplicate": True}
                )
            if not any(q.id == question_id for q in self._questions):
                return json_reply(404, {"error": "không có câu hỏi này"})
            if question_id in self._closed:
                return json_reply(409, {"error": "câu hỏi đã đóng"})
            answer = ReceivedAnswer(
                answer_ref=f"TL-{len(self._by_answer_id) + 1:06d}",
                question_id=question_id,
                **fields,
            )
            self._by_answer_id[answer.answer_id] = answer
        if self.on_answer:
            self.on_answer(answer)
        return json_reply(200, {"status": "ok", "answer_ref": answer.answer_ref})


def _cursor(offset: int) -> str:
    token = base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")
    return _CURSOR_PREFIX + token


def _offset(cursor: str) -> int:
    token = cursor.removeprefix(_CURSOR_PREFIX)
    try:
        offset = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["o"]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ValueError("not a cursor") from exc
    if not isinstance(offset, int) or offset < 0:
        raise ValueError("not a cursor")
    return offset
