"""Upsert the national catalogue export into the catalogue, by procedure code.

The whole file is imported in one transaction with a savepoint per record: a record that
cannot be imported is reported and skipped without leaving half of it behind, and a file that
turns out not to be what it claims (bad JSON on line 900) rolls everything back. A record whose
source is unchanged since the last import is not written at all, so a second run changes
nothing. Fields the province owns (desks, agencies, online mode once set, fast track, cut-off)
are never overwritten.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from motcua.catalog.importing.methods import ASSUMED_PREFIX
from motcua.catalog.importing.parse import ParsedProcedure, RecordError, parse_record
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
from motcua.catalog.workflow import ensure_default_template
from motcua.core.reference import batch, touch

MAX_EXAMPLES = 3
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
    def __init__(self) -> None:
        self._by_name = {s.name: s for s in Sector.objects.all()}

    def get(self, name: str) -> Sector | None:
        if not name:
            return None
        sector = self._by_name.get(name)
        if sector is None:
            sector, _created = Sector.objects.get_or_create(name=name)
            self._by_name[name] = sector
        return sector


def import_records(
    records: Iterable[Mapping[str, Any]],
    *,
    on_record: Callable[[], object] | None = None,
) -> ImportReport:
    """Import every record; returns the report. Raises whatever the reader raises for a
    file that is not what it claims, after rolling back everything."""
    report = ImportReport()
    with transaction.atomic(), batch():
        sectors = _Sectors()
        digests = dict(Procedure.objects.values_list("code", "source_digest"))
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
            if digests.get(parsed.code) == digest:
                report.unchanged += 1
                continue
            try:
                with transaction.atomic():
                    created = _upsert(parsed, digest, sectors)
            except Exception as exc:
                report.skipped.append((position, f"{parsed.code}: {exc}"))
                continue
            digests[parsed.code] = digest
            if created:
                report.created += 1
            else:
                report.updated += 1
        if report.created or report.updated:
            # Once for the whole file, not per saved row; fees and steps are bulk-written,
            # which no signal reports anyway (core/reference.py).
            touch()
    return report


def _upsert(parsed: ParsedProcedure, digest: str, sectors: _Sectors) -> bool:
    procedure = Procedure.objects.filter(code=parsed.code).first()
    created = procedure is None
    if procedure is None:
        procedure = Procedure(code=parsed.code)
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
    procedure.source_digest = digest
    procedure.imported_at = timezone.now()
    if created:
        # The export does not say whether an online service is full or partial; partial is
        # the safe reading (originals are checked at return) until the province says full.
        # After creation the online mode is the province's to set.
        offers_online = any(m.channel == Channel.ONLINE for m in parsed.methods)
        procedure.online_mode = OnlineMode.PARTIAL if offers_online else OnlineMode.NONE
    procedure.save()

    if not created:
        procedure.methods.all().delete()
        procedure.documents.all().delete()
        procedure.results.all().delete()
        procedure.legal_basis.all().delete()
    seen_channels: set[str] = set()
    for parsed_method in parsed.methods:
        if parsed_method.channel in seen_channels:
            continue
        seen_channels.add(parsed_method.channel)
        method = ExecutionMethod.objects.create(
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
        Fee.objects.bulk_create(
            Fee(method=method, name=fee.name, amount_vnd=fee.amount_vnd)
            for fee in parsed_method.fees
        )
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
        for index, doc in enumerate(parsed.documents, start=1)
    )
    ResultDocument.objects.bulk_create(
        ResultDocument(procedure=procedure, position=index, name=r.name, code=r.code[:40])
        for index, r in enumerate(parsed.results, start=1)
    )
    LegalBasis.objects.bulk_create(
        LegalBasis(procedure=procedure, position=index, title=b.title, number=b.number[:100])
        for index, b in enumerate(parsed.legal_basis, start=1)
    )
    ensure_default_template(procedure)
    return created
