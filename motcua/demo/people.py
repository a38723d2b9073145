"""Who works in the demo province and who uses its portal.

Staff sit at every desk a dossier can reach: the provincial centre, the post office, each
demo commune's centre (a receptionist) and its people's committee (a specialist and a
leader, who take the commune procedures, so an online birth registration at a commune has
someone to receive, appraise and approve it), and the provincial departments that carry the
most dossiers. Citizens have portal accounts with a verified phone, a verified email and an
ID number taken as verified, as if they had signed in once with VNeID.

Every row is an upsert by a natural key (username; a citizen's phone), so ``seed_demo`` can
run again and changes nothing. The demo password is hashed once per run: hashing it for
each of thirty accounts would cost ten seconds of every ``make run``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from motcua.accounts.actions import new_username
from motcua.accounts.models import CitizenProfile
from motcua.core.text import fold
from motcua.org.models import Agency, Desk, Membership, Role

DEMO_PASSWORD = "motcua-demo-2026"  # noqa: S105 - printed for the demo, refused in production
CITIZEN_SIGNIN = "/tai-khoan/dang-nhap/"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    agency_key: str
    desk: str | None = None  # "centre", "post_office" or None


@dataclass(frozen=True)
class Login:
    """One line of the demo logins ``seed_demo`` prints."""

    login: str
    password: str
    role: str
    place: str


# One per role at the provincial level; the usernames the README and the tests name.
DEMO_USERS = (
    DemoUser("tiepnhan", "Nguyễn Thị Bình", Role.RECEPTIONIST, "centre", "centre"),
    DemoUser("chuyenvien", "Trần Văn Chí", Role.SPECIALIST, "tuphap"),
    DemoUser("lanhdao", "Lê Minh Dũng", Role.LEADER, "tuphap"),
    DemoUser("tongdai", "Phạm Thu Hà", Role.HOTLINE_OPERATOR, "centre"),
    DemoUser("buudien", "Võ Văn Khoa", Role.POSTAL_OFFICER, "buudien", "post_office"),
    DemoUser("quantri", "Đặng Quốc Anh", Role.ADMINISTRATOR, "vp"),
    DemoUser("thanhtra", "Huỳnh Thị Lan", Role.INSPECTOR, "thanhtra"),
)

# The provincial agencies that decide the most dossiers, beyond Justice above: land and
# environment, construction and transport, business registration, home affairs, and the
# people's committee (which decides what no department claims). The agency's key (the
# usernames' suffix), then the specialist's and the leader's names.
DEPARTMENT_STAFF: dict[str, tuple[str, str]] = {
    "nnmt": ("Phan Thị Mai", "Nguyễn Hữu Phước"),
    "xaydung": ("Lâm Quốc Bảo", "Trương Thị Hạnh"),
    "taichinh": ("Đỗ Thị Ngọc", "Cao Văn Thành"),
    "noivu": ("Bùi Minh Tâm", "Hồ Thị Thu"),
    "ubnd": ("Dương Thị Yến", "Lý Văn Hùng"),
}

# Per demo commune, in the order seed_demo picks them (and again from the top for more
# communes): receptionist, specialist, leader.
COMMUNE_STAFF = (
    ("Mai Thị Thảo", "Ngô Văn Tài", "Huỳnh Văn Lộc"),
    ("Tô Thị Kim", "Châu Văn Sang", "Lê Thị Hồng"),
    ("Vương Thị Diễm", "Nguyễn Văn Lực", "Đinh Thị Nga"),
    ("Quách Thị Hoa", "Trần Minh Nhựt", "Võ Thị Lệ"),
)
UNIT_KINDS = ("phuong", "xa", "thi tran", "dac khu")  # folded, as commune names start
COMMUNE_ROLES = (
    ("tiepnhan", Role.RECEPTIONIST),
    ("chuyenvien", Role.SPECIALIST),
    ("lanhdao", Role.LEADER),
)


@dataclass(frozen=True)
class DemoCitizen:
    full_name: str
    phone: str
    email: str
    id_number: str  # 087: registered in Đồng Tháp; 4th digit: sex and century; 5–6: year
    born: dt.date
    address: str


DEMO_CITIZENS = (
    DemoCitizen(
        "Nguyễn Văn An",
        "0901000001",
        "nguyenvanan@example.vn",
        "087090001001",
        dt.date(1990, 3, 14),
        "12 Lý Thường Kiệt, phường Cao Lãnh, tỉnh Đồng Tháp",
    ),
    DemoCitizen(
        "Trần Thị Bích",
        "0901000002",
        "tranthibich@example.vn",
        "087195002002",
        dt.date(1995, 7, 2),
        "45 Hùng Vương, phường Sa Đéc, tỉnh Đồng Tháp",
    ),
    DemoCitizen(
        "Lê Hoàng Phúc",
        "0901000003",
        "lehoangphuc@example.vn",
        "082082003003",
        dt.date(1982, 11, 20),
        "8 Ấp Bắc, phường Mỹ Tho, tỉnh Đồng Tháp",
    ),
    DemoCitizen(
        "Phạm Thị Cẩm Tú",
        "0901000004",
        "phamthicamtu@example.vn",
        "087301004004",
        dt.date(2001, 5, 9),
        "Ấp Gò Bói, xã Tân Hồng, tỉnh Đồng Tháp",
    ),
)


def commune_slug(commune_name: str) -> str:
    """The part of a commune's name usernames carry: Phường Cao Lãnh → caolanh."""
    words = fold(commune_name)
    for kind in UNIT_KINDS:
        if words.startswith(f"{kind} "):
            words = words[len(kind) + 1 :]
            break
    return words.replace(" ", "")


