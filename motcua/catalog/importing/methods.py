"""The submission-method table (``cach_thuc_thuc_hien``): channel, processing time, fees.

The crawler flattened the portal's table into one string: a header, then per row the channel,
the time cell, the fee cell (lead + bracketed note) and a free description, with no separator:
"Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp60 Ngày làm việcMiễn phíDịch vụ bưu chính…".
A row starts where a channel name is glued to a digit or a capital letter; descriptions that
mention a channel in prose ("- Trực tiếp: nộp hồ sơ…", "Trực tuyến qua Cổng…") never are.

Processing time rules (``time_value``/``time_unit`` are set only when read, else a problem):

* "N Ngày làm việc" → working_day, "N Ngày" → day, "N Giờ"/"N Giờ làm việc" → hour; decimals
  ("1.5") are kept; months or other units are reported (the deadline model has no such unit).
* A free-text cell ("Không quá 30 ngày", "15 - 20 ngày làm việc") is read when it holds one
  number and a unit; of a range the upper bound is taken, since that is the legal deadline.
  A cell saying there is no deadline ("Không quy định", "Không phải trả kết quả…") is not a
  statement of time (``time_stated`` False), anything else ("Theo quy định") is a problem.
* A bare number ("5") has no unit on the portal. 97 % of the bare cells that can be checked
  against the record's own text are working days, but the rest are not (and "1" is often a
  placeholder), so no default unit is assumed: the unit is taken only from the record's own
  text stating that same number with a unit. The evidence is searched in order: another
  channel's time cell, this row's note and description, other rows' descriptions, then the
  steps and conditions; the first source that mentions it decides, and if that source
  mentions two different units the number is reported instead. The quote goes into
  ``time_unit_evidence`` so the inference is visible to staff. A caller that decides bare
  numbers are, say, working days passes ``bare_number_unit``: the unit is then applied when
  no evidence is found, but still reported as a problem and marked "giả định: …".
* A bare number glued to an amount ("120 VNĐ(20.000 vnđ/tờ khai)" = 1 + "20 VNĐ") is split
  where the amount is well formed; when several splits are, the one matching another channel's
  time or the note's amount is taken, and if none or several do, both fields are reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .fees import LEAD_AMOUNT, read_amount, read_fees
from .parsed import Channel, ParsedMethod, ParseProblem, TimeUnit
from .textutil import NOT_STATED, UPPER, clean, closing_paren, excerpt

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
CHANNELS: dict[str, Channel] = {
    "Trực tiếp": "direct",
    "Trực tuyến": "online",
    "Dịch vụ bưu chính": "postal",
}
UNITS: dict[str, TimeUnit] = {
    "ngày làm việc": "working_day",
    "ngày": "day",
    "giờ làm việc": "hour",
    "giờ": "hour",
}
_UNIT_WORDS = r"ngày làm việc|ngày|giờ làm việc|giờ|tháng|năm|tuần|phút"
_ROW = re.compile(rf"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|{UPPER})")
_LEAD = re.compile(rf"Miễn phí|{NOT_STATED}|{LEAD_AMOUNT.pattern}")
_TIME = re.compile(rf"(?P<value>\d+(?:[.,]\d+)?) ?(?P<unit>{_UNIT_WORDS})", re.IGNORECASE)
_BARE = re.compile(rf"\d+(?=Miễn phí|{NOT_STATED})")
_GLUED = re.compile(r"(?P<digits>\d[\d.,]*)(?= ?(?:Việt Nam Đồng|VNĐ|VND|USD|Đồng))")
_FREE_TEXT = re.compile(rf"(.{{1,300}}?)(?=Miễn phí|{NOT_STATED}|\d[\d.,]* ?(?:Việt Nam Đồng|VNĐ))")
_PHRASE = re.compile(
    rf"^(?:không quá|tối đa|trong vòng|trong thời hạn|trong)?\s*"
    rf"(?:(?P<low>\d+(?:[.,]\d+)?)\s*(?:-|đến)\s*)?(?P<value>\d+(?:[.,]\d+)?)\s*"
    rf"(?P<unit>{_UNIT_WORDS})\b",
    re.IGNORECASE,
)
_NO_DEADLINE = re.compile(r"^không(?! quá)", re.IGNORECASE)

MSG_NO_TABLE = "không nhận ra bảng cách thức thực hiện"
MSG_NO_UNIT = "thời hạn chỉ có số, không có đơn vị, và nội dung thủ tục không nêu đơn vị cho số này"
MSG_ASSUMED = "thời hạn chỉ có số, không có đơn vị; tạm hiểu là {unit} theo cấu hình nhập"
ASSUMED_PREFIX = "giả định: "
MSG_CONFLICT = "thời hạn chỉ có số; nội dung thủ tục nêu số này với nhiều đơn vị khác nhau"
MSG_UNIT = "đơn vị thời hạn không được hỗ trợ"
MSG_TEXT = "thời hạn không phải là một số kèm đơn vị"
MSG_SPLIT = "không tách được thời hạn khỏi số tiền dính liền"
MSG_CELLS = "không tách được các ô thời hạn, phí của dòng"

Kind = Literal["unit", "bare", "glued", "none", "text", "broken"]


@dataclass
class _Row:
    channel: Channel
    kind: Kind
    time_text: str
    lead: str
    note: str
    description: str
    value: str = ""
    unit_word: str = ""
    glued: str = ""  # digits of a time cell glued to the amount, split later


def _split_cell(channel: Channel, cell: str) -> _Row:
    kind: Kind
    value = unit_word = glued = ""
    match = _TIME.match(cell)
    if match and _LEAD.match(cell, match.end()):
        kind, value, unit_word = "unit", match.group("value"), match.group("unit")
        time_text, pos = match.group(0), match.end()
    elif cell.startswith(NOT_STATED) and _LEAD.match(cell, len(NOT_STATED)):
        kind, time_text, pos = "none", "", len(NOT_STATED)
    elif bare := _BARE.match(cell):
        kind, value, time_text, pos = "bare", bare.group(0), bare.group(0), bare.end()
    elif (stuck := _GLUED.match(cell)) and re.fullmatch(r"\d+(,\d{3})*|\d+", stuck["digits"]):
        kind, glued, time_text, pos = "glued", stuck["digits"], stuck["digits"], 0
    elif text := _FREE_TEXT.match(cell):
        kind, time_text, pos = "text", text.group(1).strip(), text.end()
    else:
        # Counted as a stated but unread time: the cell has content nobody could split.
        return _Row(channel, "broken", excerpt(clean(cell), 60), "", "", clean(cell))
    lead_match = _LEAD.match(cell, pos)
    lead = lead_match.group(0) if lead_match else ""
    rest = cell[lead_match.end() :] if lead_match else cell[pos:]
    note = ""
    if rest.startswith("("):
        end = closing_paren(rest, 0)
        if end < 0:  # unbalanced: assume the note runs to the last ")" of the row
            end = rest.rfind(")") if rest.rfind(")") > 0 else len(rest)
        note, rest = rest[1:end], rest[end + 1 :]
    return _Row(channel, kind, time_text, lead, clean(note), clean(rest), value, unit_word, glued)


def split_rows(text: str) -> tuple[list[_Row], str]:
    """Rows of the table, and any text before the first row (which should be empty)."""
    body = text[len(HEADER) :] if text.startswith(HEADER) else text
    starts = list(_ROW.finditer(body))
    rows = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        cell = body[start.end() : end]
        rows.append(_split_cell(CHANNELS[start.group(1)], cell))
    leading = body[: starts[0].start()] if starts else body
    return rows, leading.strip()


def _evidence_pattern(value: str) -> re.Pattern[str]:
    number = re.escape(value.lstrip("0") or "0")
    return re.compile(
        rf"(?<![\d.,/])0*{number}\s*(?:\([^()]{{1,20}}\)\s*)?"
        rf"(?P<unit>ngày làm việc|ngày|giờ làm việc|giờ)(?![ ]?\d)",
        re.IGNORECASE,
    )


def unit_from_evidence(
    value: str, tiers: Sequence[Sequence[str]]
) -> tuple[TimeUnit | None, str, bool]:
    """The unit the record's own text states for ``value``: (unit, quote, conflicting)."""
    pattern = _evidence_pattern(value)
    for texts in tiers:
        found: dict[TimeUnit, str] = {}
        for text in texts:
            for match in pattern.finditer(text):
                unit = UNITS[match.group("unit").lower()]
                found.setdefault(unit, text[max(0, match.start() - 30) : match.end() + 10])
        if len(found) == 1:
            unit, quote = next(iter(found.items()))
            return unit, excerpt(quote.strip(), 100), False
        if found:
            return None, "", True
    return None, "", False


