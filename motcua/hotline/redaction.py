"""Removing personal data before an answer is published (Law on personal data protection,
Decree 13/2023/NĐ-CP): phone numbers, email addresses, ID numbers, and the names the
contact gave. The operator reviews the result before it goes out; this is the floor."""

from __future__ import annotations

import re
from collections.abc import Iterable

HIDDEN = "[đã ẩn]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers with any separators: 0912 345 678, 0912.345.678, +84 912345678, 0277 3851 234.
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
# Citizen ID (12 digits), old ID card (9 digits), passports (a letter and 7–8 digits).
_ID = re.compile(r"(?<![\w])(?:\d{12}|\d{9}|[A-Z]\d{7,8})(?![\w])")


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    text = _EMAIL.sub(HIDDEN, text)
    text = _PHONE.sub(HIDDEN, text)
    text = _ID.sub(HIDDEN, text)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) > 2}, key=len, reverse=True
    ):
        text = re.sub(re.escape(name), HIDDEN, text, flags=re.IGNORECASE)
    return text
