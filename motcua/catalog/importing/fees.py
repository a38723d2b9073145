"""Fee amounts in the fee cell of the submission-method table.

The cell is a lead ("Miễn phí", "Không có thông tin" or an amount such as "2,000,000 Việt Nam
Đồng") and an optional note in brackets, where agencies write the real tariff in prose
("Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần", "Phí: 15000000/loại Đồng (Đối với …)").
Rules:

* One ``ParsedFee`` per readable VND amount in the lead or the note, named after the clause it
  stands in; the same amount is listed once (the lead takes the note's name).
* "Miễn phí" with no amount means no fee, which is not a problem. Agencies sometimes write
  "Miễn phí" and a tariff in the note; the note's amounts are still listed and the method's
  ``free_of_charge`` tells the caller what the lead said.
* An amount that is malformed ("10.000.0000 đồng"), in USD, or below 1,000 VND (the portal
  holds some tariffs in thousands: "20 VNĐ (20.000 vnđ/tờ khai)") is reported, not stored;
  the thousands reading is taken only when the note itself states that amount.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .parsed import ParsedFee
from .textutil import excerpt

# The lead as the portal renders its structured amount: "2,000,000 Việt Nam Đồng", "20 VNĐ".
LEAD_AMOUNT = re.compile(
    r"(?P<num>\d[\d.,]*)(?:/(?P<per>[^\s\d(]+))? ?(?P<cur>Việt Nam Đồng|VNĐ|VND|USD|Đồng)"
)
# The unit of a rate, at most three words: "lần", "tờ khai", "01 đơn hàng".
_PER = r"(?:\d{1,2}\s?)?[^\s\d(),;.:/-]+(?: [^\s\d(),;.:/-]+){0,2}"
_PER_STOP = re.compile(r" (?:kể|từ|áp|đối|theo|cho|và|hoặc|trong|khi|nếu|tại|của)\b.*")
_NOTE_AMOUNT = re.compile(
    r"(?<![\d.,/])(?P<num>\d(?:[\d.,]*\d)?)"
    r"(?:\s?(?P<mult>triệu|nghìn|ngàn|tỷ)(?!\w))?"
    rf"(?:\s?/\s?(?P<per1>{_PER}))?"
    r"\s?(?P<cur>Việt Nam đồng|Việt Nam Đồng|đồng|Đồng|VNĐ|vnđ|VND|USD|đ|Đ)(?!\w)"
    rf"(?:\s?/\s?(?P<per2>{_PER}))?"
    # A thousands-grouped figure with a rate and no currency: "8.000.000/lần".
    rf"|(?<![\d.,/])(?P<rate>\d{{1,3}}(?:\.\d{{3}})+)/(?P<per3>{_PER})"
)
# Any amount written with a currency, readable or not: what makes a fee cell "state" a fee.
AMOUNT = re.compile(
    r"\d[\d.,]*\s?(?:triệu |nghìn |ngàn |tỷ )?(?:/\S+ )?(?:đồng|Đồng|VNĐ|vnđ|VND|USD|đ\b|Đ\b)"
)
_MULTIPLIERS = {"nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000}
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+")
_PLAIN = re.compile(r"0|[1-9]\d*")
_CLAUSE_BREAK = re.compile(r"[;()\n]|\.\s|(?<!\S)[-+*•]\s|->")
_LABELS = {"", "phí", "lệ phí", "mức phí", "mức thu", "phí, lệ phí", "nộp", "giá"}
_LABEL_TAIL = re.compile(r"(?:[\s:=,-]|\slà$)+$")
_RATE_NOTE = re.compile(r"(?:đồng|Đồng|VNĐ)?\s?/\s?([^()]{1,40})")
MIN_PLAUSIBLE_VND = 1_000
DEFAULT_NAME = "Phí, lệ phí"

MSG_UNREADABLE = "không đọc được số tiền"
MSG_TOO_SMALL = "số tiền dưới 1.000 đồng: có thể ghi theo nghìn đồng hoặc chỉ là giá trị giữ chỗ"
MSG_USD = "số tiền bằng USD, không quy đổi sang đồng"


def read_amount(text: str) -> int | None:
    """An integer from "2,000,000", "2.000.000" or "2000000"; None if the grouping is off."""
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[.,]", "", text))
    if _PLAIN.fullmatch(text):
        return int(text)
    return None


def _read_with_multiplier(num: str, mult: str | None) -> int | None:
    if not mult:
        return read_amount(num)
    try:
        value = Decimal(num.replace(",", ".")) * _MULTIPLIERS[mult]
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else None


def _name_before(note: str, start: int) -> str:
    head = note[:start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    clause = head[breaks[-1].end() :] if breaks else head
    return _LABEL_TAIL.sub("", clause).strip()


def _paren_after(note: str, end: int) -> str:
    match = re.match(r"\s?\(([^()]*(?:\([^()]*\)[^()]*)*)\)", note[end:])
    return match.group(1).strip() if match else ""


def _fee_name(note: str, start: int, end: int, per: str | None) -> str:
    label = _name_before(note, start)
    name = label
    if label.casefold() in _LABELS:
        # The portal's multi-fee rendering: "Phí: 15000000/loại Đồng (Đối với …)".
        after = _paren_after(note, end)
        label = label or DEFAULT_NAME
        name = f"{label} ({after})" if after else label
    name = excerpt(name or DEFAULT_NAME, 120)
    per = _PER_STOP.sub("", per) if per else per
    return f"{name} (/{per})" if per else name


class FeeReading:
    """Fees read from one fee cell, with the messages of whatever could not be read."""

    def __init__(self) -> None:
        self.fees: list[ParsedFee] = []
        self.problems: list[tuple[str, str]] = []  # (message, sample)

    def add(self, name: str, amount: int) -> None:
        if amount and all(fee.amount_vnd != amount for fee in self.fees):
            self.fees.append(ParsedFee(name=name, amount_vnd=amount))

    def problem(self, message: str, sample: str) -> None:
        self.problems.append((message, excerpt(sample)))


def _note_amounts(note: str, reading: FeeReading) -> None:
    for match in _NOTE_AMOUNT.finditer(note):
        if match.group("rate"):
            amount = read_amount(match.group("rate"))
            per = match.group("per3")
        else:
            if match.group("cur") == "USD":
                reading.problem(MSG_USD, match.group(0))
                continue
            amount = _read_with_multiplier(match.group("num"), match.group("mult"))
            per = match.group("per1") or match.group("per2")
        if amount is None:
            reading.problem(MSG_UNREADABLE, match.group(0))
        elif 0 < amount < MIN_PLAUSIBLE_VND:
            reading.problem(MSG_TOO_SMALL, match.group(0))
        else:
            reading.add(_fee_name(note, match.start(), match.end(), per), amount)


def read_fees(lead: str, note: str) -> FeeReading:
    """Fees of one cell: ``lead`` is the text before the bracket, ``note`` the bracket's text."""
    reading = FeeReading()
    _note_amounts(note, reading)
    match = LEAD_AMOUNT.fullmatch(lead)
    if not match:
        return reading
    if match.group("cur") == "USD":
        reading.problem(MSG_USD, lead)
        return reading
    amount = read_amount(match.group("num"))
    if amount is None:
        reading.problem(MSG_UNREADABLE, lead)
        return reading
    stated = {fee.amount_vnd: fee for fee in reading.fees}
    if amount == 0 or amount in stated:
        return reading
    if 0 < amount < MIN_PLAUSIBLE_VND:
        if amount * 1000 not in stated:
            reading.problem(MSG_TOO_SMALL, lead)
        return reading
    rate = _RATE_NOTE.fullmatch(note)
    named_by_note = not reading.fees and note and len(note) <= 120 and not rate
    name = note if named_by_note else DEFAULT_NAME
    if rate:  # "50,000 Việt Nam Đồng (/văn bản)", "2,500,000 VNĐ (đồng/lần)"
        name = f"{DEFAULT_NAME} (/{rate.group(1)})"
    per = match.group("per")
    reading.fees.insert(0, ParsedFee(name=f"{name} (/{per})" if per else name, amount_vnd=amount))
    return reading
