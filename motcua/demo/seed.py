"""The demo province: Đồng Tháp in the two-level structure, ready to take dossiers.

Everything is an upsert keyed by natural keys (unit codes, agency codes, usernames, procedure
codes), so ``seed_demo`` can run on every ``make run`` and changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.catalog.importer import ImportReport, import_records
from motcua.catalog.models import PostOfficeScope, Procedure, Sector
from motcua.demo.agencies import PROVINCE_SUFFIX, PROVINCIAL_AGENCIES, competent_agency_key
from motcua.demo.hotline import seed_hotline_samples, seed_hotline_settings
from motcua.demo.people import DEMO_PASSWORD, DEMO_USERS, Login, seed_citizens, seed_staff
from motcua.demo.reviews import seed_review_cycle
from motcua.org.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    Desk,
    DeskKind,
    UnitLevel,
)
from motcua.org.units import load_units
from motcua.workcalendar.models import CalendarOverride, OverrideKind
from motcua.workcalendar.sources import known_makeup_workdays

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "SeedResult", "seed_demo"]

CATALOGUE = "dvcqg-2026-07-province-commune.jsonl.gz"
DEMO_COMMUNES = 4
# Wards and communes that make a recognisable demo, by name; the first found are used.
PREFERRED_COMMUNES = ("Phường Cao Lãnh", "Phường Mỹ Tho", "Phường Sa Đéc", "Xã Tân Hồng")
POST_OFFICE_SECTORS = {"Hộ tịch", "Chứng thực", "Lý lịch tư pháp", "Đất đai"}


@dataclass
class SeedResult:
    units_created: int = 0
    agencies_created: int = 0
    desks_created: int = 0
    users_created: int = 0
    citizens_created: int = 0
    overrides_created: int = 0
    hotline_categories: int = 0
    hotline_tickets: int = 0
    review_proposals: int = 0
    catalogue: ImportReport | None = None
    logins: list[Login] = field(default_factory=list)


def _catalogue_records() -> Iterator[dict[str, Any]]:
    raw = resources.files("motcua.catalog.data").joinpath(CATALOGUE).read_bytes()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def _upsert_agency(
    code: str, *, name: str, kind: str, unit: AdministrativeUnit, parent: Agency | None
) -> tuple[Agency, bool]:
    return Agency.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "unit": unit, "parent": parent}
    )


def _upsert_desk(
    name: str, *, kind: str, agency: Agency, unit: AdministrativeUnit, address: str, phone: str
) -> tuple[Desk, bool]:
    """The desk by name; a desk seeded before desks had phones gets its phone (the post's
    carrier refuses an order without the agency side's phone, docs/postal.md "Carrier")."""
    desk, created = Desk.objects.get_or_create(
        name=name,
        agency=agency,
        defaults={"kind": kind, "unit": unit, "address": address, "phone": phone},
    )
    if not desk.phone:
        Desk.objects.filter(pk=desk.pk).update(phone=phone)
        desk.phone = phone
    return desk, created


def _province(today: dt.date) -> AdministrativeUnit:
    return (
        AdministrativeUnit.objects.valid_on(today)
        .filter(code=settings.MOTCUA_PROVINCE_CODE, level=UnitLevel.PROVINCE)
        .get()
    )


def _in_sentence(unit_name: str) -> str:
    """How a unit's name reads inside a sentence: Phường Cao Lãnh → phường Cao Lãnh."""
    return unit_name[:1].lower() + unit_name[1:]


def _demo_communes(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    communes = list(province.children.filter(level=UnitLevel.COMMUNE).order_by("code"))
    preferred = [c for name in PREFERRED_COMMUNES for c in communes if c.name == name]
    rest = [c for c in communes if c not in preferred]
    return (preferred + rest)[:DEMO_COMMUNES]


@transaction.atomic
def seed_demo(*, today: dt.date | None = None, samples: bool = False) -> SeedResult:
    """The demo province; ``samples`` adds a few hotline tickets, answers and a dialogue
    (for ``make run``; tests start from an empty queue)."""
    today = today or timezone.localdate()
    result = SeedResult()
    result.units_created = load_units([settings.MOTCUA_PROVINCE_CODE]).units_created
    province = _province(today)

    agencies: dict[str, Agency] = {}
    for spec in PROVINCIAL_AGENCIES:
        parent = agencies.get("ubnd") if spec.kind == AgencyKind.DEPARTMENT else None
        agency, created = _upsert_agency(
            spec.code, name=spec.name, kind=spec.kind, unit=province, parent=parent
        )
        agencies[spec.key] = agency
        result.agencies_created += created

    centre, created = _upsert_desk(
        "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp",
        kind=DeskKind.CENTRE,
        agency=agencies["centre"],
        unit=province,
        address="85 Nguyễn Huệ, Phường Cao Lãnh, tỉnh Đồng Tháp",
        phone="02773851000",
    )
    result.desks_created += created
    post_office, created = _upsert_desk(
        "Bưu điện tỉnh Đồng Tháp (điểm tiếp nhận hồ sơ)",
        kind=DeskKind.POST_OFFICE,
        agency=agencies["buudien"],
        unit=province,
        address="85 Nguyễn Huệ, Phường Cao Lãnh, tỉnh Đồng Tháp",
        phone="02773852000",
    )
    result.desks_created += created

    commune_desks: list[Desk] = []
    for index, commune in enumerate(_demo_communes(province), start=1):
        committee, created = _upsert_agency(
            f"000.{index:02d}.00.{PROVINCE_SUFFIX}",
            name=f"Ủy ban nhân dân {_in_sentence(commune.name)}",
            kind=AgencyKind.PEOPLES_COMMITTEE,
            unit=commune,
            parent=agencies["ubnd"],
        )
        result.agencies_created += created
        desk, created = _upsert_desk(
            f"Trung tâm Phục vụ hành chính công {_in_sentence(commune.name)}",
            kind=DeskKind.COMMUNE,
            agency=committee,
            unit=commune,
            address=f"Trụ sở UBND {_in_sentence(commune.name)}, tỉnh Đồng Tháp",
            phone=f"027738{53000 + index}",
        )
        result.desks_created += created
        commune_desks.append(desk)

    for day, name in known_makeup_workdays().items():
        _row, created = CalendarOverride.objects.get_or_create(
            day=day,
            agency=None,
            defaults={"kind": OverrideKind.WORKING_DAY, "name": name},
        )
        result.overrides_created += created

    result.catalogue = import_records(_catalogue_records())
    _assign_procedures(agencies, centre, post_office, commune_desks)
    _scope_post_office(post_office)
    desks = {"centre": centre, "post_office": post_office}
    result.users_created, staff = seed_staff(agencies, desks, commune_desks)
    result.citizens_created, citizens = seed_citizens()
    result.logins = staff + citizens
    result.hotline_categories = seed_hotline_settings()
    if samples:
        result.hotline_tickets = seed_hotline_samples()
        result.review_proposals = seed_review_cycle()
    return result


def _assign_procedures(
    agencies: dict[str, Agency], centre: Desk, post_office: Desk, commune_desks: list[Desk]
) -> None:
    """Give each procedure its competent agency and the desks that accept it. Procedures a
    province already assigned (competent_agency set) keep their assignment."""
    procedures = list(Procedure.objects.select_related("sector"))
    for procedure in procedures:
        if procedure.competent_agency_id or not procedure.at_province:
            continue
        key = competent_agency_key(
            sector=procedure.sector.name if procedure.sector else "",
            agency_texts=f"{procedure.implementing_agency_text} {procedure.competent_agency_text}",
        )
        procedure.competent_agency = agencies[key]
        procedure.save(update_fields=["competent_agency"])

    through = Procedure.desks.through
    wanted: set[tuple[int, int]] = set()
    for procedure in procedures:
        # Decree 118/2025: centres receive regardless of administrative boundary, so the
        # provincial centre takes commune procedures too and commune desks provincial ones.
        wanted.add((procedure.pk, centre.pk))
        for desk in commune_desks:
            wanted.add((procedure.pk, desk.pk))
        sector = procedure.sector.name if procedure.sector else ""
        if procedure.at_province and sector in POST_OFFICE_SECTORS:
            wanted.add((procedure.pk, post_office.pk))
    have = set(through.objects.values_list("procedure_id", "desk_id"))
    through.objects.bulk_create(
        through(procedure_id=p, desk_id=d) for p, d in sorted(wanted - have)
    )


def _scope_post_office(post_office: Desk) -> None:
    """The pilot's scope of the post-office desk (docs/postal.md "The post office as a
    desk"): the sectors it was given, for the competent agencies of the procedures it
    receives. Written once: what an administrator changes later stays."""
    scope, created = PostOfficeScope.objects.get_or_create(
        desk=post_office,
        defaults={"decision": "Quyết định thí điểm của UBND tỉnh (dữ liệu mẫu)"},
    )
    if not created:
        return
    scope.sectors.set(Sector.objects.filter(name__in=POST_OFFICE_SECTORS))
    agencies = (
        Procedure.objects.filter(desks=post_office, competent_agency__isnull=False)
        .values_list("competent_agency", flat=True)
        .distinct()
    )
    scope.agencies.set(Agency.objects.filter(pk__in=agencies))
