"""The demo province's agencies and how the national catalogue's procedures map onto them.

Identifier codes follow the shape of Decision 20/2020/QĐ-TTg but are plausible, not official.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.core.text import fold
from motcua.org.models import AgencyKind

PROVINCE_SUFFIX = "H20"


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    kind: str
    number: int
    # Folded words that, found in a procedure's agency texts or sector, make it this agency's.
    keywords: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return f"000.00.{self.number:02d}.{PROVINCE_SUFFIX}"


PROVINCIAL_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("ubnd", "Ủy ban nhân dân tỉnh Đồng Tháp", AgencyKind.PEOPLES_COMMITTEE, 0),
    AgencySpec("vp", "Văn phòng Ủy ban nhân dân tỉnh", AgencyKind.DEPARTMENT, 1),
    AgencySpec("centre", "Trung tâm Phục vụ hành chính công tỉnh", AgencyKind.SERVICE_CENTRE, 2),
    AgencySpec(
        "haiquan",
        "Chi cục Hải quan khu vực XVI",
        AgencyKind.OTHER,
        30,
        ("hai quan",),
        ("Hải quan",),
    ),
    AgencySpec(
        "thue",
        "Thuế tỉnh Đồng Tháp",
        AgencyKind.TAX,
        31,
        ("thue tinh", "cuc thue", "thue co so", "chi cuc thue"),
        ("Thuế", "Quản lý thuế, phí, lệ phí và thu khác của ngân sách nhà nước"),
    ),
    AgencySpec(
        "nhnn",
        "Ngân hàng Nhà nước Khu vực 15",
        AgencyKind.OTHER,
        32,
        ("ngan hang nha nuoc",),
        (
            "Thành lập và hoạt động ngân hàng",
            "Hoạt động ngoại hối",
            "Hoạt động thanh toán",
            "Hoạt động tiền tệ",
            "Hoạt động kho quỹ",
            "Hoạt động thông tin tín dụng",
            "Hoạt động tín dụng",
        ),
    ),
    AgencySpec(
        "congan",
        "Công an tỉnh Đồng Tháp",
        AgencyKind.POLICE,
        33,
        ("cong an", "canh sat", "xuat nhap canh"),
        (
            "Quản lý xuất nhập cảnh",
            "Cấp, quản lý căn cước",
            "Đăng ký, quản lý cư trú",
            "Quản lý vũ khí, vật liệu nổ, công cụ hỗ trợ và pháo",
            "Phòng cháy, chữa cháy",
            "Định danh và xác thực điện tử",
        ),
    ),
    AgencySpec(
        "bhxh",
        "Bảo hiểm xã hội tỉnh Đồng Tháp",
        AgencyKind.SOCIAL_INSURANCE,
        34,
        ("bao hiem xa hoi",),
    ),
    AgencySpec("khobac", "Kho bạc Nhà nước Khu vực XIX", AgencyKind.OTHER, 35, ("kho bac",)),
    AgencySpec(
        "thads", "Thi hành án dân sự tỉnh Đồng Tháp", AgencyKind.OTHER, 36, ("thi hanh an",)
    ),
    AgencySpec(
        "kcn",
        "Ban Quản lý các khu công nghiệp tỉnh",
        AgencyKind.DEPARTMENT,
        20,
        ("khu cong nghiep",),
    ),
    AgencySpec(
        "tuphap",
        "Sở Tư pháp",
        AgencyKind.DEPARTMENT,
        10,
        ("so tu phap",),
        (
            "Hộ tịch",
            "Công chứng",
            "Luật sư",
            "Chứng thực",
            "Thừa phát lại",
            "Trợ giúp pháp lý",
            "Giám định tư pháp",
            "Đấu giá tài sản",
            "Nuôi con nuôi",
            "Quốc tịch",
            "Lý lịch tư pháp",
            "Trọng tài thương mại",
            "Hòa giải thương mại",
            "Quản tài viên",
            "Tư vấn pháp luật",
            "Bồi thường nhà nước",
            "Đăng ký biện pháp bảo đảm",
            "Hòa giải ở cơ sở",
        ),
    ),
    AgencySpec(
        "xaydung",
        "Sở Xây dựng",
        AgencyKind.DEPARTMENT,
        11,
        ("so xay dung", "giao thong"),
        (
            "Nhà ở và công sở",
            "Hoạt động xây dựng",
            "Đường bộ",
            "Hàng hải và đường thủy nội địa",
            "Đường sắt",
            "Đăng kiểm",
            "Sát hạch, cấp giấy phép lái xe",
            "Kinh doanh bất động sản",
            "Hạ tầng kỹ thuật",
            "Kiến trúc",
            "Quy hoạch đô thị và nông thôn",
            "Vật liệu xây dựng",
            "Phát triển đô thị",
            "Quản lý chất lượng công trình xây dựng",
        ),
    ),
    AgencySpec(
        "nnmt",
        "Sở Nông nghiệp và Môi trường",
        AgencyKind.DEPARTMENT,
        12,
        ("nong nghiep va moi truong", "dang ky dat dai", "kiem lam", "thuy san"),
        (
            "Đất đai",
            "Địa chất và khoáng sản",
            "Thủy lợi",
            "Thủy sản",
            "Thú y",
            "Lâm nghiệp",
            "Tài nguyên nước",
            "Trồng trọt và Bảo vệ thực vật",
            "Nông nghiệp",
            "Kiểm lâm",
            "Chăn nuôi",
            "Biển và hải đảo",
            "Trồng trọt",
            "Quản lý chất lượng nông lâm sản và thủy sản",
            "Bảo tồn thiên nhiên và Đa dạng sinh học",
            "Kinh tế hợp tác và Phát triển nông thôn",
            "Giảm nghèo",
            "Biến đổi khí hậu",
            "Môi trường",
            "Khí tượng, thủy văn",
            "Quản lý Đê điều và Phòng, chống thiên tai",
            "Đo đạc, bản đồ và thông tin địa lý",
            "Đầu tư vào nông nghiệp, nông thôn",
        ),
    ),
    AgencySpec(
        "taichinh",
        "Sở Tài chính",
        AgencyKind.DEPARTMENT,
        13,
        ("so tai chinh",),
        (
            "Thành lập và hoạt động của doanh nghiệp",
            "Đầu tư tại Việt nam",
            "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã",
            "Quản lý công sản",
            "Hỗ trợ doanh nghiệp nhỏ và vừa",
            "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
            "Tài chính đất đai",
            "Tài chính doanh nghiệp",
            "Quản lý giá",
            "Đầu tư theo phương thức đối tác công tư",
            "Đấu thầu",
        ),
    ),
    AgencySpec(
        "noivu",
        "Sở Nội vụ",
        AgencyKind.DEPARTMENT,
        14,
        ("so noi vu",),
        ("Người có công", "Tổ chức, cán bộ", "Kiểm định kỹ thuật an toàn lao động"),
    ),
    AgencySpec("thanhtra", "Thanh tra tỉnh", AgencyKind.DEPARTMENT, 15, ("thanh tra",)),
    AgencySpec("buudien", "Bưu điện tỉnh Đồng Tháp", AgencyKind.POST_OFFICE, 40),
)

# Agencies consulted in this order: vertical agencies and named departments before the
# people's committee, which takes what no one else claims.
_MATCH_ORDER = [spec for spec in PROVINCIAL_AGENCIES if spec.keywords or spec.sectors]


def competent_agency_key(*, sector: str, agency_texts: str) -> str:
    """Which provincial agency handles a procedure, from its sector and its published
    competent/implementing agency texts; ``ubnd`` when nothing more specific matches."""
    texts = fold(agency_texts)
    for spec in _MATCH_ORDER:
        if any(word in texts for word in spec.keywords):
            return spec.key
    for spec in _MATCH_ORDER:
        if sector in spec.sectors:
            return spec.key
    return "ubnd"
