"""What the fake national portal holds: the dossiers, their history and steps, the rating rows,
the catalogue it shares, and the services that read and change them (each returns its
``result`` and the lines it has to tell). A mixin of ``FakeNationalPortal``, whose lock it
shares: every read and change of the holdings happens under it."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from motcua.devtools.fakes.national_portal.checks import (
    Refused,
    check_dossier,
    check_rating,
    check_step,
    only_key,
    positive_int,
    sector_code,
)
from motcua.integrations.national_portal.client import PORTAL_ZONE, portal_time

# The portal's catalogue export shipped with motcua (motcua/catalog/data/README.md).
CATALOGUE_EXPORT = (
    Path(__file__).resolve().parents[3]
    / "catalog"
    / "data"
    / "dvcqg-2026-07-province-commune.jsonl.gz"
)


@dataclass(frozen=True)
class Arrival:
    """One accepted DongBoHoSoMC record, as sent."""

    record: dict[str, Any]
    updating: bool
    received_at: dt.datetime


@dataclass(frozen=True)
class Rating:
    """The latest DongBoDanhGia row of a (month, procedure), and how many times one came."""

    row: dict[str, Any]
    receipts: int


@dataclass(frozen=True)
class _Rejection:
    field: str
    message: str
    predicate: Callable[[Any], bool]


Answer = tuple[Any, list[str]]  # a service's result and the lines it has to tell


class PortalHoldings:
    _lock: threading.RLock
    injected: Counter[str]

    def __init__(self) -> None:
        self._dossiers: dict[str, dict[str, Any]] = {}
        self._history: dict[str, list[Arrival]] = {}
        self._progress: dict[str, list[dict[str, Any]]] = {}
        self._ratings: dict[tuple[str, str], Rating] = {}
        self._procedures: dict[str, tuple[dict[str, Any], str]] = {}
        self._agencies: list[dict[str, Any]] = []
        self._sectors: list[dict[str, Any]] = []
        self._rejections: list[_Rejection] = []

    # ---- what it holds -----------------------------------------------------------------------

    def dossier(self, code: str) -> dict[str, Any] | None:
        """The dossier's current record, or None if the portal holds none of that code."""
        with self._lock:
            return copy.deepcopy(self._dossiers.get(code))

    def history(self, code: str) -> list[Arrival]:
        """Every accepted record of the dossier, in arrival order."""
        with self._lock:
            return copy.deepcopy(self._history.get(code, []))

    def progress(self, code: str) -> list[dict[str, Any]]:
        """The dossier's steps, in arrival order, repeats included."""
        with self._lock:
            return copy.deepcopy(self._progress.get(code, []))

    def codes(self) -> list[str]:
        """The dossiers held, in the order they were first inserted."""
        with self._lock:
            return list(self._dossiers)

    def duplicate_steps(self) -> list[tuple[dict[str, Any], int]]:
        """Steps received more than once, identical in every field, with how many times, in
        the order first received."""
        with self._lock:
            steps = [step for held in self._progress.values() for step in held]
        times = Counter(_identity(step) for step in steps)
        first = {_identity(step): step for step in reversed(steps)}
        return [(copy.deepcopy(first[key]), n) for key, n in times.items() if n > 1]

    def ratings(self) -> dict[tuple[str, str], Rating]:
        """The rating rows held, by (NgayTongHop, MaTTHC)."""
        with self._lock:
            return copy.deepcopy(self._ratings)

    # ---- its catalogue -----------------------------------------------------------------------

    def add_procedure(
        self, record: Mapping[str, Any], *, updated_at: dt.datetime | None = None
    ) -> None:
        """A procedure in the portal's export field names (``ma_thu_tuc``, ``ten_thu_tuc``,
        ``linh_vuc`` …); ``updated_at`` is its NgayCapNhat (by default, now)."""
        code = record.get("ma_thu_tuc")
        if not isinstance(code, str) or not code:
            raise ValueError("a procedure needs its ma_thu_tuc")
        moment = updated_at or dt.datetime.now(tz=PORTAL_ZONE)
        with self._lock:
            self._procedures[code] = (copy.deepcopy(dict(record)), portal_time(moment))

    def set_agencies(self, agencies: Iterable[Mapping[str, Any]]) -> None:
        """The agency list: ``{"MaCoQuan", "TenCoQuan", "MaCoQuanCha"}`` (the last may be
        left out for a top agency)."""
        rows = [
            {
                "MaCoQuan": agency["MaCoQuan"],
                "TenCoQuan": agency["TenCoQuan"],
                "MaCoQuanCha": agency.get("MaCoQuanCha", ""),
            }
            for agency in agencies
        ]
        with self._lock:
            self._agencies = rows

    def set_sectors(self, sectors: Iterable[Mapping[str, Any]]) -> None:
        """The sector list: ``{"MaLinhVuc", "TenLinhVuc"}``."""
        rows = [
            {"MaLinhVuc": sector["MaLinhVuc"], "TenLinhVuc": sector["TenLinhVuc"]}
            for sector in sectors
        ]
        with self._lock:
            self._sectors = rows

    def procedure_codes(self) -> list[str]:
        """The procedures it shares, in the order added."""
        with self._lock:
            return list(self._procedures)

    def agencies(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._agencies)

    def sectors(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._sectors)

    def load_catalogue(self, path: str | os.PathLike[str], *, limit: int | None = None) -> int:
        """Add the procedures of a catalogue export (JSON lines, gzipped if the name ends in
        ``.gz``), the first ``limit`` of them if given, and set the sector list to their
        ``linh_vuc`` values (the export has no sector codes: ``sector_code`` makes stable
        ones). How many procedures were added."""
        names: set[str] = set()
        added = 0
        with _lines(Path(path)) as lines:
            for line in lines:
                if limit is not None and added >= limit:
                    break
                if not line.strip():
                    continue
                record = json.loads(line)
                self.add_procedure(record)
                added += 1
                if isinstance(name := record.get("linh_vuc"), str) and name.strip():
                    names.add(name.strip())
        self.set_sectors(
            {"MaLinhVuc": sector_code(name), "TenLinhVuc": name} for name in sorted(names)
        )
        return added

    # ---- a permanent rejection ---------------------------------------------------------------

    def reject_field(
        self,
        field: str,
        message: str | None = None,
        predicate: Callable[[Any], bool] | None = None,
    ) -> None:
        """Refuse every DongBoHoSoMC record that has ``field`` (and whose value satisfies
        ``predicate``, if given), with ``message``."""
        rule = _Rejection(
            field,
            message or f"Trường {field} không hợp lệ theo quy định của Cổng DVC quốc gia",
            predicate or (lambda value: True),
        )
        with self._lock:
            self._rejections.append(rule)

    def clear_rejections(self) -> None:
        with self._lock:
            self._rejections.clear()

    # ---- the services ------------------------------------------------------------------------

    def _sync_dossiers(self, data: list[Any], updating: bool) -> Answer:
        records = [check_dossier(item) for item in data]
        if not records:
            raise Refused("Không có hồ sơ nào trong data")
        codes = [record["MaHoSo"] for record in records]
        if len(set(codes)) < len(codes):
            raise Refused("Một hồ sơ xuất hiện hai lần trong cùng một lần gửi")
        now = dt.datetime.now(tz=PORTAL_ZONE)
        with self._lock:
            for record in records:
                self.check_rejections(record)
                code = record["MaHoSo"]
                if not updating and code in self._dossiers:
                    raise Refused(f"Hồ sơ MaHoSo {code} đã tồn tại")
                if updating and code not in self._dossiers:
                    raise Refused(f"Hồ sơ MaHoSo {code} chưa tồn tại")
            for record in records:
                code = record["MaHoSo"]
                self._dossiers[code] = copy.deepcopy(record)
                self._history.setdefault(code, []).append(
                    Arrival(copy.deepcopy(record), updating, now)
                )
        verb = "cập nhật" if updating else "thêm"
        return None, [
            f"DongBoHoSoMC {verb} {r['MaHoSo']} (TTHC {r['MaTTHC']}, trạng thái "
            f"{r['TrangThaiHoSo']})"
            for r in records
        ]

    def check_rejections(self, record: dict[str, Any]) -> None:
        """Called under the lock."""
        for rule in self._rejections:
            if rule.field in record and rule.predicate(record[rule.field]):
                self.injected["reject_field"] += 1
                raise Refused(rule.message)

    def _sync_progress(self, data: list[Any], updating: bool) -> Answer:
        steps = [check_step(item) for item in data]
        if not steps:
            raise Refused("Không có bước xử lý nào trong data")
        with self._lock:
            for step in steps:
                if step["MaHoSo"] not in self._dossiers:
                    raise Refused(
                        f"Hồ sơ MaHoSo {step['MaHoSo']} chưa tồn tại, không cập nhật được tiến độ"
                    )
            for step in steps:
                self._progress.setdefault(step["MaHoSo"], []).append(copy.deepcopy(step))
        return None, [
            f"CapNhatTienDoHoSoMC {s['MaHoSo']} {s['ThoiDiemXuLy']}: "
            f"{s.get('NoiDungXuLy', '')} (trạng thái {s.get('TrangThai', '')})"
            for s in steps
        ]

    def _lookup_dossier(self, data: list[Any], updating: bool) -> Answer:
        code = only_key(data, "MaHoSo")
        with self._lock:
            record = self._dossiers.get(code)
            if record is None:
                return [], []
            found = {**record, "QuaTrinhXuLy": self._progress.get(code, [])}
            return [copy.deepcopy(found)], []

    def _sync_ratings(self, data: list[Any], updating: bool) -> Answer:
        rows = [check_rating(item) for item in data]
        if not rows:
            raise Refused("Không có dòng đánh giá nào trong data")
        with self._lock:
            for row in rows:
                key = (row["NgayTongHop"], row["MaTTHC"])
                before = self._ratings.get(key)
                self._ratings[key] = Rating(
                    copy.deepcopy(row), 1 + (before.receipts if before else 0)
                )
        return None, [
            f"DongBoDanhGia {r['NgayTongHop']} {r['MaTTHC']}: {r['TongSoNguoiDanhGia']} "
            f"người, rất hài lòng {r['PhanTramDanhGiaRatHaiLong']}, hài lòng "
            f"{r['PhanTramDanhGiaHaiLong']}, chưa hài lòng {r['PhanTramDanhGiaChuaHaiLong']}"
            for r in rows
        ]

    def _list_procedures(self, data: list[Any], updating: bool) -> Answer:
        if len(data) != 1 or not isinstance(data[0], dict):
            raise Refused('data phải là [{"TrangSo": số trang, "SoBanGhi": số bản ghi}]')
        page, size = positive_int(data[0].get("TrangSo")), positive_int(data[0].get("SoBanGhi"))
        if page is None or size is None:
            raise Refused("TrangSo và SoBanGhi phải là số nguyên dương")
        with self._lock:
            items = list(self._procedures.values())[(page - 1) * size : page * size]
        return [
            {
                "MaTTHC": record["ma_thu_tuc"],
                "TenTTHC": record.get("ten_thu_tuc", ""),
                "NgayCapNhat": updated,
            }
            for record, updated in items
        ], []

    def _get_procedure(self, data: list[Any], updating: bool) -> Answer:
        code = only_key(data, "MaTTHC")
        with self._lock:
            held = self._procedures.get(code)
            return ([copy.deepcopy(held[0])] if held else []), []


def _identity(step: dict[str, Any]) -> str:
    return json.dumps(step, sort_keys=True, ensure_ascii=False)


@contextmanager
def _lines(path: Path) -> Iterator[IO[str]]:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            yield lines
    else:
        with path.open(encoding="utf-8") as lines:
            yield lines
