"""Results (``ket_qua_xu_ly``): "{name}Mã: {code}{name}Mã: {code}Từ khóa…Mô tả…".

Rules:

* The portal's result codes end in a digit (KQ.G01.00262, 000.00.00.G04-KQ3337), so a code
  runs to its last digit and the next result's name starts right after it.
* The "Từ khóa…Mô tả…" trailer and the page's UI text ("Chọn cơ quan thực hiện…Nộp hồ sơ")
  are dropped.
* A code the portal never filled in ("Chưa xác định") is read as empty; placeholder codes
  typed by agencies ("adjfsbj") are kept as written; anything else is reported.
"""

from __future__ import annotations

import re

from .parsed import ParsedResult, ParseProblem
from .textutil import clean, excerpt

_CODE_MARK = "Mã:"
_TRAILER = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")
_CODE = re.compile(r"\s?(?P<code>[A-Za-z0-9][A-Za-z0-9._\-]*[0-9])")
_UNSET = re.compile(r"\s?Chưa xác định(?: rõ)?", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\s?(?P<code>[A-Za-z0-9_.\-]{1,20})$")

MSG_NO_CODE = "không thấy mã kết quả"
MSG_BAD_CODE = "không đọc được mã kết quả"


def parse_results(text: str) -> tuple[list[ParsedResult], list[ParseProblem]]:
    """Results from the normalised ``ket_qua_xu_ly``."""
    problems: list[ParseProblem] = []
    trailer = _TRAILER.search(text)
    body = text[: trailer.start()] if trailer else text
    if not clean(body):
        return [], problems
    pieces = body.split(_CODE_MARK)
    if len(pieces) == 1:
        problems.append(ParseProblem("results", MSG_NO_CODE, excerpt(clean(body))))
        return [], problems
    results: list[ParsedResult] = []
    name = pieces[0]
    for index, piece in enumerate(pieces[1:], start=1):
        last = index == len(pieces) - 1
        code = ""
        rest = ""
        if unset := _UNSET.match(piece):
            rest = piece[unset.end() :]
        elif (placeholder := _PLACEHOLDER.match(piece)) and last:
            code = placeholder.group("code")
        elif match := _CODE.match(piece):
            code, rest = match.group("code"), piece[match.end() :]
        else:
            problems.append(ParseProblem("results", MSG_BAD_CODE, excerpt(piece)))
            rest = piece
        if clean(name):
            results.append(ParsedResult(name=clean(name), code=code))
        name = rest
    if clean(name):
        problems.append(ParseProblem("results", MSG_NO_CODE, excerpt(clean(name))))
    return results, problems
