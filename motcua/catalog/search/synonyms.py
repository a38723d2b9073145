"""How citizens say it → how the national catalogue says it.

Each key is a phrase people type (matched with or without diacritics, longest first); its value
lists the catalogue's wordings for the same thing, any of which may match (a procedure scores
by the best one). Where the everyday word is also the catalogue's, it is listed too. Entries
are domain knowledge about Vietnamese administrative language, not about particular queries:
add one when citizens use a word the catalogue does not.
"""

from __future__ import annotations

from typing import Final

COLLOQUIAL: Final[dict[str, tuple[str, ...]]] = {
    # --- Land and housing -----------------------------------------------------------------
    # "Sổ đỏ" / "bìa đỏ": the red-cover land-use right certificate (Giấy chứng nhận QSDĐ).
    "sổ đỏ": ("giấy chứng nhận quyền sử dụng đất",),
    "bìa đỏ": ("giấy chứng nhận quyền sử dụng đất",),
    # "Sổ hồng": the pink-cover certificate of house ownership and land use.
    "sổ hồng": (
        "giấy chứng nhận quyền sở hữu nhà ở",
        "giấy chứng nhận quyền sử dụng đất",
    ),
    # "Sổ đất": plain "land book", the same certificate.
    "sổ đất": ("giấy chứng nhận quyền sử dụng đất",),
    # "Tách sổ": splitting a plot so each part gets its own certificate.
    "tách sổ": ("tách thửa",),
    # "Sang tên": transferring a title (land, house, vehicle) to a new owner.
    # For land and houses the registry calls it "đăng ký biến động" (registering a change).
    "sang tên": ("sang tên", "chuyển nhượng", "thay đổi chủ", "đăng ký biến động"),
    # A mortgage is registered as a security measure (biện pháp bảo đảm).
    "thế chấp": ("thế chấp", "biện pháp bảo đảm"),
    # "Giải chấp": lifting a mortgage.
    "giải chấp": ("xóa đăng ký biện pháp bảo đảm",),
    # "Đất thổ cư": residential land in the law's words.
    "thổ cư": ("đất ở",),
    # "Chuyển đất" / "lên thổ cư": changing what a plot may be used for.
    "chuyển đất": ("chuyển mục đích sử dụng đất",),
    "lên thổ cư": ("chuyển mục đích sử dụng đất",),
    # "Xây nhà" / "sửa nhà": a building permit for a private house.
    "xây nhà": ("xây dựng nhà ở riêng lẻ",),
    "sửa nhà": ("sửa chữa cải tạo nhà ở riêng lẻ",),
    # "Xin phép": to apply for a permit.
    "xin phép": ("cấp giấy phép",),
    # --- Residence ------------------------------------------------------------------------
    # The household book was abolished (Luật Cư trú 2020); it is now permanent residence.
    "hộ khẩu": ("thường trú",),
    "sổ hộ khẩu": ("thường trú",),
    # Registering into, moving or taking one's name off a household.
    "nhập hộ khẩu": ("đăng ký thường trú",),
    "nhập khẩu về": ("đăng ký thường trú",),
    "chuyển hộ khẩu": ("đăng ký thường trú",),
    "chuyển khẩu": ("đăng ký thường trú",),
    "cắt khẩu": ("xóa đăng ký thường trú",),
    "cắt hộ khẩu": ("xóa đăng ký thường trú",),
    "xóa hộ khẩu": ("xóa đăng ký thường trú",),
    "tách hộ khẩu": ("tách hộ",),
    "tách khẩu": ("tách hộ",),
    # KT3: the old temporary-residence book; "sổ tạm trú" likewise.
    "kt3": ("đăng ký tạm trú",),
    "sổ tạm trú": ("đăng ký tạm trú",),
    # CT07 / CT08: the forms confirming residence information.
    "ct07": ("xác nhận thông tin về cư trú",),
    "ct08": ("xác nhận thông tin về cư trú",),
    # --- Errors in issued papers ----------------------------------------------------------
    # A wrong detail is corrected by "đính chính" (certificates) or "cải chính" (civil status).
    "bị sai": ("sai sót", "đính chính", "cải chính"),
    "sai thông tin": ("sai sót", "đính chính", "cải chính"),
    # --- Identity -------------------------------------------------------------------------
    # CCCD: the citizen identity card, called "thẻ căn cước" since Luật Căn cước 2023.
    "cccd": ("thẻ căn cước", "căn cước"),
    "căn cước công dân": ("thẻ căn cước", "căn cước"),
    # CMND / CMT / "chứng minh thư": the identity card that căn cước replaced.
    "cmnd": ("căn cước", "chứng minh nhân dân"),
    "cmt": ("căn cước", "chứng minh nhân dân"),
    "chứng minh thư": ("căn cước", "chứng minh nhân dân"),
    "chứng minh nhân dân": ("chứng minh nhân dân", "căn cước"),
    # VNeID and "định danh mức 2": the electronic identification account.
    "vneid": ("định danh điện tử", "căn cước điện tử"),
    "định danh mức 2": ("định danh điện tử mức độ 2",),
    # "Passport".
    "passport": ("hộ chiếu",),
    # "Làm lại": to get a document re-issued.
    "làm lại": ("cấp lại",),
    # --- Civil status ---------------------------------------------------------------------
    # "Báo tử" / "giấy chứng tử": registering a death and its extract.
    "báo tử": ("khai tử",),
    "chứng tử": ("khai tử", "trích lục khai tử"),
    # "Độc thân": proof of being unmarried is the marital status certificate.
    "độc thân": ("tình trạng hôn nhân",),
    # Getting married.
    "cưới": ("kết hôn",),
    "lấy vợ": ("kết hôn",),
    "lấy chồng": ("kết hôn",),
    # Children: "người dưới 14 tuổi" for identity cards, "trẻ em" elsewhere.
    "trẻ em": ("trẻ em", "dưới 14 tuổi"),
    "em bé": ("trẻ em", "dưới 14 tuổi"),
    # "Nhận con nuôi": adopting is "nuôi con nuôi" in the law's words.
    "nhận con nuôi": ("nuôi con nuôi",),
    # Correcting a name or details in the civil-status register.
    "sửa tên": ("thay đổi cải chính hộ tịch",),
    "đổi tên cho con": ("thay đổi cải chính hộ tịch",),
    "sửa giấy khai sinh": ("cải chính hộ tịch",),
    # --- Certification --------------------------------------------------------------------
    # "Sao y" / "photo công chứng": certified copies are made by chứng thực.
    "sao y": ("chứng thực bản sao",),
    "photo công chứng": ("chứng thực bản sao",),
    # People say "công chứng" for the commune's chứng thực too.
    "công chứng": ("công chứng", "chứng thực"),
    # A contract is a "giao dịch" (civil transaction) in the certification procedures.
    "hợp đồng": ("hợp đồng", "giao dịch"),
    # Inheritance is "di sản" (estate) in the certification procedures.
    "thừa kế": ("thừa kế", "di sản"),
    # --- Business -------------------------------------------------------------------------
    # "Hộ cá thể": a household business.
    "hộ cá thể": ("hộ kinh doanh",),
    "hộ kinh doanh cá thể": ("hộ kinh doanh",),
    "kinh doanh cá thể": ("hộ kinh doanh",),
    # "Giấy phép kinh doanh": the business registration certificate.
    "giấy phép kinh doanh": (
        "giấy chứng nhận đăng ký hộ kinh doanh",
        "giấy chứng nhận đăng ký doanh nghiệp",
        "giấy phép kinh doanh",
    ),
    # Abbreviations of registrations.
    "đkkd": ("đăng ký kinh doanh",),
    "gpkd": ("giấy chứng nhận đăng ký kinh doanh",),
    "mst": ("mã số thuế",),
    "htx": ("hợp tác xã",),
    "dntn": ("doanh nghiệp tư nhân",),
    "tnhh": ("trách nhiệm hữu hạn",),
    # "Công ty": the law's word is "doanh nghiệp".
    "công ty": ("doanh nghiệp", "công ty"),
    # Opening, pausing or closing a business.
    "mở": ("mở", "thành lập"),
    "tạm nghỉ": ("tạm ngừng",),
    "tạm dừng": ("tạm ngừng",),
    "đóng cửa": ("chấm dứt hoạt động", "giải thể"),
    # --- Transport ------------------------------------------------------------------------
    # "Bằng lái": the driving licence.
    "bằng lái": ("giấy phép lái xe",),
    "bằng lái xe": ("giấy phép lái xe",),
    "gplx": ("giấy phép lái xe",),
    # "Cà vẹt" (from French carte grise): the vehicle registration certificate.
    "cà vẹt": ("chứng nhận đăng ký xe",),
    "cavet": ("chứng nhận đăng ký xe",),
    # Motorbikes are "xe" / "mô tô, xe gắn máy" in the catalogue.
    "xe máy": ("xe máy", "xe gắn máy", "xe"),
    # Cars too are "xe" in the registration procedures.
    "ô tô": ("ô tô", "xe"),
    # A vehicle "mới mua" is registered for the first time.
    "mới mua": ("lần đầu",),
    # --- Social insurance -----------------------------------------------------------------
    "bhxh": ("bảo hiểm xã hội", "bhxh"),
    "bảo hiểm xã hội": ("bảo hiểm xã hội", "bhxh"),
    "bhyt": ("bảo hiểm y tế", "bhyt"),
    "bảo hiểm y tế": ("bảo hiểm y tế", "bhyt"),
    # "Rút" / "lãnh" (southern for lĩnh) a benefit: the procedures say "hưởng".
    "rút": ("rút", "hưởng"),
    "lãnh": ("lãnh", "lĩnh", "hưởng"),
    "1 lần": ("một lần",),
    # "Nghỉ đẻ": maternity leave.
    "nghỉ đẻ": ("thai sản",),
    # --- Other ----------------------------------------------------------------------------
    "attp": ("an toàn thực phẩm",),
    "vệ sinh an toàn thực phẩm": ("an toàn thực phẩm",),
}
