"""Removing personal data from a citizen's text before the public sees it (Decree
13/2023/NĐ-CP on personal data protection; docs/hotline.md "Redaction").

``redact`` is a pure function: text in, text out, each piece of personal data replaced by
``HIDDEN`` ("[đã ẩn]"). It never raises on any input. It catches, with or without diacritics:

- **Numbers that identify someone**: any run of 9 or more digits, however grouped by spaces,
  dots or dashes (ID cards "079.085.001.234", phones "0912 345 678", "+84 277 3851 234", tax
  codes "0312345678-001", bank accounts), except a sum of money written in thousands with its
  unit ("1.500.000.000 đồng"); and shorter numbers after a label that says what they are
  ("STK 12345678", "MST: 8012345", "CMND số 3456789"). Passport numbers (a capital and 7–8
  digits). So the output never holds 9 digits in a row.
- **Email addresses.**
- **Dates of birth**: the date or year after "sinh ngày", "ngày sinh", "sinh năm", "năm
  sinh", "SN", "NS" ("sinh ngày 12/03/1985", "SN 1985", "ngày sinh: 12-3-1985").
- **People's names**: the capitalised words after an honorific, a kinship word or a name label
  ("ông Nguyễn Văn Tư", "bà Lê Thị Hoa", "anh Tuấn", "con tên Khoa", "họ tên: TRẦN VĂN A"),
  and runs of two or more capitalised words that start with a common surname ("con tôi là
  Trần Minh Khoa"); plus the ``names`` the caller knows (the contact's own name).

Place and agency names are kept: the capitalised words after a place or agency word
("Phường Cao Lãnh", "Sở Tư pháp", "UBND xã Tân Hồng", "đường Nguyễn Huệ", "Trường THPT
Nguyễn Đình Chiểu"), and a short list of historical figures streets and schools are named
after ("số 12 Nguyễn Huệ"). A title after an honorific ("ông Chủ tịch xã") is not a name.

It is a heuristic and errs on the side of hiding. What it cannot see: names typed in lower
case ("ông tư ở ấp 3"), a name with no honorific and a rare surname, a single given name
with no honorific; the operator's review is still needed where a person approves the text
(``people=False`` then keeps the name rules off, see ``actions/publication.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

HIDDEN = "[đã ẩn]"


def _words(*lines: str) -> frozenset[str]:
    """A word list written as lines of space-separated words."""
    return frozenset(" ".join(lines).split())


# ---- numbers, emails, dates of birth --------------------------------------------------------

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

# ---- names ----------------------------------------------------------------------------------
# Word lists are compared with the word as typed, lower-cased (with diacritics), or — for a
# word typed without any diacritics — folded (the ``*_ASCII`` lists). Without diacritics many
# words collide (bạn/ban, cậu/cầu, bố/bộ); where an honorific and another word collide, the
# honorific wins: hiding a word wrongly is the safer error.

# Honorifics and kinship words: the capitalised words right after them are a name.
_HONORIFICS = _words(
    "ông bà anh chị em cô chú bác cháu con vợ chồng cậu dì mợ thím dượng cụ bé thầy giáo sĩ ",
    "mẹ bố ba má cha bạn ngoại nội",
)
_HONORIFICS_ASCII = _words(
    "ong ba anh chi em co chu bac chau con vo chong cau di mo thim duong cu be thay giao si ",
    "me bo ma cha ban ngoai noi",
)
# Name labels: "tên", "họ tên", "họ và tên"; capitals are names after them ("TRẦN VĂN A").
_LABELS = frozenset({"tên"})
_LABELS_ASCII = frozenset({"ten"})
# Lower-case words that may stand between an honorific or label and the name: "con tôi là
# Khoa", "tên của cháu là Khoa", "tên: Khoa" (folded).
_FILLERS = frozenset({"cua", "toi", "minh", "la", "ten"})
MAX_FILLERS = 3
# Lower-case words that start a place's or an agency's name: the capitalised words after
# them are kept ("đường Nguyễn Huệ", "phường Cao Lãnh", "xã Tân Hồng", "Sở Tư pháp").
_PLACES = _words(
    "đường phố phường xã huyện tỉnh quận tp thôn ấp khóm tổ chợ cầu kênh sông rạch hẻm kiệt ",
    "ngõ ngách chùa đình đền nhà sở cục ban phòng bộ ubnd hđnd mttq đoàn hội tòa trạm viện ",
    "trường thpt thcs học non tâm ty hàng nghiệp đội lộ bến cảng bãi đảo núi khu cụm thị ",
    "thành trấn sạn",
)
_PLACES_ASCII = _words(
    "duong pho phuong xa huyen tinh quan tp thon kenh song hem khu so cuc phong toa tram thpt ",
    "thcs hoc vien lo cang ty hang ubnd hdnd mttq",
)
# The same in title case ("Phường Cao Lãnh", "Trường THPT …"): only the words that are
# never a given name or a surname (not "Thành", "Tâm", "Đình", "Đoàn", "Thị"…).
_PLACE_HEADS = _words(
    "đường phố phường xã huyện tỉnh quận tp thôn ấp khóm chợ cầu kênh sông rạch hẻm kiệt ngõ ",
    "chùa đền sở cục phòng ban bộ ubnd hđnd mttq tòa trạm viện bệnh trường thpt thcs ủy ngân ",
    "trung khu cụm bến cảng",
)
_PLACE_HEADS_ASCII = _words("xa tinh so cuc kenh pho tp ubnd hdnd mttq thpt thcs")
# Title-case words that end a name: "Nguyễn Văn Tư Phường 1" is a name, then a place.
_NAME_ENDS = _words(
    "phường xã huyện tỉnh quận thôn ấp khóm chợ kênh sông rạch hẻm chùa sở cục tòa trạm viện ",
    "bệnh đường phố",
)
_NAME_ENDS_ASCII = _words("xa so cuc kenh pho")
# Agencies and schools in capitals: never part of a name (folded).
_ACRONYMS = _words("ubnd hdnd mttq thpt thcs tp cccd cmnd bhyt bhxh")
# Common surnames (together about 90 % of Vietnamese people).
_SURNAMES = _words(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trương ",
    "lương đoàn trịnh lưu",
)
_SURNAMES_ASCII = _words(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh truong ",
    "luong doan trinh luu",
)
# A surname and then this word is a common phrase in title case: "Hồ Sơ", "Lý Do", "Phạm
# Vi"; without diacritics "Ho Khau" (hộ khẩu), "Dang Ky" (đăng ký), "Luong Huu" (lương hưu).
_COMMON_PAIRS = frozenset(
    tuple(pair.split())
    for pair in (
        "hồ sơ",
        "lý do",
        "lý lịch",
        "lý thuyết",
        "phạm vi",
        "phạm tội",
        "dương tính",
        "đỗ xe",
    )
)
_COMMON_PAIRS_ASCII = frozenset(
    tuple(pair.split())
    for pair in (
        "ho so",
        "ho chieu",
        "ho khau",
        "ho tich",
        "ho ngheo",
        "ho gia",
        "dang ky",
        "ly do",
        "ly lich",
        "pham vi",
        "pham toi",
        "duong tinh",
        "vu viec",
        "luong huu",
        "le phi",
        "do xe",
    )
)
# Capitalised words that are not names even after an honorific: pronouns, courtesy, time
# words, titles, platforms ("Anh Chị cho hỏi", "ông Chủ tịch", "em Xin", "qua Zalo").
_NOT_NAMES = _words(
    "tôi mình chúng quý người mọi xin cho hỏi cảm vui kính đề nay hôm ngày tháng sáng chiều ",
    "tối thứ chủ giám phó trưởng cán bí kế chánh ủy đảng tổng dịch hiệu",
)
_NOT_NAMES_ASCII = _words(
    "toi chung quy xin cho hoi cam vui kinh hom ngay thang sang chieu chu giam pho can bi ke ",
    "uy tong dich hieu",
)
_BRANDS = _words(
    "zalo facebook messenger google gmail email viettel mobifone vinaphone vietcombank ",
    "agribank bidv vietinbank techcombank sacombank momo vneid youtube tiktok",
)
# A capitalised word that is a given name alone but a title or an office before this
# lower-case word: "anh Công" is a name, "anh Công an xã" is not (folded).
_TITLE_PHRASES = frozenset(
    tuple(pair.split())
    for pair in (
        "cong an",
        "cong ty",
        "cong chung",
        "cong dan",
        "cong chuc",
        "canh sat",
        "dai bieu",
        "dai dien",
        "nhan vien",
        "chuyen vien",
        "dieu tra",
        "kiem sat",
        "giao vien",
        "bo doi",
        "thu ky",
        "thu truong",
        "to truong",
        "truong ap",
        "truong thon",
        "truong khom",
        "truong phong",
        "truong ban",
        "can bo",
        "bac si",
        "y si",
        "chu tich",
        "giam doc",
        "pho chu",
        "ke toan",
        "bi thu",
        "doanh nghiep",
        "tong dai",
    )
)
# Historical figures whose names streets, schools and squares carry: kept (folded). "bác
# Hồ" is the president, not a neighbour.
_PUBLIC_NAMES = tuple(
    tuple(name.split())
    for name in (
        "ho chi minh",
        "nguyen hue",
        "tran hung dao",
        "le loi",
        "nguyen trai",
        "ly thuong kiet",
        "nguyen du",
        "le duan",
        "vo van kiet",
        "pham van dong",
        "vo nguyen giap",
        "nguyen van linh",
        "nguyen dinh chieu",
        "nguyen sinh sac",
        "nguyen thi minh khai",
        "le hong phong",
        "tran phu",
        "nguyen tat thanh",
        "phan boi chau",
        "phan chu trinh",
        "hoang dieu",
        "ly tu trong",
        "nguyen thai hoc",
        "tran quoc toan",
        "le thanh ton",
        "ngo quyen",
        "nguyen van troi",
        "vo thi sau",
        "ly thai to",
        "tran van on",
        "nguyen van cu",
        "nguyen chi thanh",
    )
)
MAX_NAME_WORDS = 5
_WORD = re.compile(r"[^\W\d_]+")
_SPACE_GAP = re.compile(r"[ \t\u00a0]+")
_LABEL_GAP = re.compile(r"[ \t\u00a0]*:?[ \t\u00a0]*")


def redact(text: str, *, names: Iterable[str] = (), people: bool = True) -> str:
    """``text`` with every piece of personal data above replaced by ``HIDDEN``.

    ``names`` are names known to belong to the person who wrote (the contact's): hidden
    wherever they appear, in any case, and a full name also without diacritics. ``people``
    turns the name rules on (the default); a text a person has reviewed keeps the
    identifiers rule but not the guesses about names."""
    text = unicodedata.normalize("NFC", text)
    folded = _fold_same_length(text)
    spans: list[tuple[int, int]] = []
    spans += _emails(text)
    spans += _numbers(text, folded)
    spans += [m.span("value") for m in _LABELLED_NUMBER.finditer(folded)]
    spans += [m.span("value") for m in _BIRTH.finditer(folded)]
    spans += [m.span() for m in _PASSPORT.finditer(text)]
    spans += _known_names(text, names)
    if people:
        spans += _people(text)
    return _replace(text, spans)


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


def _known_names(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    wanted: set[str] = set()
    for name in names:
        name = " ".join(unicodedata.normalize("NFC", name or "").split())
        if len(name) <= 2:
            continue
        wanted.add(name)
        if " " in name:  # "Lê Văn Tám" is also typed "Le Van Tam"
            wanted.add(_unaccent(name))
    spans = []
    for name in sorted(wanted, key=len, reverse=True):
        pattern = rf"(?<!\w){re.escape(name)}(?!\w)"
        spans += [m.span() for m in re.finditer(pattern, text, flags=re.IGNORECASE)]
    return spans


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def folded(self) -> str:
        return _unaccent(self.text).lower()

    @property
    def plain(self) -> bool:
        """Typed without any diacritics (so its folded form is all we know of it)."""
        return self.text.isascii()

    @property
    def title(self) -> bool:
        return self.text[0].isupper() and (len(self.text) == 1 or self.text[1:].islower())

    @property
    def caps(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()

    @property
    def small(self) -> bool:
        return self.text.islower()

    def among(self, accented: frozenset[str], plain: frozenset[str]) -> bool:
        """In ``accented`` as typed, or — typed without diacritics — in ``plain``."""
        return self.lower in accented or (self.plain and self.folded in plain)


def _is_honorific(word: _Word) -> bool:
    return (word.small or word.title) and word.among(_HONORIFICS, _HONORIFICS_ASCII)


def _is_label(word: _Word) -> bool:
    return (word.small or word.title) and word.among(_LABELS, _LABELS_ASCII)


def _is_place(word: _Word) -> bool:
    """The first word of a place's or agency's name (see ``_PLACES``)."""
    if word.plain and _is_honorific(word):
        return False
    if word.small:
        return word.among(_PLACES, _PLACES_ASCII) or (word.plain and word.folded == "duong")
    return word.among(_PLACE_HEADS, _PLACE_HEADS_ASCII)


def _is_surname(word: _Word) -> bool:
    return (word.title or word.caps) and word.among(_SURNAMES, _SURNAMES_ASCII)


def _is_name_word(word: _Word, following: _Word | None, *, caps: bool, inside: bool) -> bool:
    """A capitalised word that can be part of a name (all capitals too when ``caps``)."""
    if not (word.title or (caps and word.caps)):
        return False
    if word.caps and word.folded in _ACRONYMS:
        return False
    if word.among(_NOT_NAMES, _NOT_NAMES_ASCII) or word.folded in _BRANDS:
        return False
    if word.among(_NAME_ENDS, _NAME_ENDS_ASCII) or _is_label(word):
        return False
    # An honorific starts a name, it is not one; inside a name it is a given name ("Nguyễn
    # Thị Bé", "Lê Văn Út").
    if not inside and _is_honorific(word):
        return False
    return not (
        following is not None
        and following.small
        and (word.folded, following.folded) in _TITLE_PHRASES
    )


def _people(text: str) -> list[tuple[int, int]]:
    """Spans of the names found by the honorific, label and surname rules."""
    words = [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        word = words[i]
        if _is_label(word) or _is_honorific(word):
            start = _skip_fillers(text, words, i)
            label = _is_label(word) or start > i + 1
            end = start
            if start < len(words) and _adjacent(text, words[start - 1], words[start], _LABEL_GAP):
                end = _name_run(text, words, start, caps=label)
            if end > start and not _public_name(words, start, end, after=word):
                spans.append((words[start].start, words[end - 1].end))
                i = end
                continue
        elif _is_place(word):
            i = _after_place_name(text, words, i + 1)
            continue
        elif _is_surname(word):
            end = _name_run(text, words, i, caps=word.caps)
            if _public_name(words, i, end):
                i = end
                continue
            if end - i >= 2 and not _common_pair(word, words[i + 1]):
                spans.append((word.start, words[end - 1].end))
                i = end
                continue
        i += 1
    return spans


def _skip_fillers(text: str, words: list[_Word], i: int) -> int:
    """Where the name may start after the honorific or label at ``i``: past "tôi", "của",
    "là", "tên" and a colon ("con tôi là Khoa", "họ tên: Khoa")."""
    at = i + 1
    while (
        at < len(words)
        and at - i <= MAX_FILLERS
        and words[at].small
        and words[at].folded in _FILLERS
        and _adjacent(text, words[at - 1], words[at], _LABEL_GAP)
    ):
        at += 1
    return at


def _adjacent(text: str, left: _Word, right: _Word, gap: re.Pattern[str] | None = None) -> bool:
    """Only spaces between the two words (or ``gap``: a colon after a label)."""
    return bool((gap or _SPACE_GAP).fullmatch(text[left.end : right.start]))


def _name_run(text: str, words: list[_Word], start: int, *, caps: bool) -> int:
    """The end (exclusive) of the run of name words starting at ``start`` and joined by
    spaces; ``start`` when there is none."""
    end = start
    while end < len(words) and end - start < MAX_NAME_WORDS:
        if end > start and not _adjacent(text, words[end - 1], words[end]):
            break
        following = words[end + 1] if end + 1 < len(words) else None
        if following is not None and not _adjacent(text, words[end], following):
            following = None
        if not _is_name_word(words[end], following, caps=caps, inside=end > start):
            break
        end += 1
    return end


def _after_place_name(text: str, words: list[_Word], start: int) -> int:
    """Past the capitalised (or all-caps) words naming a place or agency: "Phường Cao
    Lãnh", "UBND xã Tân Hồng", "Trường THPT Nguyễn Đình Chiểu"."""
    end = start
    while end < len(words) and _adjacent(text, words[end - 1], words[end]):
        word = words[end]
        if not (word.title or word.caps or _is_place(word)):
            break
        end += 1
    return end


def _common_pair(surname: _Word, following: _Word) -> bool:
    if (surname.lower, following.lower) in _COMMON_PAIRS:
        return True
    return (
        surname.plain
        and following.plain
        and (surname.folded, following.folded) in _COMMON_PAIRS_ASCII
    )


def _public_name(words: list[_Word], start: int, end: int, *, after: _Word | None = None) -> bool:
    run = tuple(w.folded for w in words[start:end])
    if after is not None and after.folded == "bac" and run == ("ho",):
        return True
    return any(run[: len(name)] == name for name in _PUBLIC_NAMES)


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out += [text[at:start], HIDDEN]
        at = end
    out.append(text[at:])
    return "".join(out)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


def _fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one, so a match's position in the
    folded text is its position in the text."""
    return "".join(_fold_char(ch) for ch in text)


def _unaccent(text: str) -> str:
    """Without diacritics, case kept: "Lê Văn Tám" → "Le Van Tam"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
