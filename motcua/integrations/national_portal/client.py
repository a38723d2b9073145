"""The national portal's client: a session, the envelope, and what each answer means (the
protocol is this package's docstring)."""

from __future__ import annotations

import datetime as dt
import enum
import http.client
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.core.text import fold
from motcua.integrations.national_portal.breaker import CircuitBreaker

logger = logging.getLogger(__name__)

PORTAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PORTAL_TIME = "%Y%m%d%H%M%S"
SUCCESS = {"0", "00"}
SESSION_CODES = {"401"}
SESSION_WORDS = ("session", "phien lam viec", "phien dang nhap")
EXISTS_WORDS = ("da ton tai", "already exist")
RETRYABLE_HTTP = {408, 425, 429}
_SETTINGS_HINT = "cổng kết nối từ chối (kiểm tra NATIONAL_PORTAL_DSTCODE và các địa chỉ): "
MAX_ANSWER_BYTES = 32 * 1024 * 1024
MESSAGE_CHARS = 500


class Service(enum.StrEnum):
    SYNC_DOSSIER = "DongBoHoSoMC"
    SYNC_PROGRESS = "CapNhatTienDoHoSoMC"
    LOOKUP_DOSSIER = "TraCuuHoSo"
    SYNC_RATINGS = "DongBoDanhGia"
    LIST_PROCEDURES = "LayDanhSachTTHC"
    GET_PROCEDURE = "LayThuTuc"
    LIST_AGENCIES = "LayDanhMucCoQuan"
    LIST_SECTORS = "LayDanhMucLinhVuc"


SHARE_SERVICES = frozenset(
    {
        Service.LIST_PROCEDURES,
        Service.GET_PROCEDURE,
        Service.LIST_AGENCIES,
        Service.LIST_SECTORS,
    }
)


class PortalError(Exception):
    """The portal did not do what was asked; ``retryable`` says whether asking again later
    can help. ``code`` is the portal's ``error_code`` or the HTTP status, if any."""

    retryable = False

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message[:MESSAGE_CHARS])
        self.code = code


class UnavailableError(PortalError):
    """Unreachable, too slow, overloaded, or answering outside the protocol."""

    retryable = True


class RejectedError(PortalError):
    """The portal refused the data (its message says why): sending it again cannot help."""


class AlreadyExistsError(RejectedError):
    """An insert of a record the portal already holds: send it as an update."""


def portal_time(moment: dt.datetime | None) -> str:
    """A moment as the portal writes it: ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh ("" for
    none)."""
    return "" if moment is None else moment.astimezone(PORTAL_ZONE).strftime(PORTAL_TIME)


def read_portal_time(text: str) -> dt.datetime | None:
    """The moment a portal date stands for, or None for an empty or malformed one."""
    try:
        return dt.datetime.strptime(text, PORTAL_TIME).replace(tzinfo=PORTAL_ZONE)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class PortalConfig:
    auth_url: str
    sync_url: str
    share_url: str
    username: str
    password: str
    dstcode: str
    unit_code: str
    timeout: float = 30.0

    @classmethod
    def from_settings(cls) -> PortalConfig:
        return cls(
            auth_url=settings.NATIONAL_PORTAL_AUTH_URL,
            sync_url=settings.NATIONAL_PORTAL_SYNC_URL,
            share_url=settings.NATIONAL_PORTAL_SHARE_URL,
            username=settings.NATIONAL_PORTAL_USERNAME,
            password=settings.NATIONAL_PORTAL_PASSWORD,
            dstcode=settings.NATIONAL_PORTAL_DSTCODE,
            unit_code=settings.NATIONAL_PORTAL_UNIT_CODE,
            timeout=float(settings.NATIONAL_PORTAL_TIMEOUT_SECONDS),
        )


