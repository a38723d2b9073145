"""The staff home's menu: each officer sees the back-office pages their roles open, and no
others (docs/security.md "Nobody sees or changes what is not theirs").

Each page's own door decides who gets in (``dossiers/views``, ``hotline/console``,
``reports``, ``reform``); this module, below them all, says the same thing by role so the
home page can be drawn without importing them. ``motcua/org/tests/test_staff_menu.py`` signs
in with every role and checks that the two agree: every link shown opens, every page left
out does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Membership, Role

EVERY_ROLE = frozenset(Role.values)
RECEIVING_ROLES = frozenset({Role.RECEPTIONIST, Role.POSTAL_OFFICER})


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str] = EVERY_ROLE
    # Opens only with one of ``roles`` held at an active desk (reception).
    at_desk: bool = False

    def opens_for(self, memberships: Iterable[Membership]) -> bool:
        return any(
            m.role in self.roles and (not self.at_desk or (m.desk is not None and m.desk.active))
            for m in memberships
        )


STAFF_MENU = (
    MenuItem("dossiers:worklist", _("Danh sách hồ sơ")),
    MenuItem("dossiers:reception", _("Tiếp nhận hồ sơ"), RECEIVING_ROLES, at_desk=True),
    MenuItem("dossiers:search", _("Tìm hồ sơ")),
    MenuItem("queue:desks", _("Gọi số thứ tự"), RECEIVING_ROLES, at_desk=True),
    # The public postal service (docs/postal.md): the post office's pickups, and the
    # hand-overs between the post office and the desks that receive them.
    MenuItem("postal:orders", _("Thu gom hồ sơ (bưu điện)"), frozenset({Role.POSTAL_OFFICER})),
    MenuItem(
        "postal:handovers",
        _("Biên bản bàn giao hồ sơ qua bưu điện"),
        frozenset({Role.POSTAL_OFFICER, Role.RECEPTIONIST}),
    ),
    MenuItem(
        "hotline_console:queue",
        _("Phản ánh, kiến nghị (Tổng đài 1022)"),
        # Operators, inspectors and administrators read every ticket; an agency's staff
        # answer the tickets routed to it. The post office answers none.
        EVERY_ROLE - {Role.POSTAL_OFFICER},
    ),
    MenuItem(
        "hotline_console:call", _("Ghi nhận cuộc gọi 1022"), frozenset({Role.HOTLINE_OPERATOR})
    ),
    MenuItem(
        "postal_register:find",
        _("Dịch vụ bưu chính công ích"),
        frozenset({Role.RECEPTIONIST, Role.HOTLINE_OPERATOR, Role.POSTAL_OFFICER}),
    ),
    # Home visits (docs/appointments.md): who visits publishes; the 1022 operator and the
    # desk book for citizens; every officer has a day list and a calendar feed.
    MenuItem(
        "appointments:publish",
        _("Công bố lịch hẹn tại nhà"),
        frozenset({Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER}),
    ),
    MenuItem(
        "appointments:book",
        _("Đặt lịch hẹn tại nhà cho người dân"),
        frozenset({Role.RECEPTIONIST, Role.HOTLINE_OPERATOR}),
    ),
    MenuItem("appointments:day", _("Lịch đến nhà trong ngày")),
    MenuItem("appointments:feed", _("Lịch iCalendar của tôi")),
    MenuItem("reform:sessions", _("Đối thoại doanh nghiệp")),
    # Simplification reviews (docs/reform.md): agencies draft, the province's office and
    # readers see every proposal.
    MenuItem(
        "review:cycles",
        _("Rà soát, đơn giản hóa thủ tục hành chính"),
        frozenset({Role.SPECIALIST, Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR}),
    ),
    MenuItem(
        "report-on-time",
        _("Tỷ lệ giải quyết đúng hạn theo cơ quan"),
        frozenset({Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR}),
    ),
    MenuItem(
        "report-postal",
        _("Báo cáo dịch vụ bưu chính công ích"),
        frozenset({Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR}),
    ),
    MenuItem(
        "time_reports:page",
        _("Thời gian xử lý hồ sơ: điểm nghẽn"),
        frozenset({Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR}),
    ),
    MenuItem(
        "hotline_reports:stats",
        _("Thống kê Tổng đài 1022"),
        frozenset({Role.LEADER, Role.HOTLINE_OPERATOR, Role.INSPECTOR, Role.ADMINISTRATOR}),
    ),
    MenuItem("national-sync", _("Đồng bộ Cổng DVC quốc gia"), frozenset({Role.ADMINISTRATOR})),
    MenuItem("public-lookup-form", _("Tra cứu hồ sơ")),
)


def menu_for(memberships: Iterable[Membership]) -> list[MenuItem]:
    """The items the officer's active ``memberships`` (desks loaded) open, in menu order."""
    held = list(memberships)
    return [item for item in STAFF_MENU if item.opens_for(held)]
