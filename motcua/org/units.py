"""Load administrative units and their successions from the dataset shipped in ``org/data``.

The dataset (see org/data/README.md for provenance) carries the 2008–2025 three-level
structure and the two-level structure in force since 01/07/2025, with the mapping from old
units to new ones. Loading is an upsert keyed by (code, valid_from), so it can be repeated.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction

from motcua.org.models import AdministrativeUnit, UnitSuccession

DATASET = "units.json.gz"


@dataclass
class UnitsLoaded:
    units_created: int = 0
    units_updated: int = 0
    successions_created: int = 0


@cache
def dataset() -> dict[str, Any]:
    raw = resources.files("motcua.org.data").joinpath(DATASET).read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw))
    return data


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _select(data: dict[str, Any], provinces: Iterable[str] | None) -> list[dict[str, Any]]:
    """The units of the given provinces (by code, in any structure) and of the provinces that
    were merged into them or that they were merged into; everything when ``provinces`` is None."""
    units: list[dict[str, Any]] = data["units"]
    if provinces is None:
        return units
    wanted = set(provinces)
    for link in data["successions"]:
        if link["level"] == "province" and (link["from"] in wanted or link["to"] in wanted):
            wanted.update((link["from"], link["to"]))
    by_key = {(u["structure"], u["code"]): u for u in units}

    def province_of(unit: dict[str, Any]) -> str:
        while unit.get("parent"):
            unit = by_key[(unit["structure"], unit["parent"])]
        return str(unit["code"])

    return [u for u in units if province_of(u) in wanted]


@transaction.atomic
def load_units(provinces: Iterable[str] | None = None) -> UnitsLoaded:
    data = dataset()
    periods = {
        s["name"]: (_date(s["valid_from"]), _date(s["valid_to"])) for s in data["structures"]
    }
    selected = _select(data, provinces)
    result = UnitsLoaded()
    existing = {(u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
    loaded: dict[tuple[str, str], AdministrativeUnit] = {}
    # Parents first: provinces, then districts, then communes.
    order = {"province": 0, "district": 1, "commune": 2}
    for row in sorted(selected, key=lambda u: order[u["level"]]):
        valid_from, valid_to = periods[row["structure"]]
        parent = loaded.get((row["structure"], row["parent"])) if row.get("parent") else None
        fields = {
            "name": row["name"],
            "short_name": row.get("short_name", ""),
            "level": row["level"],
            "kind": row.get("kind", ""),
            "parent": parent,
            "valid_to": valid_to,
        }
        unit = existing.get((row["code"], valid_from))
        if unit is None:
            unit = AdministrativeUnit.objects.create(
                code=row["code"], valid_from=valid_from, **fields
            )
            result.units_created += 1
        elif any(getattr(unit, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(unit, name, value)
            unit.save()
            result.units_updated += 1
        loaded[(row["structure"], row["code"])] = unit

    new_structure = next(s["name"] for s in data["structures"] if s["valid_to"] is None)
    old_structures = [s["name"] for s in data["structures"] if s["valid_to"] is not None]
    effective = periods[new_structure][0] or dt.date(2025, 7, 1)
    have = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    new_links = []
    for link in data["successions"]:
        successor = loaded.get((new_structure, link["to"]))
        predecessor = next(
            (loaded[(s, link["from"])] for s in old_structures if (s, link["from"]) in loaded),
            None,
        )
        if successor is None or predecessor is None or (predecessor.pk, successor.pk) in have:
            continue
        have.add((predecessor.pk, successor.pk))
        new_links.append(
            UnitSuccession(
                predecessor=predecessor,
                successor=successor,
                effective_on=effective,
                note=link.get("note", ""),
            )
        )
    UnitSuccession.objects.bulk_create(new_links)
    result.successions_created = len(new_links)
    return result