def _split_glued(row: _Row, siblings: list[_Row]) -> tuple[str, str] | None:
    """Split "120" into time "1" and amount "20" (see the module docstring)."""
    digits = row.glued
    candidates = []
    for cut in range(1, len(digits)):
        time_part, amount_part = digits[:cut], digits[cut:]
        if "," in time_part or amount_part.startswith(("0", ",")):
            continue
        if read_amount(amount_part) is not None:
            candidates.append((time_part, amount_part))
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    sibling_values = {s.value for s in siblings if s.value}
    note_amounts = {int(a.replace(".", "")) for a in re.findall(r"\d{1,3}(?:\.\d{3})+", row.note)}
    fitting = [
        (time_part, amount_part)
        for time_part, amount_part in candidates
        if time_part in sibling_values
        or {int(amount_part.replace(",", "")) * k for k in (1, 1000)} & note_amounts
    ]
    return fitting[0] if len(fitting) == 1 else None


def _read_time(
    row: _Row,
    siblings: list[_Row],
    context: Sequence[str],
    problems: list[ParseProblem],
    bare_number_unit: TimeUnit | None,
) -> tuple[Decimal | None, TimeUnit | None, str]:
    def report(message: str) -> tuple[None, None, str]:
        problems.append(ParseProblem("processing_time", message, excerpt(row.time_text)))
        return None, None, ""

    value, unit_word = row.value, row.unit_word
    if row.kind == "text":
        phrase = _PHRASE.match(row.time_text)
        if not phrase:
            return report(MSG_TEXT)
        value, unit_word = phrase.group("value"), phrase.group("unit")
    if unit_word:
        unit = UNITS.get(unit_word.lower())
        if unit is None:
            return report(MSG_UNIT)
        return Decimal(value.replace(",", ".")), unit, ""
    others = [s for s in siblings if s is not row]
    tiers = [
        [s.time_text for s in others if s.unit_word and s.value == value],
        [row.note, row.description],
        [text for s in others for text in (s.note, s.description)],
        list(context),
    ]
    unit, quote, conflicting = unit_from_evidence(value, tiers)
    # A bare "0" is no deadline at all rather than "0 working days": never given a unit.
    assumable = Decimal(value) > 0
    if unit is None and bare_number_unit is not None and not conflicting and assumable:
        # The caller chose a default unit: applied, quoted and still reported, never silent.
        message = MSG_ASSUMED.format(unit=bare_number_unit)
        problems.append(ParseProblem("processing_time", message, excerpt(row.time_text)))
        return Decimal(value), bare_number_unit, f"{ASSUMED_PREFIX}{bare_number_unit}"
    if unit is None:
        return report(MSG_CONFLICT if conflicting else MSG_NO_UNIT)
    return Decimal(value), unit, quote


