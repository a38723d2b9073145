"""Build ``units.json.gz``: Vietnam's administrative units, before and after 1 July 2025.

Developer tool, run by hand; it is not imported by motcua at run time. Its source is the
MIT-licensed ``vietnamadminunits`` package (Tran Ngoc Minh Hieu), which is NOT a runtime
dependency of motcua: install it only in a throwaway environment, or just download its wheel.

    pip download --no-deps -d /tmp/vau vietnamadminunits==1.0.4
    python motcua/org/data/build_units.py --source /tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl

Without ``--source`` the installed ``vietnamadminunits`` is read (its data files only: the
package itself is never imported, so its dependencies need not be installed). Only the data
files ``data/dataset.db`` (SQLite: tables ``admin_units_legacy`` and ``admin_units``) and
``data/converter_2025.json`` (old -> new mapping) are used. See README.md beside this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import gzip
import importlib.metadata
import importlib.util
import io
import json
import math
import re
import sqlite3
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE = "vietnamadminunits"
HOMEPAGE = "https://github.com/tranngocminhhieu/vietnamadminunits"
OUT = Path(__file__).with_name("units.json.gz")

OLD = "2008-2025"
NEW = "2025"
STRUCTURES = [
    {"name": OLD, "valid_from": None, "valid_to": "2025-06-30"},
    {"name": NEW, "valid_from": "2025-07-01", "valid_to": None},
]
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
DISTRICT_KINDS = {"quận", "huyện", "thị xã", "thành phố"}
COMMUNE_KINDS = {"phường", "xã", "thị trấn", "đặc khu"}
WHOLE = "merged whole"
PART = "part"
# The source disambiguates same-named siblings in short names ("Kỳ Anh (Huyện)"); the full
# name already does that, so the suffix is dropped: short_name is always a tail of name.
KIND_SUFFIX = re.compile(r" \((?:Quận|Huyện|Thị xã|Thành phố|Phường|Xã|Thị trấn|Đặc khu)\)$")

Unit = dict[str, Any]


@dataclass
class Source:
    version: str
    licence: str
    db: sqlite3.Connection
    converter: dict[str, Any]


def clean(text: str) -> str:
    """NFC, single spaces, no surrounding blanks."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _licence(metadata_text: str) -> str:
    meta = email.message_from_string(metadata_text)
    classifiers = meta.get_all("Classifier") or []
    if "License :: OSI Approved :: MIT License" not in classifiers:
        raise SystemExit(f"{PACKAGE}: expected an MIT licence classifier, got {classifiers}")
    return "MIT"


def _open_db(data: bytes) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.deserialize(data)
    con.row_factory = sqlite3.Row
    return con


def load_source(path: Path | None) -> Source:
    """Read the data files from a wheel, an unpacked package directory, or the installed one."""
    if path is not None and path.suffix == ".whl":
        with zipfile.ZipFile(path) as whl:
            names = whl.namelist()
            meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
            meta_text = whl.read(meta_name).decode()
            version = email.message_from_string(meta_text)["Version"]
            db = whl.read(f"{PACKAGE}/data/dataset.db")
            converter = json.loads(whl.read(f"{PACKAGE}/data/converter_2025.json"))
        return Source(version, _licence(meta_text), _open_db(db), converter)

    if path is None:
        spec = importlib.util.find_spec(PACKAGE)  # locates the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(f"{PACKAGE} is not installed; pass --source WHEEL")
        pkg_dir = Path(next(iter(spec.submodule_search_locations)))
        dist = importlib.metadata.distribution(PACKAGE)
        version, meta_text = dist.version, dist.read_text("METADATA") or ""
    else:
        pkg_dir = path / PACKAGE if (path / PACKAGE).is_dir() else path
        meta_file = next(pkg_dir.parent.glob(f"{PACKAGE}-*.dist-info/METADATA"))
        meta_text = meta_file.read_text()
        version = email.message_from_string(meta_text)["Version"]
    data = pkg_dir / "data"
    converter = json.loads((data / "converter_2025.json").read_text())
    return Source(
        version, _licence(meta_text), _open_db((data / "dataset.db").read_bytes()), converter
    )


def _province_kind(name: str) -> str:
    if name.startswith("Thành phố "):
        return "thành phố trung ương"
    if name.startswith("Tỉnh "):
        return "tỉnh"
    raise ValueError(f"unknown province kind: {name!r}")


