"""Upsert the national catalogue export into the catalogue, by procedure code.

The whole file is imported in one transaction, and a file that turns out not to be what it
claims (bad JSON on line 900) rolls everything back. Changed records are written in batches
(``BATCH``): the batch's procedures, methods, fees, documents, results, legal basis and
templates each in one or two statements, so the import costs a few queries per hundred
records rather than tens per record. A batch that fails is written again one record at a time,
each in its own savepoint, so a record that cannot be imported is reported and skipped without
leaving half of it behind. A record whose source is unchanged since the last import is not
written at all, so a second run changes nothing. Fields the province owns (desks, agencies,
online mode once set, fast track, cut-off) are never overwritten.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.importing.methods import ASSUMED_PREFIX
from motcua.catalog.importing.parse import ParsedFee, ParsedProcedure, RecordError, parse_record
from motcua.catalog.models import (
    Channel,
    ExecutionMethod,
    Fee,
    LegalBasis,
    OnlineMode,
    Procedure,
    RequiredDocument,
    ResultDocument,
    Sector,
)
from motcua.catalog.workflow import ensure_default_templates
from motcua.core import reference

MAX_EXAMPLES = 3
MAX_SKIPPED_LINES = 20
EXAMPLE_CHARS = 200
# Records written together: large enough that the statements per record are few, small
# enough that a failing batch retried record by record costs little.
BATCH = 200
# The national portal leaves the unit out of some time cells ("1", "5"). Where a record's own
# text states the unit of that number, 97 % of such cells are working days (measured over the
# July 2026 export), so a bare number is read as working days, marked as assumed on the
# method and counted apart in the report for staff to review.
BARE_NUMBER_UNIT: Final = "working_day"


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    problems: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    time_stated: int = 0
    time_parsed: int = 0
    time_assumed: int = 0

    @property
    def time_parsed_share(self) -> float:
        return self.time_parsed / self.time_stated if self.time_stated else 1.0

    def note_problems(self, parsed: ParsedProcedure) -> None:
        for problem_field in sorted({p.field for p in parsed.problems}):
            self.problems[problem_field] += 1
        for problem in parsed.problems:
            examples = self.examples[problem.field]
            if len(examples) < MAX_EXAMPLES:
                examples.append(f"{parsed.code}: {problem.message} — «{problem.sample}»")

    def lines(self, seconds: float, *, warn: Callable[[str], str] = str) -> list[str]:
        """The report as ``import_procedures`` and the national pull print it; ``warn``
        styles the lines about skipped records (a command passes its WARNING style)."""
        lines = [
            _("Đã đọc %(read)s bản ghi trong %(seconds)s giây.")
            % {"read": self.read, "seconds": f"{seconds:.1f}"},
            _(
                "  Thêm mới: %(created)s  ·  Cập nhật: %(updated)s"
                "  ·  Không đổi: %(unchanged)s  ·  Bỏ qua: %(skipped)s"
            )
            % {
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "skipped": len(self.skipped),
            },
            _(
                "  Thời hạn giải quyết đọc được: %(parsed)s/%(stated)s bản ghi có công bố thời"
                " hạn (%(share)s); trong đó %(assumed)s bản ghi chỉ ghi số, được hiểu là ngày"
                " làm việc (cần rà soát)."
            )
            % {
                "parsed": self.time_parsed,
                "stated": self.time_stated,
                "share": f"{self.time_parsed_share:.1%}",
                "assumed": self.time_assumed,
            },
        ]
        for position, reason in self.skipped[:MAX_SKIPPED_LINES]:
            lines.append(
                warn(
                    _("  Bỏ qua bản ghi thứ %(position)s: %(reason)s")
                    % {"position": position, "reason": reason}
                )
            )
        if self.problems:
            lines.append(_("Trường không phân tích được (số bản ghi, ví dụ):"))
            for name, count in sorted(self.problems.items()):
                lines.append(f"  {name}: {count}")
                lines.extend(f"      {example[:EXAMPLE_CHARS]}" for example in self.examples[name])
        return lines

    def note_timing(self, parsed: ParsedProcedure) -> None:
        stated = [m for m in parsed.methods if m.time_stated]
        if stated:
            self.time_stated += 1
            if all(m.time_value is not None and m.time_unit for m in stated):
                self.time_parsed += 1
                if any(m.time_unit_evidence.startswith(ASSUMED_PREFIX) for m in stated):
                    self.time_assumed += 1


def record_digest(raw: Mapping[str, Any]) -> str:
    canonical = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _Sectors:
    """Sectors by name; the missing ones are created before a batch is written, each in its
    own savepoint, so a batch retried record by record never points at a rolled-back one."""

    def __init__(self) -> None:
        self._by_name = {s.name: s for s in Sector.objects.all()}
        self._refused: dict[str, Exception] = {}

    def prepare(self, names: Iterable[str]) -> None:
        for name in names:
            if name and name not in self._by_name and name not in self._refused:
                try:
                    with transaction.atomic():
                        self._by_name[name] = Sector.objects.get_or_create(name=name)[0]
                except Exception as exc:
                    self._refused[name] = exc

    def get(self, name: str) -> Sector | None:
        if not name:
            return None
        if name in self._refused:
            raise self._refused[name]
        return self._by_name[name]


@dataclass
class _Change:
    position: int
    parsed: ParsedProcedure
    digest: str


def import_records(
    records: Iterable[Mapping[str, Any]],
    *,
    on_record: Callable[[], object] | None = None,
) -> ImportReport:
    """Import every record; returns the report. Raises whatever the reader raises for a
    file that is not what it claims, after rolling back everything."""
    report = ImportReport()
    with transaction.atomic(), reference.batch():
        sectors = _Sectors()
        digests = dict(Procedure.objects.values_list("code", "source_digest"))
        batch: dict[str, _Change] = {}
        for position, raw in enumerate(records, start=1):
            report.read += 1
            if on_record:
                on_record()
            try:
                parsed = parse_record(raw, bare_number_unit=BARE_NUMBER_UNIT)
            except RecordError as exc:
                report.skipped.append((position, str(exc)))
                continue
            report.note_problems(parsed)
            report.note_timing(parsed)
            digest = record_digest(raw)
            # A code met twice in a file: the later record is compared with what the earlier
            # one wrote, so the batch holding the earlier one is written first.
            if parsed.code in batch or len(batch) >= BATCH:
                _write(list(batch.values()), sectors, digests, report)
                batch.clear()
            if digests.get(parsed.code) == digest:
                report.unchanged += 1
                continue
            batch[parsed.code] = _Change(position, parsed, digest)
        _write(list(batch.values()), sectors, digests, report)
        if report.created or report.updated:
            # Once for the whole file, not per saved row: the batches are bulk writes, which
            # no signal reports (core/reference.py).
            reference.touch()
    report.skipped.sort()
    return report


def _write(
    changes: list[_Change], sectors: _Sectors, digests: dict[str, str], report: ImportReport
) -> None:
    """Write one batch; if it fails, each record alone, so only the bad ones are skipped."""
    if not changes:
        return
    sectors.prepare(change.parsed.sector for change in changes)
    try:
        with transaction.atomic():
            written = _upsert(changes, sectors)
    except Exception:
        written = {}
        for change in changes:
            try:
                with transaction.atomic():
                    written |= _upsert([change], sectors)
            except Exception as exc:
                report.skipped.append((change.position, f"{change.parsed.code}: {exc}"))
    for change in changes:
        created = written.get(change.parsed.code)
        if created is None:
            continue
        digests[change.parsed.code] = change.digest
        if created:
            report.created += 1
        else:
            report.updated += 1


# What an import writes on a procedure it already has; the rest is the province's.
IMPORTED_FIELDS: Final = [
    "name",
    "decision_number",
    "procedure_type",
    "sector",
    "at_ministry",
    "at_province",
    "at_district",
    "at_commune",
    "at_other",
    "subjects",
    "competent_agency_text",
    "implementing_agency_text",
    "coordinating_agency_text",
    "reception_address",
    "steps_text",
    "conditions_text",
    "source_url",
    "source_digest",
    "imported_at",
    "search_text",
    "updated_at",
]


def _upsert(changes: list[_Change], sectors: _Sectors) -> dict[str, bool]:
    """Write the changes' procedures and replace their parts; code → whether created."""
    existing = Procedure.objects.in_bulk([c.parsed.code for c in changes], field_name="code")
    now = timezone.now()
    new: list[Procedure] = []
    old: list[Procedure] = []
    for change in changes:
        procedure = existing.get(change.parsed.code)
        if procedure is None:
            procedure = Procedure(code=change.parsed.code)
            # The export does not say whether an online service is full or partial; partial
            # is the safe reading (originals are checked at return) until the province says
            # full. After creation the online mode is the province's to set.
            offers_online = any(m.channel == Channel.ONLINE for m in change.parsed.methods)
            procedure.online_mode = OnlineMode.PARTIAL if offers_online else OnlineMode.NONE
            new.append(procedure)
        else:
            old.append(procedure)
        _fill(procedure, change, sectors, now)
    Procedure.objects.bulk_create(new)
    Procedure.objects.bulk_update(old, IMPORTED_FIELDS)
    if old:
        for part in (ExecutionMethod, RequiredDocument, ResultDocument, LegalBasis):
            part.objects.filter(procedure__in=old).delete()
    by_code = {procedure.code: procedure for procedure in (*new, *old)}
    parsed = {change.parsed.code: change.parsed for change in changes}
    methods = _write_methods(by_code, parsed)
    _write_parts(by_code, parsed)
    ensure_default_templates({by_code[code]: methods[code] for code in by_code})
    created = {procedure.code for procedure in new}
    return {code: code in created for code in by_code}


