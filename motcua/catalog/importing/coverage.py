"""How much of an export the parsers read.

``python -m motcua.catalog.importing.coverage FILE [--assume-unit working_day]``

Per field, a record "states" the field when the source has content for it (for fees: an
amount with a currency anywhere in a fee cell), and is "parsed" when structured values came
out and no problem was reported for that field. Processing time is counted per record as the
import command does: a record states a time when one of its methods has a time cell other
than empty/"Không có thông tin", and is parsed when every such method got a value and a unit.
The stricter ``time_*_strict`` figures leave out cells saying there is no deadline ("Không
quy định"), which ``ParsedMethod.time_stated`` marks.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .documents import HEADER as DOCUMENTS_HEADER
from .fees import AMOUNT
from .methods import ASSUMED_PREFIX
from .parse import ParsedProcedure, RecordError, TimeUnit, parse_record
from .readers import read_records
from .textutil import clean

_NOT_STATED = {"", "không có thông tin"}
_SOURCES = {
    "documents": "thanh_phan_ho_so",
    "legal_basis": "can_cu_phap_ly",
    "results": "ket_qua_xu_ly",
}


@dataclass
class Coverage:
    records: int = 0
    record_errors: int = 0
    seconds: float = 0.0
    time_stated: int = 0
    time_parsed: int = 0
    time_stated_strict: int = 0
    time_parsed_strict: int = 0
    time_from_evidence: int = 0
    time_assumed: int = 0
    stated: Counter[str] = field(default_factory=Counter)
    parsed: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)

    def add(self, raw: Mapping[str, Any], parsed: ParsedProcedure) -> None:
        problem_fields = {p.field for p in parsed.problems}
        self.problems.update(problem_fields)
        stated = [m for m in parsed.methods if m.time_text.strip().lower() not in _NOT_STATED]
        if stated:
            self.time_stated += 1
            self.time_parsed += all(m.time_value is not None and m.time_unit for m in stated)
        strict = [m for m in parsed.methods if m.time_stated]
        if strict:
            self.time_stated_strict += 1
            self.time_parsed_strict += all(m.time_value is not None for m in strict)
        units_from = [m.time_unit_evidence for m in parsed.methods if m.time_unit_evidence]
        self.time_assumed += any(e.startswith(ASSUMED_PREFIX) for e in units_from)
        self.time_from_evidence += any(not e.startswith(ASSUMED_PREFIX) for e in units_from)
        values = {
            "documents": parsed.documents,
            "legal_basis": parsed.legal_basis,
            "results": parsed.results,
        }
        for name, key in _SOURCES.items():
            text = clean(raw.get(key)).replace(DOCUMENTS_HEADER, "").strip(" -")
            if text:
                self.stated[name] += 1
                self.parsed[name] += bool(values[name]) and name not in problem_fields
        if any(AMOUNT.search(m.fee_text) for m in parsed.methods):
            self.stated["fees"] += 1
            self.parsed["fees"] += any(m.fees for m in parsed.methods) and (
                "fees" not in problem_fields
            )

    def lines(self) -> list[str]:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"

        out = [
            f"records read: {self.records}, not importable: {self.record_errors}, "
            f"parsed in {self.seconds:.2f} s",
            f"processing time: {share(self.time_parsed, self.time_stated)} records; "
            f"without 'no deadline' cells: "
            f"{share(self.time_parsed_strict, self.time_stated_strict)}; "
            f"unit taken from the record's text in {self.time_from_evidence} records, "
            f"assumed in {self.time_assumed}",
        ]
        for name in ("documents", "fees", "legal_basis", "results"):
            out.append(f"{name}: {share(self.parsed[name], self.stated[name])} records")
        out.append(
            "records with problems: " + ", ".join(f"{k} {v}" for k, v in self.problems.items())
        )
        return out


def measure(
    raws: Iterable[Mapping[str, Any]], bare_number_unit: TimeUnit | None = None
) -> Coverage:
    coverage = Coverage()
    started = time.perf_counter()
    for raw in raws:
        coverage.records += 1
        try:
            coverage.add(raw, parse_record(raw, bare_number_unit=bare_number_unit))
        except RecordError:
            coverage.record_errors += 1
    coverage.seconds = time.perf_counter() - started
    return coverage


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua.catalog.importing.coverage")
    parser.add_argument("file", type=Path)
    parser.add_argument("--assume-unit", choices=["working_day", "day", "hour"], default=None)
    args = parser.parse_args(argv)
    for line in measure(read_records(args.file), args.assume_unit).lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