def _put(units: dict[tuple[str, str], Unit], unit: Unit) -> None:
    """Add a unit once; a repeated (structure, code) must carry identical attributes."""
    key = (unit["structure"], unit["code"])
    if key in units and units[key] != unit:
        raise ValueError(f"conflicting rows for {key}: {units[key]} != {unit}")
    units[key] = unit


def build(src: Source, built: str) -> dict[str, Any]:
    units: dict[tuple[str, str], Unit] = {}
    # Keys used by converter_2025.json -> codes.
    old_province_by_key: dict[str, str] = {}
    old_unit_by_path: dict[str, str] = {}  # "province_district_ward" key -> commune/district code
    new_province_by_key: dict[str, str] = {}
    new_ward_by_key: dict[tuple[str, str], str] = {}
    coords: dict[tuple[str, str], tuple[float, float]] = {}  # used only to break ties

    for r in src.db.execute("SELECT * FROM admin_units_legacy"):
        prov, dist = r["provinceCode"], r["districtCode"]
        _put(units, _unit(prov, r["province"], r["provinceShort"], "province", None, OLD))
        old_province_by_key[r["provinceKey"]] = prov
        district_kind = clean(r["districtType"]).lower()
        _put(
            units,
            _unit(dist, r["district"], r["districtShort"], "district", prov, OLD, district_kind),
        )
        path = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if path in old_unit_by_path:
            raise ValueError(f"duplicate legacy key {path}")
        if r["wardCode"]:
            ward_kind = clean(r["wardType"]).lower()
            _put(
                units,
                _unit(r["wardCode"], r["ward"], r["wardShort"], "commune", dist, OLD, ward_kind),
            )
            old_unit_by_path[path] = r["wardCode"]
            coords[(OLD, r["wardCode"])] = (r["wardLat"], r["wardLon"])
        else:  # island district without communes (Côn Đảo, Bạch Long Vĩ, ...)
            old_unit_by_path[path] = dist

    for r in src.db.execute("SELECT * FROM admin_units"):
        prov = r["provinceCode"]
        _put(units, _unit(prov, r["province"], r["provinceShort"], "province", None, NEW))
        new_province_by_key[r["provinceKey"]] = prov
        ward_kind = clean(r["wardType"]).lower()
        _put(
            units, _unit(r["wardCode"], r["ward"], r["wardShort"], "commune", prov, NEW, ward_kind)
        )
        if (r["provinceKey"], r["wardKey"]) in new_ward_by_key:
            raise ValueError(f"duplicate new ward key {r['provinceKey']} {r['wardKey']}")
        new_ward_by_key[(r["provinceKey"], r["wardKey"])] = r["wardCode"]
        coords[(NEW, r["wardCode"])] = (r["wardLat"], r["wardLon"])

    successions: list[dict[str, Any]] = []
    for new_key, old_keys in src.converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            successions.append(
                {
                    "from": old_province_by_key[old_key],
                    "to": new_province_by_key[new_key],
                    "level": "province",
                    "note": WHOLE,
                }
            )

    def level_of(code: str) -> str:
        return units[(OLD, code)]["level"]  # "commune", or "district" for island districts

    for prov_key, wards in src.converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_paths in wards.items():
            to = new_ward_by_key[(prov_key, ward_key)]
            for old_path in old_paths:
                frm = old_unit_by_path[old_path]
                successions.append({"from": frm, "to": to, "level": level_of(frm), "note": WHOLE})
    for prov_key, olds in src.converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_path, parts in olds.items():
            frm = old_unit_by_path[old_path]
            for part in parts:
                successions.append(
                    {
                        "from": frm,
                        "to": new_ward_by_key[(prov_key, part["newWardKey"])],
                        "level": level_of(frm),
                        "note": PART,
                        "default": bool(part["isDefaultNewWard"]),
                    }
                )

    successions = repair_homonym_parts(successions, units, coords)

    seen: set[tuple[str, str, str]] = set()
    for s in successions:
        key = (s["level"], s["from"], s["to"])
        if key in seen:
            raise ValueError(f"duplicate succession {key}")
        seen.add(key)
    successions.sort(key=lambda s: (LEVEL_ORDER[s["level"]], s["from"], s["to"]))
    ordered = sorted(
        units.values(),
        key=lambda u: (u["structure"] != OLD, LEVEL_ORDER[u["level"]], u["code"]),
    )
    return {
        "source": {
            "package": f"{PACKAGE}=={src.version}",
            "licence": src.licence,
            "url": HOMEPAGE,
            "built": built,
        },
        "structures": STRUCTURES,
        "units": ordered,
        "successions": successions,
    }


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    return 6371 * math.hypot((lon2 - lon1) * math.cos((lat1 + lat2) / 2), lat2 - lat1)