def _fill(procedure: Procedure, change: _Change, sectors: _Sectors, now: datetime) -> None:
    parsed = change.parsed
    procedure.name = parsed.name
    procedure.decision_number = parsed.decision_number[:255]
    procedure.procedure_type = parsed.procedure_type[:255]
    procedure.sector = sectors.get(parsed.sector)
    procedure.set_levels(list(parsed.levels))
    procedure.subjects = list(parsed.subjects)
    procedure.competent_agency_text = parsed.competent_agency
    procedure.implementing_agency_text = parsed.implementing_agency
    procedure.coordinating_agency_text = parsed.coordinating_agency
    procedure.reception_address = parsed.reception_address
    procedure.steps_text = parsed.steps_text
    procedure.conditions_text = parsed.conditions_text
    procedure.source_url = parsed.source_url[:500]
    procedure.source_digest = change.digest
    procedure.imported_at = now
    procedure.updated_at = now  # bulk writes skip save(), which would stamp it
    procedure.refresh_search_text()


def _write_methods(
    procedures: Mapping[str, Procedure], parsed: Mapping[str, ParsedProcedure]
) -> dict[str, list[ExecutionMethod]]:
    """The methods of each procedure (one per channel: the first row wins), and their fees."""
    methods: dict[str, list[ExecutionMethod]] = {code: [] for code in procedures}
    fees: list[tuple[ExecutionMethod, list[ParsedFee]]] = []
    for code, procedure in procedures.items():
        seen_channels: set[str] = set()
        for parsed_method in parsed[code].methods:
            if parsed_method.channel in seen_channels:
                continue
            seen_channels.add(parsed_method.channel)
            method = ExecutionMethod(
                procedure=procedure,
                channel=parsed_method.channel,
                time_value=parsed_method.time_value,
                time_unit=parsed_method.time_unit or "",
                time_text=parsed_method.time_text,
                time_unit_assumed=parsed_method.time_unit_evidence.startswith(ASSUMED_PREFIX),
                time_evidence=parsed_method.time_unit_evidence,
                fee_text=parsed_method.fee_text,
                description=parsed_method.description,
            )
            methods[code].append(method)
            fees.append((method, parsed_method.fees))
    ExecutionMethod.objects.bulk_create(m for found in methods.values() for m in found)
    Fee.objects.bulk_create(
        Fee(method=method, name=fee.name, amount_vnd=fee.amount_vnd)
        for method, parsed_fees in fees
        for fee in parsed_fees
    )
    return methods


def _write_parts(
    procedures: Mapping[str, Procedure], parsed: Mapping[str, ParsedProcedure]
) -> None:
    """Documents, results and legal basis, numbered in the order the export lists them."""
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            procedure=procedure,
            position=index,
            group=doc.group,
            name=doc.name,
            originals=doc.originals,
            copies=doc.copies,
            templates=list(doc.templates),
        )
        for code, procedure in procedures.items()
        for index, doc in enumerate(parsed[code].documents, start=1)
    )
    ResultDocument.objects.bulk_create(
        ResultDocument(procedure=procedure, position=index, name=r.name, code=r.code[:40])
        for code, procedure in procedures.items()
        for index, r in enumerate(parsed[code].results, start=1)
    )
    LegalBasis.objects.bulk_create(
        LegalBasis(procedure=procedure, position=index, title=b.title, number=b.number[:100])
        for code, procedure in procedures.items()
        for index, b in enumerate(parsed[code].legal_basis, start=1)
    )