def _stated(row: _Row) -> bool:
    return bool(row.time_text) and not (row.kind == "text" and _NO_DEADLINE.match(row.time_text))


def parse_methods(
    text: str, context: Sequence[str], bare_number_unit: TimeUnit | None = None
) -> tuple[list[ParsedMethod], list[ParseProblem]]:
    """Methods from the normalised ``cach_thuc_thuc_hien``; ``context`` holds the steps and
    conditions text, searched for the unit of a bare-number time. ``bare_number_unit`` is
    the unit to assume when that search finds nothing (default: none, report it)."""
    problems: list[ParseProblem] = []
    if not clean(text):
        return [], problems
    rows, leading = split_rows(text)
    if not rows or leading:
        problems.append(ParseProblem("processing_time", MSG_NO_TABLE, excerpt(leading or text)))
    for row in rows:
        if row.kind == "glued":
            split = _split_glued(row, rows)
            if split is None:
                for field in ("processing_time", "fees"):
                    problems.append(ParseProblem(field, MSG_SPLIT, excerpt(row.time_text)))
                row.kind = "broken"
            else:
                row.kind, row.value, row.time_text = "bare", split[0], split[0]
                row.lead = row.lead.replace(row.glued, split[1], 1)
    methods = []
    for row in rows:
        if row.kind == "broken" and not row.glued:
            problems.append(ParseProblem("processing_time", MSG_CELLS, excerpt(row.description)))
        stated = _stated(row) and row.kind != "broken"
        value: Decimal | None = None
        unit: TimeUnit | None = None
        quote = ""
        if stated:
            value, unit, quote = _read_time(row, rows, context, problems, bare_number_unit)
        fees = read_fees(row.lead, row.note) if row.kind != "broken" else None
        for message, sample in fees.problems if fees else []:
            problems.append(ParseProblem("fees", message, sample))
        lead = "" if row.lead == NOT_STATED else row.lead
        methods.append(
            ParsedMethod(
                channel=row.channel,
                time_value=value,
                time_unit=unit,
                time_text=row.time_text,
                fee_text=f"{lead} ({row.note})".strip() if row.note else lead,
                fees=fees.fees if fees else [],
                description=row.description,
                time_stated=stated or (row.kind == "broken" and bool(row.time_text)),
                time_unit_evidence=quote,
                free_of_charge=row.lead == "Miễn phí",
            )
        )
    return methods, problems