def repair_homonym_parts(
    successions: list[dict[str, Any]],
    units: dict[tuple[str, str], Unit],
    coords: dict[tuple[str, str], tuple[float, float]],
) -> list[dict[str, Any]]:
    """Drop the "part" rows that the source got from confusing same-named old communes.

    The source's list of old communes split between several new ones
    (``DICT_PROVINCE_WARD_DIVIDED``) gives two old communes with the same name in one new
    province (e.g. "Phường 4" of Mỹ Tho, of Cai Lậy, of Sa Đéc and of Cao Lãnh) the union of
    their successors, so "Phường 4, Mỹ Tho" is said to be partly in "Phường Cao Lãnh" 80 km
    away. For each new commune, among its predecessors of one name from different old
    districts, the rightful one is the one with the most other predecessors from its own old
    district (then the nearest); the others' "part" rows into it are dropped ("merged whole"
    rows, keyed by the full old path in the source, are never dropped). An old commune left
    with a single successor becomes "merged whole".
    """
    communes = [s for s in successions if s["level"] == "commune"]
    preds: dict[str, list[dict[str, Any]]] = {}
    for s in communes:
        preds.setdefault(s["to"], []).append(s)

    def district(s: dict[str, Any]) -> str:
        return units[(OLD, s["from"])]["parent"]

    dropped: list[dict[str, Any]] = []
    for to, rows in preds.items():
        by_name: dict[str, list[dict[str, Any]]] = {}
        for s in rows:
            by_name.setdefault(units[(OLD, s["from"])]["name"], []).append(s)
        for group in by_name.values():
            if len({district(s) for s in group}) < 2:
                continue
            homonyms = {s["from"] for s in group}
            others = [district(x) for x in rows if x["from"] not in homonyms]
            ranks = [
                (others.count(district(s)), -_km(coords[(OLD, s["from"])], coords[(NEW, to)]), i)
                for i, s in enumerate(group)
            ]
            rightful = group[max(ranks)[2]]
            dropped += [s for s in group if s is not rightful and s["note"] == PART]

    gone = {id(s) for s in dropped}
    kept = [s for s in successions if id(s) not in gone]
    by_old: dict[str, list[dict[str, Any]]] = {}
    for s in kept:
        if s["level"] == "commune":
            by_old.setdefault(s["from"], []).append(s)
    for s in sorted(dropped, key=lambda s: (s["from"], s["to"])):
        print(f"  repaired: dropped {units[(OLD, s['from'])]['name']} {s['from']} -> {s['to']}")
    for old in {s["from"] for s in dropped}:
        rest = by_old.get(old, [])
        if len(rest) == 1:
            rest[0]["note"] = WHOLE
            del rest[0]["default"]
        elif sum(s["default"] for s in rest) != 1:
            raise ValueError(f"{old}: no single default successor left after repair: {rest}")
    return kept


def _unit(
    code: str,
    name: str,
    short_name: str,
    level: str,
    parent: str | None,
    structure: str,
    kind: str | None = None,
) -> Unit:
    name = clean(name)
    if level == "province":
        kind = _province_kind(name)
    elif kind not in (DISTRICT_KINDS if level == "district" else COMMUNE_KINDS):
        raise ValueError(f"unexpected kind {kind!r} for {level} {code} {name}")
    short_name = KIND_SUFFIX.sub("", clean(short_name))
    if not name.endswith(short_name):
        raise ValueError(f"short name {short_name!r} is not a tail of {name!r}")
    return {
        "code": code,
        "name": name,
        "short_name": short_name,
        "level": level,
        "kind": kind,
        "parent": parent,
        "structure": structure,
    }


def write(payload: dict[str, Any], out: Path) -> None:
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    buf = io.BytesIO()
    # mtime=0 and no file name: the same input gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    out.write_bytes(buf.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="wheel or unpacked package directory")
    parser.add_argument("--built", help="build date YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    built = args.built or dt.datetime.now(dt.UTC).date().isoformat()
    payload = build(load_source(args.source), built)
    write(payload, args.out)
    counts: dict[tuple[str, str], int] = {}
    for u in payload["units"]:
        counts[(u["structure"], u["level"])] = counts.get((u["structure"], u["level"]), 0) + 1
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) from {payload['source']['package']}")
    for (structure, level), n in sorted(counts.items()):
        print(f"  {structure:10} {level:9} {n}")
    print(f"  successions {len(payload['successions'])}")


if __name__ == "__main__":
    main()
