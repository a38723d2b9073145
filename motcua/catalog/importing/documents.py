"""Required documents (``thanh_phan_ho_so``).

The flattened field is one or more tables, each preceded by its case heading ("--" when
there is none): "{heading}Tên giấy tờMẫu đơn, tờ khaiSố lượng{rows}{heading}Tên giấy tờ…".
A row is the document name, its template file names and the quantity, all glued:
"Đơn đề nghị … NĐ-CP.Mẫu số 01.docx1 bản chính", "Giấy chứng nhận …0 bản chính,5 bản sao".

Rules:

* The quantity cell ("N bản chính", "N bản chính,M bản sao", "M bản sao") ends a row; the
  same words inside a name are followed by a space or punctuation ("nộp 02 bản chính tờ khai"),
  the real cell is glued to the next row, a heading or the end of the text.
* Template names end in a document extension; a name and its first template are split where
  the crawler glued them: after ".;:)" with no space, at a lower-to-upper case change, or
  before "Mau" in "NĐ-CPMau01.docx". A glue point followed by "Mẫu"/"Phụ lục"/… is preferred,
  else the earliest one in the 120 characters before the extension. When there is no glue
  point the row keeps the whole text as its name and the failure is reported.
* A row with no original, no copy and a name ending in ":" ("Giấy tờ phải xuất trình:") is
  a sub-heading: it joins the table's heading as the group of the rows after it.
* Text after the last quantity of the last table is reported, not turned into a document.
"""

from __future__ import annotations

import re
from itertools import pairwise

from motcua.core.text import fold

from .parsed import ParsedDocument, ParseProblem
from .textutil import NOT_STATED, excerpt

HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_COUNT = re.compile(
    r"(?<![\d/])(?<!\d[.,])(?:(?P<orig>\d{1,3}) bản chính(?:,(?P<copies>\d{1,3}) bản sao)?"
    r"|(?P<only_copies>\d{1,3}) bản sao)"
    r"(?! |[,;:)\]]|\.[\s\d]|\d)"
)
_EXT = re.compile(
    r"\.(?:[Dd][Oo][Cc][Xx]?|[Pp][Dd][Ff]|[Xx][Ll][Ss][Xx]?|[Oo][Dd][Tt]|[Rr][Tt][Ff]"
    r"|[Zz][Ii][Pp]|[Rr][Aa][Rr])(?![a-z])"
)
_TEMPLATE_WORDS = ("mau", "phu luc", "pl", "bieu mau", "to khai", "tk", "mus", "don ")
_GLUED_WORDS = ("mau", "pl", "tk")
_WINDOW = 120
_BULLETS = " -+*•–"

MSG_NO_TABLE = "không nhận ra bảng thành phần hồ sơ"
MSG_TRAILING = "có nội dung không kèm số lượng bản chính/bản sao"
MSG_TEMPLATE = "không tách được tên mẫu đơn khỏi tên giấy tờ"
MSG_EMPTY_NAME = "số lượng không kèm tên giấy tờ"


def _glue_points(text: str, start: int, end: int) -> list[int]:
    points = []
    for p in range(max(start, 1), end):
        before, here = text[p - 1], text[p]
        if here.isspace():
            continue
        after = text[p + 1] if p + 1 < len(text) else ""
        if before in ".;:)":
            if before == "." and p >= 2 and text[p - 2].isdigit() and here.isdigit():
                continue
            points.append(p)
        elif (before.islower() and (here.isupper() or here.isdigit())) or (
            (before.isupper() or before.isdigit()) and here.isupper() and after.islower()
        ):
            points.append(p)  # "…sảnMau 08.docx", "…NĐ-CPMau13.docx", "…Mẫu 57Mau57.docx"
        elif (
            before.isalpha() and here in "MmPpTt" and fold(text[p : p + 4]).startswith(_GLUED_WORDS)
        ):
            points.append(p)  # "theo mẫumaudondenghi.docx": no case change to go by
    return points


def _file_start(text: str, ext_start: int) -> int | None:
    points = _glue_points(text, max(0, ext_start - _WINDOW), ext_start)
    if not points:
        return None
    for p in points:
        if fold(text[p : p + 10]).startswith(_TEMPLATE_WORDS):
            return p
    return points[0]


def split_templates(segment: str) -> tuple[str, list[str], bool]:
    """(name, template file names, ok) for one row's text without its quantity."""
    exts = list(_EXT.finditer(segment))
    if not exts or exts[-1].end() != len(segment):
        return segment, [], True
    # Walk back over files glued one after another: "Mẫu 01.docxMẫu 02.docx".
    chain = [exts[-1]]
    for previous in reversed(exts[:-1]):
        gap = segment[previous.end() : chain[0].start()]
        glued = _glue_points(segment, previous.end(), previous.end() + 1)
        if not glued or len(gap) > _WINDOW:
            break
        chain.insert(0, previous)
    first = _file_start(segment, chain[0].start())
    if first is None:
        return segment, [], False
    bounds = [first] + [m.end() for m in chain]
    files = [segment[a:b].strip() for a, b in pairwise(bounds)]
    return segment[:first], files, True


# The field was normalised by the caller, so pieces of it only need trimming.
def _name(text: str) -> str:
    return text.strip(_BULLETS).strip()


def _heading(text: str) -> str:
    heading = text.strip(_BULLETS).rstrip(":").strip()
    return "" if heading == NOT_STATED else heading


def parse_documents(text: str) -> tuple[list[ParsedDocument], list[ParseProblem]]:
    """Documents from the normalised ``thanh_phan_ho_so``."""
    problems: list[ParseProblem] = []
    parts = text.split(HEADER)
    if len(parts) == 1:
        if _heading(text):
            problems.append(ParseProblem("documents", MSG_NO_TABLE, excerpt(text)))
        return [], problems
    documents: list[ParsedDocument] = []
    group = _heading(parts[0])
    for index, part in enumerate(parts[1:], start=1):
        position = 0
        table_group = group
        for count in _COUNT.finditer(part):
            segment = part[position : count.start()]
            position = count.end()
            name, templates, ok = split_templates(segment.strip())
            if not ok:
                problems.append(ParseProblem("documents", MSG_TEMPLATE, excerpt(segment)))
            if not _name(name):
                problems.append(ParseProblem("documents", MSG_EMPTY_NAME, count.group(0)))
                continue
            originals = int(count.group("orig") or 0)
            copies = int(count.group("copies") or count.group("only_copies") or 0)
            if not (originals or copies or templates) and _name(name).endswith(":"):
                sub = _heading(name)
                group = f"{table_group} – {sub}" if table_group else sub
                continue
            documents.append(ParsedDocument(group, _name(name), originals, copies, templates))
        rest = part[position:]
        if index < len(parts) - 1:
            group = _heading(rest)
        elif _heading(rest).strip(".…"):
            problems.append(ParseProblem("documents", MSG_TRAILING, excerpt(_heading(rest))))
    return documents, problems
