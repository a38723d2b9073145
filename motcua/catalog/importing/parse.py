"""Parse one national catalogue record (DVCQG field names) into a ``ParsedProcedure``.

Pure functions, no Django: the importer maps the result onto models. All text goes through
``motcua.core.text.normalize`` (or ``normalize_block`` for multi-line prose) first, since the
export mixes NFC and NFD diacritics and irregular spaces. The field parsers live in
``methods``, ``fees``, ``documents``, ``legal`` and ``results``; each module states its rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from motcua.core.text import normalize, normalize_block

from .documents import parse_documents
from .legal import parse_legal_basis
from .methods import parse_methods
from .parsed import (
    Channel,
    Level,
    ParsedDocument,
    ParsedFee,
    ParsedLegalBasis,
    ParsedMethod,
    ParsedProcedure,
    ParsedResult,
    ParseProblem,
    RecordError,
    TimeUnit,
)
from .results import parse_results
from .textutil import NOT_STATED, clean, excerpt

__all__ = [
    "Channel",
    "Level",
    "ParseProblem",
    "ParsedDocument",
    "ParsedFee",
    "ParsedLegalBasis",
    "ParsedMethod",
    "ParsedProcedure",
    "ParsedResult",
    "RecordError",
    "TimeUnit",
    "parse_record",
]

# National procedure codes: a one-digit prefix, a dot, six digits ("1.000178", "2.000986").
CODE = re.compile(r"\d\.\d{6}")
LEVELS: dict[str, Level] = {
    "cấp bộ": "ministry",
    "cấp tỉnh": "province",
    "cấp huyện": "district",
    "cấp xã": "commune",
    "cơ quan khác": "other",
}


def _text(raw: Mapping[str, Any], key: str) -> str:
    return clean(raw.get(key))


def _block(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    text = normalize_block(value if isinstance(value, str) else "" if value is None else str(value))
    return "" if normalize(text).casefold() == NOT_STATED.casefold() else text


def parse_levels(text: str) -> tuple[list[Level], list[ParseProblem]]:
    """Levels from "Cấp bộ, Cấp tỉnh, Cấp xã"; an unknown level is reported, not guessed."""
    levels: list[Level] = []
    problems: list[ParseProblem] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        level = LEVELS.get(part.casefold())
        if level is None:
            problems.append(ParseProblem("levels", "cấp thực hiện không xác định", part))
        elif level not in levels:
            levels.append(level)
    return levels, problems


def split_subjects(text: str) -> list[str]:
    """Subjects split on top-level commas; a piece in lower case continues the previous one,
    so "Cán bộ, công chức, viên chức" stays one subject."""
    pieces: list[str] = []
    depth = 0
    current = ""
    for char in text + ",":
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            piece = current.strip()
            if piece and pieces and piece[0].islower():
                pieces[-1] = f"{pieces[-1]}, {piece}"
            elif piece:
                pieces.append(piece)
            current, depth = "", 0
        else:
            current += char
    return pieces


def parse_record(
    raw: Mapping[str, Any], *, bare_number_unit: TimeUnit | None = None
) -> ParsedProcedure:
    """One export record → ``ParsedProcedure``; raises ``RecordError`` when it has no usable
    code or name. Problems in single fields are collected in ``problems`` instead.

    ``bare_number_unit``: the unit to assume for a processing time given as a bare number
    when the record's own text does not state it (see ``methods``); by default none is
    assumed and the time is left empty and reported."""
    code = _text(raw, "ma_thu_tuc")
    name = _text(raw, "ten_thu_tuc")
    if not code:
        raise RecordError("thiếu mã thủ tục (ma_thu_tuc)")
    if not CODE.fullmatch(code):
        raise RecordError(f"mã thủ tục không hợp lệ: «{excerpt(code, 40)}» (dạng 1.000178)")
    if not name:
        raise RecordError(f"{code}: thiếu tên thủ tục (ten_thu_tuc)")

    steps = _block(raw, "trinh_tu_thuc_hien")
    conditions = _block(raw, "yeu_cau_dieu_kien")
    levels, problems = parse_levels(_text(raw, "cap_thuc_hien"))
    methods, method_problems = parse_methods(
        _text(raw, "cach_thuc_thuc_hien"),
        (normalize(steps), normalize(conditions)),
        bare_number_unit,
    )
    documents, document_problems = parse_documents(_text(raw, "thanh_phan_ho_so"))
    legal_basis, legal_problems = parse_legal_basis(_text(raw, "can_cu_phap_ly"))
    results, result_problems = parse_results(_text(raw, "ket_qua_xu_ly"))
    return ParsedProcedure(
        code=code,
        name=name,
        decision_number=_text(raw, "so_quyet_dinh"),
        procedure_type=_text(raw, "loai_thu_tuc"),
        levels=levels,
        sector=_text(raw, "linh_vuc"),
        subjects=split_subjects(_text(raw, "doi_tuong_thuc_hien")),
        competent_agency=_text(raw, "co_quan_co_tham_quyen"),
        implementing_agency=_text(raw, "co_quan_thuc_hien"),
        coordinating_agency=_text(raw, "co_quan_phoi_hop"),
        reception_address=_block(raw, "dia_chi_tiep_nhan"),
        steps_text=steps,
        conditions_text=conditions,
        source_url=_text(raw, "detail_url"),
        methods=methods,
        documents=documents,
        results=results,
        legal_basis=legal_basis,
        problems=problems + method_problems + document_problems + legal_problems + result_problems,
    )
