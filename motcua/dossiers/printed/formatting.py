"""How the printed forms write dates, times, headers and the QR code.

Dates and times are those of Asia/Ho_Chi_Minh whatever the server's zone. Times read as
Vietnamese forms print them ("08 giờ 30 phút, ngày 02/03/2026"); the place-and-date line
under the national motto follows Decree 30/2020/NĐ-CP, Appendix I (a day below 10 and the
months 1 and 2 take a leading zero: "ngày 05 tháng 02 năm 2026", "ngày 15 tháng 3 năm 2026").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import segno
from django.utils.safestring import SafeString, mark_safe

from motcua.catalog.models import TimeUnit
from motcua.dossiers.lookup import applicant_lookup_url
from motcua.dossiers.models import Dossier
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, Desk, UnitLevel

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(TZ)


def vn_date(value: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy, or "" for no date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return f"{value:%d/%m/%Y}"


def vn_time(value: dt.datetime | None) -> str:
    """The moment as forms print it: 08 giờ 30 phút, ngày 02/03/2026 ("" for none)."""
    if value is None:
        return ""
    moment = local(value)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def dated_line(place: str, value: dt.datetime | dt.date) -> str:
    """The place-and-date line of an administrative document (Decree 30/2020/NĐ-CP)."""
    day = local(value).date() if isinstance(value, dt.datetime) else value
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


def place_of(unit: AdministrativeUnit | None) -> str:
    """The place name printed before the date: the unit's short name ("Đồng Tháp")."""
    if unit is None:
        return ""
    return unit.short_name or unit.name


def province_of(unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    while unit is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    return unit


@dataclass(frozen=True)
class Header:
    """The top of every form: the issuing body (under its superior, if any) on the left,
    the national name and motto on the right, and the place-and-date line."""

    superior: str
    issuer: str
    place: str
    nation: str = NATION
    motto: str = MOTTO


def desk_header(desk: Desk) -> Header:
    """A form the one-stop desk issues (Forms 01, 02, 03, 06, 07). A service centre is its
    own issuer; another desk prints the agency it belongs to above its name."""
    agency = desk.agency
    superior = agency.parent if agency.kind == AgencyKind.SERVICE_CENTRE else agency
    return Header(
        superior=superior.name if superior is not None else "",
        issuer=desk.name,
        place=place_of(desk.unit),
    )


def agency_header(agency: Agency) -> Header:
    """A form the competent agency issues (Forms 04, 05)."""
    return Header(
        superior=agency.parent.name if agency.parent is not None else "",
        issuer=agency.name,
        place=place_of(agency.unit),
    )


def qr_svg(url: str) -> SafeString:
    """The QR code of ``url`` as inline SVG, sized by the stylesheet (no width/height)."""
    code = segno.make(url, error="m", micro=False)
    # segno writes only its own path data and numbers: nothing from the dossier's text.
    return mark_safe(code.svg_inline(scale=1, border=2, omitsize=True))  # noqa: S308


def lookup(dossier: Dossier) -> dict[str, str]:
    """The public lookup address of the dossier and its QR code (every form carries one).
    The forms are handed to the applicant, so the address carries the dossier's secret: the
    QR code opens the lookup with the procedure and the masked applicant shown."""
    url = applicant_lookup_url(dossier)
    return {"lookup_url": url, "qr": qr_svg(url)}


def processing_time(dossier: Dossier) -> str:
    """The statutory processing time for the dossier's channel ("5 ngày làm việc")."""
    methods = {m.channel: m for m in dossier.procedure.methods.all()}
    method = methods.get(dossier.channel) or next(iter(methods.values()), None)
    if method is None:
        return ""
    if method.time_value is None or not method.time_unit:
        return method.time_text
    return f"{_number(method.time_value)} {TimeUnit(method.time_unit).label}"


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def money(amount: int) -> str:
    """12.000 đồng: thousands separated by dots as Vietnamese writes them."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def person_name(user: object) -> str:
    if user is None:
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", ""))
