"""Where a postal address is and what the postage costs there (docs/postal.md "Fees").

The administrative structure is data (docs/architecture.md rule 10): an address may name its
unit in the structure in force until 30/06/2025 or in the one since 01/07/2025; an old unit
counts as the unit it went into (``UnitSuccession``), both for "is it in the province" and
for "is it the agency's unit".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, invalid
from motcua.org.models import AdministrativeUnit, Agency, UnitLevel, UnitSuccession
from motcua.postal.models import PostalTariff, Zone

UNIT_CODE_MAX = 10


def unit_for_code(code: str, day: dt.date) -> AdministrativeUnit:
    """The unit an address names by its code: the one valid on ``day``, else the latest
    that carried the code (an old commune's code, from before the reorganisation). 422 when
    no unit has it, or when it is in another province."""
    code = (code or "").strip()
    units = AdministrativeUnit.objects.select_related("parent__parent").filter(code=code)
    unit = None
    if code and len(code) <= UNIT_CODE_MAX:
        unit = units.valid_on(day).first() or units.order_by("-valid_from").first()
    if unit is None:
        raise invalid(
            "unit_not_found",
            _("Không tìm thấy đơn vị hành chính có mã %(code)s.") % {"code": code[:UNIT_CODE_MAX]},
            field="address.unit_code",
        )
    if not in_province(unit):
        raise invalid(
            "outside_province",
            _(
                "Địa chỉ thuộc %(unit)s, ngoài địa bàn %(province)s: dịch vụ bưu chính công ích "
                "của tỉnh chỉ thu gom và chuyển phát trong tỉnh."
            )
            % {"unit": unit.name, "province": settings.MOTCUA_PROVINCE_NAME},
            field="address.unit_code",
        )
    return unit


def _lineage(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The unit and the units above it, up to its province."""
    chain = [unit]
    while chain[-1].parent_id is not None:
        parent = chain[-1].parent or AdministrativeUnit.objects.get(pk=chain[-1].parent_id)
        chain.append(parent)
    return chain


def _with_successors(units: list[AdministrativeUnit]) -> set[int]:
    ids = {u.pk for u in units}
    ids |= set(
        UnitSuccession.objects.filter(predecessor_id__in=ids).values_list("successor_id", flat=True)
    )
    return ids


def in_province(unit: AdministrativeUnit) -> bool:
    """Whether the unit lies in the province this installation serves
    (``MOTCUA_PROVINCE_CODE``), in either structure."""
    top = _lineage(unit)[-1]
    if top.level != UnitLevel.PROVINCE:
        return False
    if top.code == settings.MOTCUA_PROVINCE_CODE and top.valid_to is None:
        return True
    return UnitSuccession.objects.filter(
        Q(successor__valid_to__isnull=True),
        predecessor=top,
        successor__code=settings.MOTCUA_PROVINCE_CODE,
    ).exists()


def zone_of(unit: AdministrativeUnit, agency: Agency) -> str:
    """The tariff zone of an address in ``unit`` for a dossier of ``agency`` (``Zone``)."""
    agency_unit = agency.unit
    if agency_unit.level == UnitLevel.PROVINCE:
        return Zone.SAME_PROVINCE
    if agency_unit.pk in _with_successors(_lineage(unit)):
        return Zone.SAME_UNIT
    return Zone.SAME_PROVINCE


def fee_for(*, zone: str, service: str, day: dt.date) -> int:
    """The postage in force on ``day``; 409 while the province has set none."""
    tariff = (
        PostalTariff.objects.filter(zone=zone, service=service, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    if tariff is None:
        raise ActionError(
            "no_postal_tariff",
            _(
                "Chưa có biểu cước dịch vụ bưu chính công ích áp dụng; vui lòng liên hệ bộ "
                "phận một cửa."
            ),
        )
    return tariff.fee_vnd