class NationalPortalClient:
    """One session with the portal, shared by the threads that use the client: a call whose
    session has expired logs in again (once) and is repeated. ``breaker`` (optional) refuses
    calls at once while the portal is down."""

    def __init__(self, config: PortalConfig, *, breaker: CircuitBreaker | None = None) -> None:
        self.config = config
        self.breaker = breaker
        self._session = ""
        self._session_lock = threading.Lock()
        self.logins = 0  # how many times this client logged in

    @classmethod
    def from_settings(cls, *, breaker: CircuitBreaker | None = None) -> NationalPortalClient:
        return cls(PortalConfig.from_settings(), breaker=breaker)

    # ---- the services ----------------------------------------------------------------------

    def sync_dossier(self, record: Mapping[str, Any], *, updating: bool) -> None:
        """``DongBoHoSoMC``: insert (``updating`` False) or update one dossier. Raises
        ``AlreadyExistsError`` for an insert of a dossier the portal holds."""
        self.call(Service.SYNC_DOSSIER, [dict(record)], updating=updating)

    def sync_progress(self, steps: Sequence[Mapping[str, Any]]) -> None:
        """``CapNhatTienDoHoSoMC``: append progress steps (of dossiers the portal holds)."""
        self.call(Service.SYNC_PROGRESS, [dict(step) for step in steps], updating=False)

    def lookup_dossier(self, code: str) -> dict[str, Any] | None:
        """``TraCuuHoSo``: the dossier as the portal holds it (with its steps in
        ``QuaTrinhXuLy``), or None if it holds no dossier of that code."""
        result = self.call(Service.LOOKUP_DOSSIER, [{"MaHoSo": code}], updating=False)
        if isinstance(result, list):
            result = result[0] if result else None
        if result is None:
            return None
        if not isinstance(result, dict):
            raise UnavailableError(f"TraCuuHoSo trả kết quả không phải đối tượng: {result!r}")
        return result

    def sync_ratings(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """``DongBoDanhGia``: the month's satisfaction summary, one row per procedure."""
        self.call(Service.SYNC_RATINGS, [dict(row) for row in rows], updating=False)

    def list_procedures(self, page: int, size: int) -> list[dict[str, Any]]:
        """``LayDanhSachTTHC``: one page (from 1) of the procedure list."""
        return _records(
            self.call(Service.LIST_PROCEDURES, [{"TrangSo": page, "SoBanGhi": size}]),
            Service.LIST_PROCEDURES,
        )

    def get_procedure(self, code: str) -> dict[str, Any] | None:
        """``LayThuTuc``: one procedure's whole record, or None if the portal has none."""
        records = _records(self.call(Service.GET_PROCEDURE, [{"MaTTHC": code}]), "LayThuTuc")
        return records[0] if records else None

    def list_agencies(self) -> list[dict[str, Any]]:
        return _records(self.call(Service.LIST_AGENCIES, []), Service.LIST_AGENCIES)

    def list_sectors(self) -> list[dict[str, Any]]:
        return _records(self.call(Service.LIST_SECTORS, []), Service.LIST_SECTORS)

    # ---- the envelope ----------------------------------------------------------------------

    def call(self, service: Service, data: list[Any], *, updating: bool = False) -> Any:
        """Call ``service`` with ``data``; its ``result``. Logs in first if there is no
        session, and again once if the session has expired. Raises ``PortalError``."""
        if self.breaker is not None and not self.breaker.allow():
            raise UnavailableError("Cổng DVC quốc gia đang tạm ngưng kết nối (breaker_open)")
        try:
            result = self._call_with_session(service, data, updating)
        except UnavailableError:
            if self.breaker is not None:
                self.breaker.failure()
            raise
        except RejectedError:
            # The portal answered, if only to refuse the data: it is up. A half-open
            # breaker's probe must end either way, or the breaker would stay open for good.
            if self.breaker is not None:
                self.breaker.success()
            raise
        except Exception:
            if self.breaker is not None:
                self.breaker.release()
            raise
        if self.breaker is not None:
            self.breaker.success()
        return result

    def _call_with_session(self, service: Service, data: list[Any], updating: bool) -> Any:
        url = self.config.share_url if service in SHARE_SERVICES else self.config.sync_url
        session = self._current_session()
        for again in (False, True):
            envelope = {
                "session": session,
                "madonvi": self.config.unit_code,
                "service": str(service),
                "isUpdating": "True" if updating else "False",
                "data": data,
            }
            answer = self._post(url, envelope)
            if _succeeded(answer):
                return answer.get("result")
            code, message = str(answer.get("error_code", "")), str(answer.get("message", ""))
            if _session_expired(code, message) and not again:
                logger.info("national portal: session expired, logging in again")
                session = self._login(expired=session)
                continue
            if _already_exists(message) and not updating and service == Service.SYNC_DOSSIER:
                raise AlreadyExistsError(message, code=code)
            if _session_expired(code, message):
                raise UnavailableError(f"phiên làm việc hết hạn ngay sau khi đăng nhập: {message}")
            raise RejectedError(message or f"error_code {code}", code=code)
        raise AssertionError("unreachable")  # pragma: no cover

    def _current_session(self) -> str:
        with self._session_lock:
            session = self._session
        return session or self._login(expired="")

    def _login(self, *, expired: str) -> str:
        """A fresh session, unless another thread already replaced ``expired``."""
        with self._session_lock:
            if self._session and self._session != expired:
                return self._session
            answer = self._post(
                self.config.auth_url,
                {"username": self.config.username, "password": self.config.password},
            )
            session = answer.get("session")
            if not _succeeded(answer) or not isinstance(session, str) or not session:
                message = str(answer.get("message", "")) or "không nhận được session"
                # Wrong credentials are the operator's to fix, but the portal also refuses
                # logins while it restarts: try again later either way, and say why.
                raise UnavailableError(f"đăng nhập Cổng DVC quốc gia không được: {message}")
            self._session = session
            self.logins += 1
            return session

    def _post(self, url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        if not url.startswith(("http://", "https://")):
            raise RejectedError(f"địa chỉ Cổng DVC quốc gia không phải http(s): {url!r}")
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310 (setting)
        request.add_header("Content-Type", "application/json; charset=utf-8")
        request.add_header("Accept", "application/json")
        request.add_header("dstcode", self.config.dstcode)
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310
                raw = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as exc:
            message = f"HTTP {exc.code}: {_error_detail(exc)}"
            if exc.code == 401:
                return {"error_code": "401", "message": message}
            # The portal refuses data inside its answer (a non-zero error_code under HTTP
            # 200). An HTTP error is the gateway's: overloaded (5xx, 408, 429), refusing us
            # (403: a wrong dstcode, an address it does not allow) or reached at a wrong
            # address (404, 405). No dossier is at fault: every one waits, with the breaker,
            # for the portal or for the operator to fix the setting.
            hint = "" if exc.code >= 500 or exc.code in RETRYABLE_HTTP else _SETTINGS_HINT
            raise UnavailableError(f"{hint}{message}", code=str(exc.code)) from exc
        # Refused, reset, timed out; or an answer broken off or not HTTP at all, which
        # http.client reports outside OSError (IncompleteRead, BadStatusLine).
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise UnavailableError(f"không kết nối được: {exc}") from exc
        return _json_object(raw)


def _error_detail(error: urllib.error.HTTPError) -> str:
    """The start of an error answer's body, if it can be read."""
    try:
        return error.read(300).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""


def _succeeded(answer: Mapping[str, Any]) -> bool:
    return str(answer.get("error_code", "")).strip() in SUCCESS


def _session_expired(code: str, message: str) -> bool:
    folded = fold(message)
    return code.strip() in SESSION_CODES or any(word in folded for word in SESSION_WORDS)


def _already_exists(message: str) -> bool:
    folded = fold(message)
    return any(word in folded for word in EXISTS_WORDS)


def _json_object(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_ANSWER_BYTES:
        raise UnavailableError("Cổng DVC quốc gia trả dữ liệu quá lớn")
    try:
        answer = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise UnavailableError(f"Cổng trả dữ liệu không phải JSON: {raw[:120]!r}") from exc
    if not isinstance(answer, dict):
        raise UnavailableError("Cổng trả dữ liệu không phải đối tượng JSON")
    return answer


def _records(result: Any, service: str) -> list[dict[str, Any]]:
    if result is None:
        return []
    if isinstance(result, dict):
        result = [result]
    if not isinstance(result, list) or not all(isinstance(item, dict) for item in result):
        raise UnavailableError(f"{service} trả kết quả không phải danh sách đối tượng")
    return result
