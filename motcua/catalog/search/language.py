"""Vietnamese query language the ranking needs to know (all accent-free, lower-case).

``FILLER``: words of a question that say nothing about which procedure is meant ("tôi muốn
làm … thì cần giấy tờ gì"). ``NAME_NOISE``: words that open many procedure names and say
nothing either ("Thủ tục …"). ``INITIALS`` / ``FINALS``: the spelling confusions of spoken
Vietnamese that typing carries over (northern ch/tr, s/x, d/gi/r, l/n; southern n/ng, t/c final
consonants; i/y), used to repair a syllable that makes no word with its neighbour.
"""

from __future__ import annotations

from typing import Final

FILLER: Final[frozenset[str]] = frozenset(
    {
        "thu tuc",
        "lam",
        "lam sao",
        "xin",
        "toi",
        "minh",
        "em",
        "muon",
        "gi",
        "nao",
        "the nao",
        "nhu the nao",
        "o dau",
        "bao lau",
        "bao nhieu",
        "phai",
        "la",
        "a",
        "nhe",
        "oi",
        "duoc",
        "duoc khong",
        "nhung",
        "cac",
        "cua",
        "va",
        "giup",
        "huong dan",
        "ho so",
        "can nhung gi",
        "can gi",
        "can lam gi",
        "ve",
    }
)

NAME_NOISE: Final[frozenset[str]] = frozenset({"thu tuc"})

# Words that tie a procedure's name to a special case of a more common procedure: again
# ("cấp lại"), changing or ending what exists ("cấp đổi", "gia hạn", "chấm dứt"), foreign
# elements, mobile registration, a combined or joint procedure, diplomatic immunity, a lost
# document. A procedure named with one is ranked after the plain one unless the
# query asks for it (its syllables are in the query). Written with diacritics: "lại" is not
# "lái" (xe).
VARIANTS: Final[tuple[str, ...]] = (
    "lại",
    "cấp đổi",
    "thay đổi",
    "điều chỉnh",
    "gia hạn",
    "dừng",
    "tạm ngừng",
    "chấm dứt",
    "giải thể",
    "xóa",
    "thu hồi",
    "hủy",
    "đính chính",
    "hiệu đính",
    "bổ sung",
    "cập nhật",
    "nước ngoài",
    "lưu động",
    "kết hợp",
    "liên thông",
    "khu vực biên giới",
    "đã có hồ sơ",
    "miễn trừ",
    "mất",
)

# Where the qualifiers of a procedure's name start: whom it is for, in which case, where.
# What comes before is what the procedure is ("Cấp thẻ căn cước | cho người từ đủ 14 tuổi").
QUALIFIERS: Final[tuple[str, ...]] = ("cho", "doi voi", "truong hop", "khi", "tai")

# Prepositions and conjunctions: they join anything, so they neither identify a procedure nor
# show that a neighbouring syllable is misspelt. They still bind the word after them
# ("cho thuê", "cho phép").
FUNCTION_WORDS: Final[frozenset[str]] = frozenset(
    {"cho", "cua", "va", "voi", "tai", "trong", "theo", "la", "cac", "nhung", "hoac"}
)

# Interchangeable onsets and rhyme endings, each group one confusion.
INITIALS: Final[tuple[tuple[str, ...], ...]] = (
    ("ch", "tr"),
    ("s", "x"),
    ("d", "gi", "r", "v"),
    ("l", "n"),
    ("c", "k"),
    ("g", "gh"),
    ("ng", "ngh"),
)
FINALS: Final[tuple[tuple[str, ...], ...]] = (
    ("n", "ng"),
    ("t", "c"),
    ("i", "y"),
    ("inh", "in"),
    ("anh", "an"),
)


def sound_alikes(word: str) -> set[str]:
    """Spellings of ``word`` that sound the same or nearly so in some dialect."""
    out: set[str] = set()
    for group in INITIALS:
        for onset in sorted(group, key=len, reverse=True):
            if word.startswith(onset) and len(word) > len(onset):
                out.update(other + word[len(onset) :] for other in group if other != onset)
                break
    for group in FINALS:
        for ending in sorted(group, key=len, reverse=True):
            if word.endswith(ending) and len(word) > len(ending):
                out.update(word[: -len(ending)] + other for other in group if other != ending)
                break
    out.discard(word)
    return out
