"""The National Public Service Portal's data-sharing interface (Cổng DVC quốc gia, DVCQG), as
provincial systems reach it through the data-sharing gateway (LGSP/NGSP).

No official specification is public; the shapes below follow two public integrations, which
differ in details, so every address and code is configuration (``NATIONAL_PORTAL_*``) and the
unconfirmed points are listed in docs/national-portal.md. The local fake
(``manage.py fake_platform national-portal``) speaks exactly this.

Three endpoints, each a POST of JSON (UTF-8) carrying the header ``dstcode`` (the gateway's
routing code, ``NATIONAL_PORTAL_DSTCODE``):

- **auth** (``NATIONAL_PORTAL_AUTH_URL``): ``{"username", "password"}`` →
  ``{"session": "<token>", "error_code": 0}``; wrong credentials → a non-zero ``error_code``
  and a ``message``.
- **sync** (``NATIONAL_PORTAL_SYNC_URL``) and **share** (``NATIONAL_PORTAL_SHARE_URL``):
  ``{"session", "madonvi", "service", "isUpdating": "True"|"False", "data": [...]}``
  (``isUpdating`` is a *string*; ``madonvi`` is the province's unit code,
  ``NATIONAL_PORTAL_UNIT_CODE``). Success is ``error_code`` 0, "0" or "00"; what a service
  returns is in ``result`` (a list, or an object for a single record).

The services (``Service``): on **sync**, ``DongBoHoSoMC`` (a dossier: insert with
``isUpdating`` "False", update with "True"), ``CapNhatTienDoHoSoMC`` (progress steps, only
for a dossier the portal already holds), ``TraCuuHoSo`` (``data: [{"MaHoSo"}]`` → ``result``
the dossier the portal holds, with its steps in ``QuaTrinhXuLy``, or an empty list) and
``DongBoDanhGia`` (monthly satisfaction per procedure); on **share**, ``LayDanhSachTTHC``
(``data: [{"TrangSo", "SoBanGhi"}]`` → one page of ``{"MaTTHC", "TenTTHC", "NgayCapNhat"}``),
``LayThuTuc`` (``data: [{"MaTTHC"}]`` → the full record, in the field names of the portal's
catalogue export), ``LayDanhMucCoQuan`` and ``LayDanhMucLinhVuc`` (the agency and sector
lists).

Answers that are not a success, and what this module makes of them:

- a ``message`` saying the record already exists ("đã tồn tại"), to an insert →
  ``AlreadyExistsError``: send the same record again as an update;
- ``error_code`` "401", or a message about the session ("session", "phiên") → the session
  expired: log in again once and repeat the call;
- any other non-zero ``error_code`` → ``RejectedError`` with the portal's message: the data is
  wrong (a field the portal refuses), and sending it again cannot help;
- HTTP 5xx, 408, 429, a timeout, a refused or dropped connection, or an answer that is not a
  JSON object → ``UnavailableError``: try again later. So is any other HTTP error but 401:
  the portal refuses data inside its answer, so an HTTP 403 or 404 is the gateway refusing us
  (a wrong ``dstcode``, an address it does not allow, a wrong URL); no dossier is at fault,
  and every one waits for the operator to fix the setting.

A ``CircuitBreaker`` counts consecutive ``UnavailableError`` answers: past a threshold it opens,
and calls fail at once (``UnavailableError``, ``breaker_open``) for a cool-down, after which one
call is let through to probe; any answer of the portal's, a refusal included, closes the
breaker.
"""

from motcua.integrations.national_portal.breaker import CircuitBreaker
from motcua.integrations.national_portal.client import (
    AlreadyExistsError,
    NationalPortalClient,
    PortalConfig,
    PortalError,
    RejectedError,
    Service,
    UnavailableError,
    portal_time,
    read_portal_time,
)

__all__ = [
    "AlreadyExistsError",
    "CircuitBreaker",
    "NationalPortalClient",
    "PortalConfig",
    "PortalError",
    "RejectedError",
    "Service",
    "UnavailableError",
    "portal_time",
    "read_portal_time",
]
