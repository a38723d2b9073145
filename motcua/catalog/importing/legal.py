"""Legal basis (``can_cu_phap_ly``): "Tên văn bản pháp lýMã văn bản{title}{number}{title}…".

Rules:

* A document number is "N/YYYY/SUFFIX" or "N/SUFFIX" (68/2013/TT-BCA, 02/2011/QH13,
  595/QĐ-BHXH, 191/2005/TTLT/BQP-BLĐTBXH-BTC); only QH-style suffixes end in two digits.
  The crawler glued the next title to the number, so the upper-case run is cut after a
  known issuer code ("NĐ-CPLUẬT …" → NĐ-CP, "TT-BCAThông tư" → TT-BCA); lower-case text
  after a number is the next title ("TT-BTCsửa đổi …").
* The number cell ends a row when it is glued to what follows (the next title or the end);
  a number followed by a space, a comma or another number ("Luật 08/2017/QH1408/2017/QH14")
  is part of the title.
* When a title ends with a year glued to the number ("Luật Khiếu nại năm 201102/2011/QH13")
  the four-digit year goes back to the title; "Luật số"/"Số" glued before the number is the
  number cell's label and is dropped.
* A row without a title keeps the number alone; text after the last number is reported.
"""

from __future__ import annotations

import re

from motcua.core.text import fold

from .parsed import ParsedLegalBasis, ParseProblem
from .textutil import LOWER, NOT_STATED, UPPER, clean, excerpt

HEADER = "Tên văn bản pháp lýMã văn bản"
_PART = rf"(?:TTg|{UPPER}+)"  # "QĐ-TTg" (Thủ tướng) is the one suffix with a small letter
_SUFFIX = rf"{_PART}(?:(?:[-_/]| - |- |-\s?){_PART})*"
_NUMBER = re.compile(
    rf"(?:(?<![\d/])|(?<=QH\d\d)|(?<=\d/\d{{4}}))(?P<n>\d{{1,8}}(?:\.\d{{1,3}})?)"
    rf"(?:(?P<year>/\d{{4}})?/(?P<suffix>{_SUFFIX}(?<=QH)\d{{2}}|{_SUFFIX})"
    # A number cell without its suffix, glued to the next title: "…Chính phủ167/2025".
    rf"|(?P<bare_year>/\d{{4}})(?=$|{UPPER}{LOWER}))"
)
_LABEL = re.compile(r"(?<=\S)(?:Luật số|Luật|Số|số) ?$")
_YEAR_PREFIX = re.compile(r"(?:19|20)\d{2}")

# Issuer codes that end a document number (the part after the last "-" in "NĐ-CP", "TT-BTC").
# The crawler glued the next title to the number, so "…/NĐ-CPLUẬT …" and "…/NĐ-CPThực hiện…"
# must be cut after a known code; an unknown code is kept whole.
_ISSUERS = frozenset(
    {"CP", "QH", "TTg", "BTC", "BTP", "BCA", "BNNMT", "NHNN", "BGTVT", "BXD", "BNNPTNT"}
    | {"UBTVQH", "BTNMT", "BLĐTBXH", "BKHĐT", "UBND", "HĐND", "BYT", "BVHTTDL", "BKHCN"}
    | {"VPCP", "BNV", "BQP", "BCT", "VKSNDTC", "TANDTC", "BNG", "CTN", "HĐTP", "BTTTT"}
    | {"BGDĐT", "UBTƯMTTQVN", "KTNN", "BHXH", "NĐ"}
)
# First words of titles, for a number whose issuer code is not in the list above.
_TITLE_WORDS = frozenset(
    {"luat", "nghi", "thong", "quyet", "quy", "sua", "ve", "huong", "ban", "bo", "phap"}
    | {"chi", "cong", "van", "dieu", "hien", "lenh"}
)
_WORD = re.compile(r"\w+")

MSG_NO_NUMBER = "văn bản không có số hiệu"


def _number_end(text: str, match: re.Match[str]) -> int:
    """Where the number really ends (see ``_ISSUERS``); in "TT-BTCsửa" and "TT-BCAngày"
    the lower-case text is the next title and nothing is cut."""
    end = match.end()
    suffix = match.group("suffix")
    if not suffix or suffix[-1].isdigit():
        return end
    last = re.split(r"[-_/ ]", suffix)[-1]
    if last in _ISSUERS:
        return end
    known = [code for code in _ISSUERS if last.startswith(code)]
    if known:
        return end - len(last) + len(max(known, key=len))
    if end < len(text) and text[end].islower():
        word = _WORD.match(text, end - 1)
        if word and fold(word.group(0)) in _TITLE_WORDS:
            return end - 1
    return end


def _ends_row(text: str, end: int) -> bool:
    if end == len(text):
        return True
    follower = text[end]
    return not (follower.isspace() or follower.isdigit() or follower in ",;")


def parse_legal_basis(text: str) -> tuple[list[ParsedLegalBasis], list[ParseProblem]]:
    """Legal documents from the normalised ``can_cu_phap_ly``."""
    problems: list[ParseProblem] = []
    body = text[len(HEADER) :] if text.startswith(HEADER) else text
    if not clean(body):
        return [], problems
    if body.startswith(NOT_STATED):  # a shifted crawl: "Không có thông tinCơ quan thực hiện…"
        problems.append(ParseProblem("legal_basis", MSG_NO_NUMBER, excerpt(body)))
        return [], problems
    items: list[ParsedLegalBasis] = []
    title_start = 0
    for match in _NUMBER.finditer(body):
        number_end = _number_end(body, match)
        if not _ends_row(body, number_end):
            continue
        number_start = match.start()
        number = body[number_start:number_end].rstrip("-_/ ").replace(" ", "")
        digits = match.group("n")
        has_year = match.group("year") or match.group("bare_year")
        if has_year and len(digits) > 4 and _YEAR_PREFIX.match(digits):
            # "năm 2011" + "02/2011/QH13", "năm 2025." + "22/2025/TT-BXD"
            number_start += 4
            number = number[4:].lstrip(".")
        title = clean(_LABEL.sub("", body[title_start:number_start])).strip(" -.;:")
        title_start = number_end
        if not title and any(item.number == number for item in items):
            continue  # "73/2025/TT-NHNNSố 73/2025/TT-NHNN": the same cell twice
        items.append(ParsedLegalBasis(title=title, number=number))
    trailing = clean(body[title_start:]).strip(" -.;:")
    if trailing:
        problems.append(ParseProblem("legal_basis", MSG_NO_NUMBER, excerpt(trailing)))
    return items, problems
