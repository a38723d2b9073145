"""The word lists the name rules read (docs/hotline.md "Redaction"): honorifics and labels
before a name, places and agencies whose names are kept, common surnames, and the words that
look like a name but are not.

Word lists are compared with the word as typed, lower-cased (with diacritics), or — for a
word typed without any diacritics — folded (the ``*_ASCII`` lists). Without diacritics many
words collide (bạn/ban, cậu/cầu, bố/bộ); where an honorific and another word collide, the
honorific wins: hiding a word wrongly is the safer error.
"""

from __future__ import annotations


def _words(*lines: str) -> frozenset[str]:
    """A word list written as lines of space-separated words."""
    return frozenset(" ".join(lines).split())


# Honorifics and kinship words: the capitalised words right after them are a name.
HONORIFICS = _words(
    "ông bà anh chị em cô chú bác cháu con vợ chồng cậu dì mợ thím dượng cụ bé thầy giáo sĩ ",
    "mẹ bố ba má cha bạn ngoại nội",
)
HONORIFICS_ASCII = _words(
    "ong ba anh chi em co chu bac chau con vo chong cau di mo thim duong cu be thay giao si ",
    "me bo ma cha ban ngoai noi",
)
# Name labels: "tên", "họ tên", "họ và tên"; capitals are names after them ("TRẦN VĂN A").
LABELS = frozenset({"tên"})
LABELS_ASCII = frozenset({"ten"})
# Lower-case words that may stand between an honorific or label and the name: "con tôi là
# Khoa", "tên của cháu là Khoa", "tên: Khoa" (folded).
FILLERS = frozenset({"cua", "toi", "minh", "la", "ten"})
# Lower-case words that start a place's or an agency's name: the capitalised words after
# them are kept ("đường Nguyễn Huệ", "phường Cao Lãnh", "xã Tân Hồng", "Sở Tư pháp").
PLACES = _words(
    "đường phố phường xã huyện tỉnh quận tp thôn ấp khóm tổ chợ cầu kênh sông rạch hẻm kiệt ",
    "ngõ ngách chùa đình đền nhà sở cục ban phòng bộ ubnd hđnd mttq đoàn hội tòa trạm viện ",
    "trường thpt thcs học non tâm ty hàng nghiệp đội lộ bến cảng bãi đảo núi khu cụm thị ",
    "thành trấn sạn",
)
PLACES_ASCII = _words(
    "duong pho phuong xa huyen tinh quan tp thon kenh song hem khu so cuc phong toa tram thpt ",
    "thcs hoc vien lo cang ty hang ubnd hdnd mttq",
)
# The same in title case ("Phường Cao Lãnh", "Trường THPT …"): only the words that are
# never a given name or a surname (not "Thành", "Tâm", "Đình", "Đoàn", "Thị"…).
PLACE_HEADS = _words(
    "đường phố phường xã huyện tỉnh quận tp thôn ấp khóm chợ cầu kênh sông rạch hẻm kiệt ngõ ",
    "chùa đền sở cục phòng ban bộ ubnd hđnd mttq tòa trạm viện bệnh trường thpt thcs ủy ngân ",
    "trung khu cụm bến cảng",
)
PLACE_HEADS_ASCII = _words("xa tinh so cuc kenh pho tp ubnd hdnd mttq thpt thcs")
# Title-case words that end a name: "Nguyễn Văn Tư Phường 1" is a name, then a place.
NAME_ENDS = _words(
    "phường xã huyện tỉnh quận thôn ấp khóm chợ kênh sông rạch hẻm chùa sở cục tòa trạm viện ",
    "bệnh đường phố",
)
NAME_ENDS_ASCII = _words("xa so cuc kenh pho")
# Agencies and schools in capitals: never part of a name (folded).
ACRONYMS = _words("ubnd hdnd mttq thpt thcs tp cccd cmnd bhyt bhxh")
# Common surnames (together about 90 % of Vietnamese people).
SURNAMES = _words(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trương ",
    "lương đoàn trịnh lưu",
)
SURNAMES_ASCII = _words(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh truong ",
    "luong doan trinh luu",
)
# A surname and then this word is a common phrase in title case: "Hồ Sơ", "Lý Do", "Phạm
# Vi"; without diacritics "Ho Khau" (hộ khẩu), "Dang Ky" (đăng ký), "Luong Huu" (lương hưu).
COMMON_PAIRS = frozenset(
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
COMMON_PAIRS_ASCII = frozenset(
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
NOT_NAMES = _words(
    "tôi mình chúng quý người mọi xin cho hỏi cảm vui kính đề nay hôm ngày tháng sáng chiều ",
    "tối thứ chủ giám phó trưởng cán bí kế chánh ủy đảng tổng dịch hiệu",
)
NOT_NAMES_ASCII = _words(
    "toi chung quy xin cho hoi cam vui kinh hom ngay thang sang chieu chu giam pho can bi ke ",
    "uy tong dich hieu",
)
BRANDS = _words(
    "zalo facebook messenger google gmail email viettel mobifone vinaphone vietcombank ",
    "agribank bidv vietinbank techcombank sacombank momo vneid youtube tiktok",
)
# A capitalised word that is a given name alone but a title or an office before this
# lower-case word: "anh Công" is a name, "anh Công an xã" is not (folded).
TITLE_PHRASES = frozenset(
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
PUBLIC_NAMES = tuple(
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
