"""Vietnamese text normalisation shared by the importer, the catalogue and search.

The national data mixes composed (NFC) and decomposed (NFD) diacritics and irregular spacing;
everything the product stores or compares goes through ``normalize`` first, and accent-free
matching goes through ``fold``.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


def normalize(text: str | None) -> str:
    """NFC, one space between words, no leading or trailing space."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def normalize_block(text: str | None) -> str:
    """Like ``normalize`` but keeps line breaks (at most one blank line in a row)."""
    if not text:
        return ""
    lines = [normalize(line) for line in unicodedata.normalize("NFC", text).splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def fold(text: str | None) -> str:
    """Lower-case, without diacritics, đ → d: "Đăng ký khai sinh" → "dang ky khai sinh"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
