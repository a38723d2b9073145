"""Identifiers and dates of birth in a citizen's text (Decree 13/2023/NĐ-CP; docs/hotline.md
"Redaction"), found with or without diacritics:

- **Numbers that identify someone**: any run of 9 or more digits, however grouped by spaces,
  dots or dashes (ID cards "079.085.001.234", phones "0912 345 678", "+84 277 3851 234", tax
  codes "0312345678-001", bank accounts), except a sum of money written in thousands with its
  unit ("1.500.000.000 đồng"); and shorter numbers after a label that says what they are
  ("STK 12345678", "MST: 8012345", "CMND số 3456789"). Passport numbers (a capital and 7–8
  digits). So the output never holds 9 digits in a row.
- **Email addresses.**
- **Dates of birth**: the date or year after "sinh ngày", "ngày sinh", "sinh năm", "năm
  sinh", "SN", "NS" ("sinh ngày 12/03/1985", "SN 1985", "ngày sinh: 12-3-1985").
"""

from __future__ import annotations

import re

# A number as people type it: digit groups joined by one space, dot, comma or dash
# ("0912 345 678", "079.085.001.234", "0312345678-001"), with an optional "+" (+84 …).
# A real date written with dots or dashes comes first, so "12.03.2025 10 giờ" stays a date
# and an hour rather than one 10-digit number (day 1–31, month 1–12, year 19xx or 20xx: an
# ID number cut to look like a date, "00.00.0000 0", is still one number).
_NUMBER = re.compile(
    r"(?P<date>(?:0?[1-9]|[12]\d|3[01])(?P<dsep>[.\-])(?:0?[1-9]|1[0-2])(?P=dsep)(?:19|20)\d{2})"
    r"(?![.\-]?\d)"
    r"|\+?\d+(?:[ \u00a0\u202f.,\-]\d+)*"
)
# A number that identifies someone: 9 digits or more, wherever the separators fall.
MIN_ID_DIGITS = 9
# Money in thousands ("1.500.000.000", "2,000,000,000") followed by its unit is a sum, not
# an account number; the unit is matched on the folded text (đồng → dong, đ → d).
_THOUSANDS = re.compile(r"\d{1,3}(?P<sep>[.,\u00a0 ])\d{3}(?:(?P=sep)\d{3})*")
_MONEY_UNIT = re.compile(r"\s?(?:dong|d|vnd|vn d|trieu|ty|nghin|ngan)(?![^\W\d_])")
# Starts only where a run of address characters starts, so a long run without "@" is read once.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Passports: a capital letter and 7–8 digits (B1234567).
_PASSPORT = re.compile(r"(?<!\w)[A-Z]\d{7,8}(?!\w)")
# On the folded text (lower case, no diacritics): a label, then the number it names, even a
# short one. The value is what is hidden; the label stays so the text still reads.
_LABELLED_NUMBER = re.compile(
    r"(?<![^\W\d_])(?:cccd|cmnd|cmt|can cuoc(?: cong dan)?|chung minh(?: nhan dan| thu)?"
    r"|(?:so )?dinh danh(?: ca nhan)?|ho chieu|passport|mst|ma so thue|stk|so tai khoan"
    r"|tai khoan(?: ngan hang)?|so tk|tk|bhyt|bhxh|so the|so so)"
    r"[^\w\n]{0,3}(?:(?:so|la)[^\w\n]{1,3})?"
    r"(?P<value>[a-z]{0,3}\d(?:[ .\-]?\d){4,})"
)
_DATE = r"\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?\d{2,4}"
_DATE_WORDS = r"(?:ngay )?\d{1,2} thang \d{1,2}(?: nam \d{2,4})?"
_MONTH_YEAR = r"\d{1,2}\s?[/.\-]\s?(?:19|20)\d{2}"
_YEAR = r"(?:19|20)\d{2}"
_BIRTH = re.compile(
    r"(?<![^\W\d_])(?:sinh ngay|ngay sinh|ngay thang nam sinh|sinh nam|nam sinh|sn|ns|sinh)"
    r"[^\w\n]{0,3}(?:la\s)?"
    rf"(?P<value>{_DATE}|{_DATE_WORDS}|{_MONTH_YEAR}|{_YEAR})(?!\d)"
)


def identifiers(text: str, folded: str) -> list[tuple[int, int]]:
    """Spans of the emails, numbers, labelled numbers, dates of birth and passport numbers in
    ``text``; ``folded`` is ``text`` folded one character for one (``folding``)."""
    spans: list[tuple[int, int]] = []
    spans += _emails(text)
    spans += _numbers(text, folded)
    spans += [m.span("value") for m in _LABELLED_NUMBER.finditer(folded)]
    spans += [m.span("value") for m in _BIRTH.finditer(folded)]
    spans += [m.span() for m in _PASSPORT.finditer(text)]
    return spans


def _emails(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _EMAIL.finditer(text)]


def _numbers(text: str, folded: str) -> list[tuple[int, int]]:
    found = []
    for match in _NUMBER.finditer(text):
        if match.group("date"):
            continue
        digits = sum(1 for ch in match.group() if ch.isdecimal())
        if digits < MIN_ID_DIGITS:
            continue
        if _THOUSANDS.fullmatch(match.group()) and _MONEY_UNIT.match(folded, match.end()):
            continue
        found.append(match.span())
    return found