def all_staff(
    agencies: dict[str, Agency], desks: dict[str, Desk], commune_desks: list[Desk]
) -> list[tuple[DemoUser, Agency, Desk | None]]:
    """Every demo officer with their agency and the desk they receive at, if any;
    ``desks`` by key ("centre", "post_office")."""
    staff = [
        (spec, agencies[spec.agency_key], desks[spec.desk] if spec.desk else None)
        for spec in DEMO_USERS
    ]
    for key, (specialist, leader) in DEPARTMENT_STAFF.items():
        for prefix, role, name in (
            ("chuyenvien", Role.SPECIALIST, specialist),
            ("lanhdao", Role.LEADER, leader),
        ):
            staff.append((DemoUser(f"{prefix}.{key}", name, role, key), agencies[key], None))
    for index, desk in enumerate(commune_desks):
        names = COMMUNE_STAFF[index % len(COMMUNE_STAFF)]
        slug = commune_slug(desk.unit.name)
        for (prefix, role), name in zip(COMMUNE_ROLES, names, strict=True):
            user = DemoUser(f"{prefix}.{slug}", name, role, slug)
            staff.append((user, desk.agency, desk if role == Role.RECEPTIONIST else None))
    return staff


def seed_staff(
    agencies: dict[str, Agency], desks: dict[str, Desk], commune_desks: list[Desk]
) -> tuple[int, list[Login]]:
    """Upsert the demo officers and their roles."""
    hashed = make_password(DEMO_PASSWORD)
    users = get_user_model().objects
    created_count, logins = 0, []
    for spec, agency, desk in all_staff(agencies, desks, commune_desks):
        user = users.filter(username=spec.username).first()
        if user is None:
            user = users.create(
                username=spec.username,
                password=hashed,
                # Vietnamese names read family name first; the whole name is one field.
                first_name=spec.full_name,
                is_staff=spec.role == Role.ADMINISTRATOR,
                is_superuser=spec.role == Role.ADMINISTRATOR,
            )
            created_count += 1
        Membership.objects.get_or_create(
            user=user, agency=agency, role=spec.role, defaults={"desk": desk}
        )
        place = desk.name if desk else agency.name
        logins.append(Login(spec.username, DEMO_PASSWORD, str(Role(spec.role).label), place))
    return created_count, logins


def seed_citizens() -> tuple[int, list[Login]]:
    """Upsert the demo citizens by phone; they sign in at the citizen page with it."""
    hashed = make_password(DEMO_PASSWORD)
    created_count, logins = 0, []
    for citizen in DEMO_CITIZENS:
        profile = CitizenProfile.objects.filter(phone=citizen.phone).first()
        if profile is None:
            user: Any = get_user_model().objects.create(
                username=new_username(), password=hashed, first_name=citizen.full_name
            )
            CitizenProfile.objects.create(
                user=user,
                full_name=citizen.full_name,
                phone=citizen.phone,
                verified_phone=True,
                email=citizen.email,
                verified_email=True,
                id_number=citizen.id_number,
                # As VNeID would assert it: the portal then shows the dossiers a desk
                # received under this number too.
                id_verified=True,
                date_of_birth=citizen.born,
                address=citizen.address,
            )
            created_count += 1
        logins.append(Login(citizen.phone, DEMO_PASSWORD, _("Công dân"), CITIZEN_SIGNIN))
    return created_count, logins
