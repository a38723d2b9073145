"""Plausible people for simulated dossiers and hotline contacts: Vietnamese names, valid
personal ID numbers and mobile numbers (docs/decisions/identifiers.md), and firms.

Everything is drawn from the ``random.Random`` passed in, so a seed gives the same people.
The numbers follow the rules of ``core/id_numbers.py`` and ``core/phones.py`` (the tests
check them against those rules), but they are random: none is meant to be anyone's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

# The commonest family names (Nguyễn alone is about four in ten), by rough frequency.
FAMILY_NAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Huỳnh", 5),
    ("Hoàng", 3),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Võ", 3),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Trương", 0.6),
    ("Đinh", 0.5),
    ("Mai", 0.4),
    ("Lâm", 0.4),
)
MIDDLE_MALE = ("Văn", "Minh", "Hoàng", "Quốc", "Đức", "Thanh", "Hữu", "Công", "Ngọc", "Gia")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thanh", "Thu", "Kim", "Minh", "Mỹ", "Bảo", "Hồng", "Khánh")
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khang",
    "Khoa", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phát", "Phong", "Phúc", "Quang", "Sơn",
    "Tài", "Tâm", "Thắng", "Thành", "Thiện", "Toàn", "Trí", "Trung", "Tuấn", "Việt",
)  # fmt: skip
GIVEN_FEMALE = (
    "Anh", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh",
    "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trinh", "Tuyết", "Vân", "Yến",
)  # fmt: skip
FIRM_KINDS = ("Công ty TNHH", "Công ty cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã")
FIRM_TRADES = (
    "Thương mại Dịch vụ", "Xây dựng", "Nông sản", "Thủy sản", "Vận tải", "Du lịch",
    "Cơ khí", "Lúa gạo", "Vật liệu xây dựng", "Công nghệ",
)  # fmt: skip
FIRM_NAMES = (
    "Mekong", "Sen Hồng", "Phú Thịnh", "Tân Phát", "Hưng Thịnh", "Đồng Tiến", "Minh Long",
    "Cửu Long", "An Phú", "Thành Công", "Tháp Mười", "Sa Giang",
)  # fmt: skip
STREETS = (
    "Nguyễn Huệ", "Lý Thường Kiệt", "Trần Hưng Đạo", "Hùng Vương", "Nguyễn Trãi",
    "Lê Lợi", "Điện Biên Phủ", "Phạm Hữu Lầu", "Tôn Đức Thắng", "Nguyễn Sinh Sắc",
)  # fmt: skip
# Mobile prefixes of the national numbering plan (core/phones.py), weighted roughly by the
# networks' shares.
MOBILE_PREFIXES = (
    ("09", 30), ("03", 35), ("08", 20), ("07", 12), ("05", 3),
)  # fmt: skip
_MOBILE_THIRD = {
    "09": "0123456789",
    "03": "23456789",
    "08": "123456789",
    "07": "06789",
    "05": "25689",
}


@dataclass(frozen=True)
class Person:
    """A simulated applicant or caller."""

    name: str
    born: dt.date
    female: bool
    id_number: str  # 12 digits (core/id_numbers.py)
    phone: str  # a mobile number in national form (core/phones.py)
    address: str


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _w in table], weights=[w for _v, w in table])[0]


def full_name(rng: random.Random, *, female: bool) -> str:
    family = _weighted(rng, FAMILY_NAMES)
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{family} {middle} {given}"


def id_number(rng: random.Random, *, province_code: str, born: dt.date, female: bool) -> str:
    """A personal ID number of the Thông tư 07/2016/TT-BCA shape: the birth province, sex
    and century, the year's last two digits, six random digits."""
    century = (born.year - 1900) // 100
    sex_century = 2 * century + (1 if female else 0)
    return f"{province_code}{sex_century}{born.year % 100:02d}{rng.randrange(10**6):06d}"


def mobile(rng: random.Random) -> str:
    prefix = _weighted(rng, MOBILE_PREFIXES)
    third = rng.choice(_MOBILE_THIRD[prefix])
    return f"{prefix}{third}{rng.randrange(10**7):07d}"


def person(
    rng: random.Random, *, on: dt.date, province_code: str, communes: tuple[str, ...]
) -> Person:
    """An adult (18 to 80 on ``on``) living in one of ``communes`` (their names)."""
    female = rng.random() < 0.5
    age_days = rng.randrange(18 * 365 + 5, 80 * 365)
    born = on - dt.timedelta(days=age_days)
    place = rng.choice(communes) if communes else ""
    street = f"Số {rng.randrange(1, 300)} {rng.choice(STREETS)}"
    return Person(
        name=full_name(rng, female=female),
        born=born,
        female=female,
        id_number=id_number(rng, province_code=province_code, born=born, female=female),
        phone=mobile(rng),
        address=f"{street}, {place}".strip(", "),
    )


def firm_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRM_KINDS)} {rng.choice(FIRM_TRADES)} {rng.choice(FIRM_NAMES)}"
