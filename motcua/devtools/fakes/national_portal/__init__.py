"""A local stand-in for the National Public Service Portal's data-sharing interface (Cổng DVC
quốc gia, DVCQG), as reached through the data-sharing gateway (protocol: the docstring of
``motcua/integrations/national_portal/__init__.py``).

Three POST addresses (``auth_url``, ``sync_url``, ``share_url``; paths ``/auth``, ``/sync``,
``/share`` unless told otherwise). What it checks, like a strict portal behind its gateway:

- the header ``dstcode`` on every request: a wrong one gets HTTP 403 from the gateway;
- the username and password at ``auth`` (else ``error_code`` "-1"); a login issues a session;
- on ``sync`` and ``share``, the ``session`` (unknown, expired by ``expire_sessions`` or older
  than ``session_seconds`` → ``{"error_code": "401", "message": "Session không hợp lệ hoặc đã
  hết hạn"}`` under HTTP 200), the ``madonvi``, the service (a sync service on ``share`` or
  the reverse is unknown there), ``isUpdating`` ("True" or "False", strings) and ``data`` (a
  list). Every refusal is ``error_code`` "-1" with a Vietnamese message, under HTTP 200.

The services. A call is all or nothing: one refused item and nothing of the call is kept.

- ``DongBoHoSoMC``: each record is checked: MaHoSo, MaTTHC and TrangThaiHoSo required,
  TrangThaiHoSo 1..10, dates ``yyyyMMddHHmmss`` or "", TrichYeuHoSo at most 1,000 characters,
  the coded fields in their ranges, the lists lists of objects, and no field outside the
  portal's list (a misspelt field is caught here, where the real portal would drop it without
  a word). An insert of a MaHoSo it holds → "Hồ sơ MaHoSo … đã tồn
  tại"; an update of one it does not → "… chưa tồn tại". It keeps the current record of each
  dossier and its ``history``: every accepted record, in arrival order, with whether it came
  as an insert or an update and when.
- ``CapNhatTienDoHoSoMC``: steps of dossiers it holds, appended in order. A step sent twice is
  kept twice, as the real portal counts it twice; ``duplicate_steps`` lists them.
- ``TraCuuHoSo``: ``[record + {"QuaTrinhXuLy": steps}]``, or ``[]``.
- ``DongBoDanhGia``: monthly rows (NgayTongHop "M-YYYY", percentages "NN%" or "NN.N%"); the
  latest row per (month, procedure) is kept, with how many times it arrived.
- ``LayDanhSachTTHC`` (pages from 1; past the end, ``[]``), ``LayThuTuc`` (the record as in
  the portal's catalogue export, e.g. a line of ``CATALOGUE_EXPORT``), ``LayDanhMucCoQuan``,
  ``LayDanhMucLinhVuc``: from ``add_procedure``, ``load_catalogue``, ``set_agencies``,
  ``set_sectors``.

Misbehaving on demand (each counted in ``injected`` by kind):

- ``fail_rate(fraction, seed=…)``: that share of all requests, logins included, fail at
  random, reproducibly for a seed, as one of: ``http_500`` (not processed), ``drop_before``
  (the connection is closed without an answer BEFORE processing: nothing kept),
  ``drop_after`` (closed without an answer AFTER processing: the data IS kept, the sender
  cannot know it), ``slow`` (processed and kept, answered ``slow_seconds`` late, past the
  sender's timeout).
- ``drop_next(n, after_processing=…)``, ``slow_next(n, seconds)`` (processed, then answered
  late), ``cut_next(n)`` (processed, then the answer breaks off midway: a gateway whose
  upstream died while answering), and the inherited ``fail_next_with``: the next ``n`` calls
  on ``sync`` or ``share``, never a login, so a test can aim them at a service call whether
  or not the client has logged in yet. The inherited ``delay_next`` delays any request
  before it is processed.
- ``go_down(seconds)`` / ``come_back()``: meanwhile every request, logins included, has its
  connection dropped at once (a portal behind a gateway that is down), counted as ``down``.
- ``expire_sessions()``: every session issued so far stops working.
- ``reject_field(field, message, predicate)``: DongBoHoSoMC records whose ``field`` is
  present (and satisfies ``predicate``) are refused with "-1" and ``message``: a permanent
  rejection, until ``clear_rejections()``.

Counters: ``requests`` (past the dstcode check), ``rejected`` (wrong dstcode, credentials,
session or unit code), ``logins``, ``calls`` (sync and share requests by the service they
name, whatever became of them). ``on_event`` receives a line for each dossier, step and
rating kept, each refusal and each injected failure (``manage.py fake_platform
national-portal`` prints them).

The package: ``checks`` (what the portal refuses, field by field), ``holdings`` (what it
keeps, its catalogue and the services over them), this module (the gateway, the sessions, the
envelope and the misbehaviours).
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from motcua.devtools.fakes.national_portal.checks import Refused, sector_code
from motcua.devtools.fakes.national_portal.holdings import (
    CATALOGUE_EXPORT,
    Answer,
    Arrival,
    PortalHoldings,
    Rating,
)
from motcua.devtools.loopback import Hangup, LoopbackServer, Reply, Request, json_reply, text_reply
from motcua.integrations.national_portal.client import SHARE_SERVICES, Service

__all__ = [
    "CATALOGUE_EXPORT",
    "DEV_DSTCODE",
    "DEV_PASSWORD",
    "DEV_UNIT_CODE",
    "DEV_USERNAME",
    "Arrival",
    "FakeNationalPortal",
    "Rating",
    "sector_code",
]

# Well-known development credentials (the command's defaults when NATIONAL_PORTAL_* are unset).
DEV_USERNAME = "dev-motcua"
DEV_PASSWORD = "dev-national-portal-password"  # noqa: S105 (a fake's public default)
DEV_DSTCODE = "DEV:LGSP:DVCQG"
DEV_UNIT_CODE = "dev-dongthap"
SESSION_MESSAGE = "Session không hợp lệ hoặc đã hết hạn"
SYNC_SERVICES = frozenset(Service) - SHARE_SERVICES
RANDOM_KINDS = ("http_500", "drop_before", "drop_after", "slow")


@dataclass(frozen=True)
class _Plan:
    kind: str = ""
    seconds: float = 0.0


class FakeNationalPortal(PortalHoldings, LoopbackServer):
    server_version = "motcua-fake-dvcqg/1"
    max_body = 16 * 1024 * 1024  # a dossier with its file list, or a page of steps

    def __init__(
        self,
        *,
        username: str = DEV_USERNAME,
        password: str = DEV_PASSWORD,
        dstcode: str = DEV_DSTCODE,
        unit_code: str = DEV_UNIT_CODE,
        host: str = "127.0.0.1",
        port: int = 0,
        auth_path: str = "/auth",
        sync_path: str = "/sync",
        share_path: str = "/share",
        session_seconds: float | None = None,
        slow_seconds: float = 2.0,
        on_event: Callable[[str], None] | None = None,
    ) -> None:
        LoopbackServer.__init__(self, host=host, port=port)
        PortalHoldings.__init__(self)
        self.username, self.password = username, password
        self.dstcode, self.unit_code = dstcode, unit_code
        self._paths = {auth_path: "auth", sync_path: "sync", share_path: "share"}
        self.auth_path, self.sync_path, self.share_path = auth_path, sync_path, share_path
        self.session_seconds, self.slow_seconds = session_seconds, slow_seconds
        self.on_event = on_event
        self.logins = 0
        self.calls: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self._sessions: dict[str, float] = {}
        self._plans: deque[_Plan] = deque()
        self._random = random.Random(0)  # noqa: S311 (reproducible failures, not secrets)
        self._fail_fraction = 0.0
        self._down_until: float | None = None
        self._services: dict[str, Callable[[list[Any], bool], Answer]] = {
            Service.SYNC_DOSSIER: self._sync_dossiers,
            Service.SYNC_PROGRESS: self._sync_progress,
            Service.LOOKUP_DOSSIER: self._lookup_dossier,
            Service.SYNC_RATINGS: self._sync_ratings,
            Service.LIST_PROCEDURES: self._list_procedures,
            Service.GET_PROCEDURE: self._get_procedure,
            Service.LIST_AGENCIES: lambda data, updating: (self.agencies(), []),
            Service.LIST_SECTORS: lambda data, updating: (self.sectors(), []),
        }

    @property
    def auth_url(self) -> str:
        return f"{self.url}{self.auth_path}"

    @property
    def sync_url(self) -> str:
        return f"{self.url}{self.sync_path}"

    @property
    def share_url(self) -> str:
        return f"{self.url}{self.share_path}"

    # ---- misbehaving on demand ---------------------------------------------------------------

    def fail_rate(
        self, fraction: float, *, seed: int = 0, slow_seconds: float | None = None
    ) -> None:
        """From now on, ``fraction`` of all requests fail at random (0 stops it); the same
        seed fails the same requests of the same sequence."""
        if not 0 <= fraction <= 1:
            raise ValueError("fraction is between 0 and 1")
        with self._lock:
            self._fail_fraction = fraction
            self._random = random.Random(seed)  # noqa: S311 (reproducible, not secret)
            if slow_seconds is not None:
                self.slow_seconds = slow_seconds

    def drop_next(self, count: int, *, after_processing: bool = False) -> None:
        """The next ``count`` service calls have their connection closed without an answer,
        before they are processed, or after (what they carried is then kept)."""
        self._queue(count, _Plan("drop_after" if after_processing else "drop_before"))

    def slow_next(self, count: int, seconds: float) -> None:
        """The next ``count`` service calls are processed, then answered ``seconds`` late."""
        self._queue(count, _Plan("slow", seconds))

    def cut_next(self, count: int) -> None:
        """The next ``count`` service calls are processed, then their answer breaks off."""
        self._queue(count, _Plan("cut"))

    def go_down(self, seconds: float | None = None) -> None:
        """Drop every connection at once for ``seconds`` (until ``come_back`` if None)."""
        with self._lock:
            self._down_until = time.monotonic() + seconds if seconds is not None else float("inf")

    def come_back(self) -> None:
        with self._lock:
            self._down_until = None

    def expire_sessions(self) -> None:
        """Every session issued so far stops working."""
        with self._lock:
            self._sessions.clear()

    def _queue(self, count: int, plan: _Plan) -> None:
        with self._lock:
            self._plans.extend([plan] * count)

    def _plan(self, *, service_call: bool) -> _Plan:
        """What goes wrong with this request, if anything (counted)."""
        with self._lock:
            if service_call and self._plans:
                plan = self._plans.popleft()
            elif self._fail_fraction and self._random.random() < self._fail_fraction:
                plan = _Plan(self._random.choice(RANDOM_KINDS), self.slow_seconds)
            else:
                return _Plan()
            self.injected[plan.kind] += 1
        return plan

    def _down(self) -> bool:
        with self._lock:
            down = self._down_until is not None and time.monotonic() < self._down_until
            if down:
                self.injected["down"] += 1
            return down

    # ---- over HTTP ---------------------------------------------------------------------------

    def reply(self, request: Request) -> Reply:
        if self._down():
            raise Hangup
        endpoint = self._paths.get(request.path)
        if request.method != "POST" or endpoint is None:
            return json_reply(404, {"error_code": "404", "message": "Không có địa chỉ này"})
        if request.headers.get("dstcode") != self.dstcode:
            self._reject()
            return json_reply(403, {"error_code": "403", "message": "dstcode không hợp lệ"})
        try:
            body = request.json()
        except ValueError:
            body = None
        if endpoint == "auth":
            with self._lock:
                self.requests += 1
        else:
            if isinstance(body, dict) and isinstance(service := body.get("service"), str):
                with self._lock:
                    self.calls[service] += 1
            if failure := self._next_failure():
                return failure
        plan = self._plan(service_call=endpoint != "auth")
        if plan.kind:
            self._emit(f"! lỗi giả lập: {plan.kind}")
        if plan.kind == "http_500":
            return text_reply(500, "500 Internal Server Error")
        if plan.kind == "drop_before":
            raise Hangup
        answer = self._login(body) if endpoint == "auth" else self._serve(endpoint, body)
        if plan.kind == "drop_after":
            raise Hangup
        if plan.kind == "cut":
            raise Hangup(_cut_off(answer))
        if plan.kind == "slow":
            time.sleep(plan.seconds)
        return json_reply(200, answer)

    def _login(self, body: Any) -> dict[str, Any]:
        if (
            not isinstance(body, dict)
            or body.get("username") != self.username
            or body.get("password") != self.password
        ):
            self._reject()
            return {"error_code": "-1", "message": "Tên đăng nhập hoặc mật khẩu không đúng"}
        session = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[session] = time.monotonic()
            self.logins += 1
        self._emit("Đăng nhập: cấp phiên mới")
        return {"session": session, "error_code": 0, "message": "Đăng nhập thành công"}

    def _serve(self, endpoint: str, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            return _error("Dữ liệu gửi lên không phải đối tượng JSON")
        if not self._session_valid(body.get("session")):
            self._reject()
            return {"error_code": "401", "message": SESSION_MESSAGE}
        if body.get("madonvi") != self.unit_code:
            self._reject()
            return _error("Mã đơn vị (madonvi) không đúng hoặc chưa được cấp quyền")
        service = body.get("service")
        known = SHARE_SERVICES if endpoint == "share" else SYNC_SERVICES
        if not isinstance(service, str) or service not in known:
            return _error(f"Không có dịch vụ {str(service)[:60]!r} tại địa chỉ này")
        updating = body.get("isUpdating")
        if updating not in ("True", "False"):
            return _error('isUpdating phải là chuỗi "True" hoặc "False"')
        data = body.get("data")
        if not isinstance(data, list):
            return _error("data phải là một danh sách")
        try:
            result, events = self._services[service](data, updating == "True")
        except Refused as refused:
            self._emit(f"× {service}: {refused}")
            return _error(str(refused))
        for line in events:
            self._emit(line)
        answer: dict[str, Any] = {"error_code": "0", "message": "Thành công"}
        if result is not None:
            answer["result"] = result
        return answer

    def _session_valid(self, session: Any) -> bool:
        if not isinstance(session, str):
            return False
        with self._lock:
            issued = self._sessions.get(session)
        if issued is None:
            return False
        return self.session_seconds is None or time.monotonic() - issued < self.session_seconds

    def _emit(self, line: str) -> None:
        if self.on_event is not None:
            self.on_event(line)


def _error(message: str) -> dict[str, Any]:
    return {"error_code": "-1", "message": message}


def _cut_off(answer: dict[str, Any]) -> bytes:
    """The start of a chunked answer that announces the whole body and sends half."""
    body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
        f"{len(body):x}\r\n"
    )
    return head.encode("ascii") + body[: len(body) // 2]
