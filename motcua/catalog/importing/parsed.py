"""What the catalogue importer's parsers produce: plain dataclasses, no Django.

Every structured value is either read from the source or left empty; when a field has content
that cannot be read, the parser leaves the value empty, keeps the raw text and adds a
``ParseProblem`` naming the field, so the import report can show it (never a silent guess).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Channel = Literal["direct", "online", "postal"]
TimeUnit = Literal["working_day", "day", "hour"]
Level = Literal["ministry", "province", "district", "commune", "other"]


class RecordError(ValueError):
    """The record cannot be imported at all (no code, no name, malformed code).

    The caller reports it and skips the record; the rest of the file is still imported.
    """


@dataclass
class ParseProblem:
    """A field had content that could not be read; ``sample`` is a short excerpt of it."""

    field: str
    message: str
    sample: str


@dataclass
class ParsedFee:
    """One readable VND amount; ``name`` is a short label taken from the surrounding text."""

    name: str
    amount_vnd: int


@dataclass
class ParsedMethod:
    """One row of the submission-method table (channel, processing time, fees, description).

    ``time_text`` is the raw time cell ("60 Ngày làm việc", "1", "Theo quy định"); it is ""
    when the source says "Không có thông tin". ``time_stated`` is False when the cell is empty
    or says there is no deadline ("Không quy định", "Không"). When the cell is a bare number,
    the unit comes from the record's own text and ``time_unit_evidence`` quotes that text;
    it is "" when the unit was stated in the cell itself.
    """

    channel: Channel
    time_value: Decimal | None
    time_unit: TimeUnit | None
    time_text: str
    fee_text: str
    fees: list[ParsedFee]
    description: str
    time_stated: bool = False
    time_unit_evidence: str = ""
    free_of_charge: bool = False


@dataclass
class ParsedDocument:
    """A required document; ``group`` is the case heading ("Hồ sơ gia hạn") or ""."""

    group: str
    name: str
    originals: int
    copies: int
    templates: list[str]


@dataclass
class ParsedLegalBasis:
    title: str
    number: str


@dataclass
class ParsedResult:
    name: str
    code: str


@dataclass
class ParsedProcedure:
    code: str
    name: str
    decision_number: str
    procedure_type: str
    levels: list[Level]
    sector: str
    subjects: list[str]
    competent_agency: str
    implementing_agency: str
    coordinating_agency: str
    reception_address: str
    steps_text: str
    conditions_text: str
    source_url: str
    methods: list[ParsedMethod] = field(default_factory=list)
    documents: list[ParsedDocument] = field(default_factory=list)
    results: list[ParsedResult] = field(default_factory=list)
    legal_basis: list[ParsedLegalBasis] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
