"""The province's demo request types (Open311 services): what a citizen can report from an
app or the portal, with the agency that usually handles each.

``ensure_demo_categories`` creates or updates them by code, so the demo seed can run it any
number of times; agencies and sectors are found by name and left empty when the demo data
lacks them (the ticket then waits in the 1022 queue for an operator to route it).
"""

from __future__ import annotations

from typing import TypedDict

from django.db import transaction

from motcua.catalog.models import Sector
from motcua.hotline.models import TicketCategory
from motcua.hotline.status import TicketKind
from motcua.org.models import Agency


class CategoryData(TypedDict):
    code: str
    name: str
    description: str
    group: str
    keywords: str
    kind: str
    agency: str  # Agency.name, "" for none
    sector: str  # Sector.name, "" for none
    needs_location: bool


DEMO_CATEGORIES: list[CategoryData] = [
    {
        "code": "duong-hu-hong",
        "name": "Đường, cầu hư hỏng",
        "description": "Ổ gà, sụt lún, nứt mặt đường, cầu yếu, hư hỏng vỉa hè.",
        "group": "Giao thông, hạ tầng",
        "keywords": "ổ gà, sụt lún, mặt đường, cầu, vỉa hè",
        "kind": TicketKind.FEEDBACK,
        "agency": "Sở Xây dựng",
        "sector": "Hạ tầng kỹ thuật",
        "needs_location": True,
    },
    {
        "code": "den-chieu-sang",
        "name": "Đèn chiếu sáng công cộng hỏng",
        "description": "Đèn đường không sáng, sáng ban ngày, cột đèn nghiêng đổ, hở điện.",
        "group": "Giao thông, hạ tầng",
        "keywords": "đèn đường, chiếu sáng, cột điện, hở điện",
        "kind": TicketKind.FEEDBACK,
        "agency": "Sở Xây dựng",
        "sector": "Hạ tầng kỹ thuật",
        "needs_location": True,
    },
    {
        "code": "ngap-ung-thoat-nuoc",
        "name": "Ngập úng, cống thoát nước",
        "description": "Ngập sau mưa, triều cường, cống nghẹt, nắp cống mất hoặc vỡ.",
        "group": "Giao thông, hạ tầng",
        "keywords": "ngập, triều cường, cống, thoát nước, nắp cống",
        "kind": TicketKind.FEEDBACK,
        "agency": "Sở Xây dựng",
        "sector": "Hạ tầng kỹ thuật",
        "needs_location": True,
    },
    {
        "code": "sat-lo-bo-song",
        "name": "Sạt lở bờ sông, kênh rạch",
        "description": "Vết nứt, sạt lở bờ sông, đê bao, kè; nguy cơ mất an toàn nhà ở ven sông.",
        "group": "Phòng chống thiên tai",
        "keywords": "sạt lở, bờ sông, đê bao, kè, kênh rạch",
        "kind": TicketKind.FEEDBACK,
        "agency": "Sở Nông nghiệp và Môi trường",
        "sector": "Quản lý Đê điều và Phòng, chống thiên tai",
        "needs_location": True,
    },
    {
        "code": "rac-thai-ve-sinh",
        "name": "Rác thải, vệ sinh môi trường",
        "description": "Rác không được thu gom, bãi rác tự phát, xả rác xuống kênh rạch.",
        "group": "Môi trường",
        "keywords": "rác, thu gom, bãi rác, vệ sinh",
        "kind": TicketKind.FEEDBACK,
        "agency": "Sở Nông nghiệp và Môi trường",
        "sector": "Môi trường",
        "needs_location": True,
    },
    {
        "code": "o-nhiem-moi-truong",
        "name": "Ô nhiễm khói, bụi, mùi, nước thải",
        "description": "Cơ sở sản xuất, chăn nuôi gây ô nhiễm không khí, nguồn nước.",
        "group": "Môi trường",
        "keywords": "ô nhiễm, khói, bụi, mùi hôi, nước thải",
        "kind": TicketKind.FEEDBACK,
        "agency": "Sở Nông nghiệp và Môi trường",
        "sector": "Môi trường",
        "needs_location": True,
    },
    {
        "code": "lan-chiem-via-he",
        "name": "Lấn chiếm vỉa hè, lòng đường",
        "description": "Buôn bán, để xe, dựng lều quán lấn chiếm vỉa hè, lòng đường.",
        "group": "Trật tự đô thị",
        "keywords": "lấn chiếm, vỉa hè, lòng đường, buôn bán",
        "kind": TicketKind.FEEDBACK,
        "agency": "",
        "sector": "Bảo đảm trật tự, an toàn giao thông đường bộ",
        "needs_location": True,
    },
    {
        "code": "trat-tu-xay-dung",
        "name": "Xây dựng trái phép, không phép",
        "description": "Công trình xây dựng không phép, sai phép, lấn chiếm đất công.",
        "group": "Trật tự đô thị",
        "keywords": "xây dựng, không phép, sai phép, lấn chiếm đất",
        "kind": TicketKind.FEEDBACK,
        "agency": "Sở Xây dựng",
        "sector": "Hoạt động xây dựng",
        "needs_location": True,
    },
    {
        "code": "an-ninh-trat-tu",
        "name": "An ninh trật tự, tiếng ồn",
        "description": "Gây rối, tụ tập, karaoke gây ồn ban đêm, đua xe (không khẩn cấp; "
        "khẩn cấp gọi 113).",
        "group": "An ninh trật tự",
        "keywords": "gây rối, tiếng ồn, karaoke, đua xe",
        "kind": TicketKind.FEEDBACK,
        "agency": "Công an tỉnh Đồng Tháp",
        "sector": "",
        "needs_location": True,
    },
    {
        "code": "thu-tuc-hanh-chinh",
        "name": "Hỏi đáp thủ tục hành chính",
        "description": "Hỏi về hồ sơ, giấy tờ, lệ phí, thời hạn giải quyết thủ tục hành chính.",
        "group": "Dịch vụ công",
        "keywords": "thủ tục, hồ sơ, lệ phí, giấy tờ",
        "kind": TicketKind.QUESTION,
        "agency": "",
        "sector": "",
        "needs_location": False,
    },
    {
        "code": "thai-do-phuc-vu",
        "name": "Thái độ, tác phong cán bộ",
        "description": "Phản ánh thái độ phục vụ, nhũng nhiễu, gây phiền hà khi giải quyết hồ sơ.",
        "group": "Dịch vụ công",
        "keywords": "thái độ, nhũng nhiễu, phiền hà, cán bộ",
        "kind": TicketKind.FEEDBACK,
        "agency": "Sở Nội vụ",
        "sector": "",
        "needs_location": False,
    },
    {
        "code": "buu-dien-nhan-ho-so",
        "name": "Đề nghị bưu điện nhận hồ sơ tại nhà",
        "description": "Hẹn nhân viên bưu điện đến nhận hồ sơ hoặc trả kết quả tại địa chỉ.",
        "group": "Dịch vụ công",
        "keywords": "bưu điện, nhận hồ sơ, trả kết quả, tại nhà",
        "kind": TicketKind.SERVICE_REQUEST,
        "agency": "Bưu điện tỉnh Đồng Tháp",
        "sector": "",
        "needs_location": True,
    },
]


@transaction.atomic
def ensure_demo_categories() -> list[TicketCategory]:
    """Create or update the demo categories by code (idempotent); returns them in order."""
    agencies = {
        a.name: a for a in Agency.objects.filter(name__in={c["agency"] for c in DEMO_CATEGORIES})
    }
    sectors = {
        s.name: s for s in Sector.objects.filter(name__in={c["sector"] for c in DEMO_CATEGORIES})
    }
    rows = []
    for order, data in enumerate(DEMO_CATEGORIES, start=1):
        category, _created = TicketCategory.objects.update_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "group": data["group"],
                "keywords": data["keywords"],
                "kind": data["kind"],
                "agency": agencies.get(data["agency"]),
                "sector": sectors.get(data["sector"]),
                "needs_location": data["needs_location"],
                "active": True,
                "order": order,
            },
        )
        rows.append(category)
    return rows
