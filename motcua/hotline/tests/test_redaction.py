"""Redaction (docs/hotline.md "Redaction"): what citizens really write, with and without
diacritics, and what the public may see of it; plus properties over any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.hotline.redaction import HIDDEN, redact

H = HIDDEN

SENTENCES = [
    # Third parties named after an honorific or a kinship word.
    (
        "Ông Nguyễn Văn Tư ở ấp 3 lấn chiếm đường đi chung.",
        f"Ông {H} ở ấp 3 lấn chiếm đường đi chung.",
    ),
    ("Nhà bà Lê Thị Hoa xả nước thải ra kênh.", f"Nhà bà {H} xả nước thải ra kênh."),
    ("anh Tuấn bên điện lực hẹn mà không đến.", f"anh {H} bên điện lực hẹn mà không đến."),
    ("Chị Hai bán bánh mì ở chợ Cao Lãnh.", f"Chị {H} bán bánh mì ở chợ Cao Lãnh."),
    ("Cô giáo Lan đánh học sinh lớp 2.", f"Cô giáo {H} đánh học sinh lớp 2."),
    ("chị Thu ở khóm 2 phường An Thạnh.", f"chị {H} ở khóm 2 phường An Thạnh."),
    ("anh Trường làm ở Sở Xây dựng.", f"anh {H} làm ở Sở Xây dựng."),
    (
        "vợ tôi tên Phạm Thị Lan, chồng là Đặng Văn Hùng.",
        f"vợ tôi tên {H}, chồng là {H}.",
    ),
    ("con tôi tên là Khoa, học lớp 3.", f"con tôi tên là {H}, học lớp 3."),
    ("Họ tên: NGUYỄN THỊ MAI, sinh năm 1978.", f"Họ tên: {H}, sinh năm {H}."),
    # Runs of capitalised words starting with a surname, with no honorific.
    (
        "Con tôi là Trần Minh Khoa, sinh ngày 12/03/2015, chưa có mã định danh.",
        f"Con tôi là {H}, sinh ngày {H}, chưa có mã định danh.",
    ),
    (
        "Dương Văn Bé, Huỳnh Thị Mỹ và Võ Thành Nam cùng ký đơn.",
        f"{H}, {H} và {H} cùng ký đơn.",
    ),
    # Without diacritics.
    ("ong Nguyen Van Tu o ap 3 lan chiem dat", f"ong {H} o ap 3 lan chiem dat"),
    ("toi ten Le Van Tam, sdt 0912345678", f"toi ten {H}, sdt {H}"),
    ("ba Le Thi Hoa sinh nam 1960 o xa Tan Hong", f"ba {H} sinh nam {H} o xa Tan Hong"),
    ("cccd 079 085 001 234, stk 12345678 agribank", f"cccd {H}, stk {H} agribank"),
    # Numbers however they are grouped.
    ("CCCD của tôi 079.085.001.234 bị sai.", f"CCCD của tôi {H} bị sai."),
    ("SĐT 0912 345 678, email an.nguyen@gmail.com.", f"SĐT {H}, email {H}."),
    ("Tôi sinh ngày 12/03/1985, CMND số 341234567.", f"Tôi sinh ngày {H}, CMND số {H}."),
    ("Liên hệ +84 277 3851 234 hoặc 0277.3851.234.", f"Liên hệ {H} hoặc {H}."),
    (
        "Số tài khoản 0071000123456 tại Vietcombank chi nhánh Đồng Tháp.",
        f"Số tài khoản {H} tại Vietcombank chi nhánh Đồng Tháp.",
    ),
    ("STK 12345678 Agribank chi nhánh Tháp Mười.", f"STK {H} Agribank chi nhánh Tháp Mười."),
    ("Mã số thuế 0312345678-001 của hộ kinh doanh.", f"Mã số thuế {H} của hộ kinh doanh."),
    ("Hộ chiếu B1234567 hết hạn.", f"Hộ chiếu {H} hết hạn."),
    ("thẻ BHYT số DN4838712345678 bị từ chối.", f"thẻ BHYT số {H} bị từ chối."),
    # Dates of birth, in the ways they are written.
    ("SN 1985, ở phường Cao Lãnh.", f"SN {H}, ở phường Cao Lãnh."),
    ("Ngày sinh: 05-11-1990, nơi sinh Tháp Mười.", f"Ngày sinh: {H}, nơi sinh Tháp Mười."),
    ("Ngày sinh 12 tháng 3 năm 1985.", f"Ngày sinh {H}."),
    # Kept: places, agencies, streets and schools named after people, money, plain dates.
    ("Sở Tư pháp trả hồ sơ chậm.", "Sở Tư pháp trả hồ sơ chậm."),
    ("UBND xã Tân Hồng chưa trả lời.", "UBND xã Tân Hồng chưa trả lời."),
    ("Đường Nguyễn Huệ bị ngập sau mưa.", "Đường Nguyễn Huệ bị ngập sau mưa."),
    ("đường Nguyễn Huệ, Phường Cao Lãnh.", "đường Nguyễn Huệ, Phường Cao Lãnh."),
    ("Tôi ở số 12 Trần Hưng Đạo, phường 1.", "Tôi ở số 12 Trần Hưng Đạo, phường 1."),
    (
        "Trường THPT Nguyễn Đình Chiểu xin ý kiến phụ huynh.",
        "Trường THPT Nguyễn Đình Chiểu xin ý kiến phụ huynh.",
    ),
    ("Thành phố Hồ Chí Minh cấp lại chưa?", "Thành phố Hồ Chí Minh cấp lại chưa?"),
    ("Lệ phí 1.500.000.000 đồng có đúng không?", "Lệ phí 1.500.000.000 đồng có đúng không?"),
    ("Ngày 12.03.2025 10 giờ tôi đã nộp.", "Ngày 12.03.2025 10 giờ tôi đã nộp."),
    ("Ngập từ năm 2024, 2025 đến nay.", "Ngập từ năm 2024, 2025 đến nay."),
    ("Gọi Tổng đài 1022 không ai nghe.", "Gọi Tổng đài 1022 không ai nghe."),
    # Kept: honorifics used as pronouns, titles, common words in title case.
    ("Anh Chị cho em hỏi thủ tục kết hôn.", "Anh Chị cho em hỏi thủ tục kết hôn."),
    ("ông Chủ tịch UBND xã hứa mà không làm.", "ông Chủ tịch UBND xã hứa mà không làm."),
    ("Gửi qua Zalo cho anh Công an xã.", "Gửi qua Zalo cho anh Công an xã."),
    ("Hồ Sơ của tôi nộp từ tháng 3.", "Hồ Sơ của tôi nộp từ tháng 3."),
    ("Lý do chậm trễ là gì?", "Lý do chậm trễ là gì?"),
    ("Bác Hồ dạy chúng ta cần kiệm.", "Bác Hồ dạy chúng ta cần kiệm."),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_realistic_sentences(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_the_table_is_long_enough() -> None:
    assert len(SENTENCES) >= 30


def test_the_contacts_own_name_with_or_without_diacritics() -> None:
    text = "Tôi là Lê Văn Tám (Le Van Tam), gọi tôi là Tám; tạm trú ấp 2."
    assert redact(text, names=["Lê Văn Tám", "Tám"]) == (
        f"Tôi là {H} ({H}), gọi tôi là {H}; tạm trú ấp 2."
    )


def test_people_false_keeps_names_but_not_identifiers() -> None:
    text = "Liên hệ chị Lan, cán bộ một cửa, CCCD 079.085.001.234, SN 1985."
    assert redact(text, people=False) == f"Liên hệ chị Lan, cán bộ một cửa, CCCD {H}, SN {H}."


def test_decomposed_diacritics_are_read_like_composed_ones() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "bà Lê Thị Hoa sinh ngày 01/02/1970")
    assert redact(text) == f"bà {H} sinh ngày {H}"


NINE_DIGITS = re.compile(r"\d{9,}")
# Text made of what personal data is made of: digits, separators, Vietnamese letters, words
# that trigger the rules, and anything else Unicode has.
PIECES = st.one_of(
    st.text(alphabet="0123456789 .-+,/", max_size=40),
    st.sampled_from(
        ["ông ", "bà ", "Nguyễn ", "Văn ", "Tư ", "tên: ", "SN ", "sinh ngày ", "STK ", "đồng"]
    ),
    st.sampled_from(["đường ", "Phường ", "UBND ", "Sở ", "@", "x@y.vn ", "\n", "NGUYỄN ", "A"]),
    st.text(max_size=20),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join))
def test_never_raises_and_never_leaves_nine_digits_in_a_row(text: str) -> None:
    clean = redact(text)
    assert not NINE_DIGITS.search(clean)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join))
def test_redacting_twice_changes_nothing_more(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


# A real date and a number after it ("12.03.2025 10" giờ) are two things, kept.
DATE_FIRST = re.compile(r"(?:0?[1-9]|[12]\d|3[01])([.\-])(?:0?[1-9]|1[0-2])\1(?:19|20)\d\d\D")


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[0-9](?:[ .\-]?[0-9]){8,14}", fullmatch=True))
def test_any_grouping_of_nine_or_more_digits_is_hidden(number: str) -> None:
    assume(not DATE_FIRST.match(number))
    assert redact(f"Số của tôi là {number} nhé") == f"Số của tôi là {H} nhé"
