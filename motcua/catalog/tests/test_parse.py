"""The catalogue importer's parsers, on excerpts of the national portal's July 2026 export.

String literals are copied from real records (codes in the comments); the few marked
"constructed" exercise a rule the export does not happen to contain.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from decimal import Decimal
from importlib import resources

import pytest

from motcua.catalog.importing.documents import parse_documents
from motcua.catalog.importing.fees import read_fees
from motcua.catalog.importing.legal import parse_legal_basis
from motcua.catalog.importing.methods import HEADER, parse_methods
from motcua.catalog.importing.parse import (
    ParsedMethod,
    ParsedProcedure,
    ParseProblem,
    RecordError,
    parse_record,
)
from motcua.catalog.importing.results import parse_results
from motcua.core.text import normalize

DOCS = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL = "Tên văn bản pháp lýMã văn bản"


def methods(rows: str, *context: str) -> tuple[list[ParsedMethod], list[ParseProblem]]:
    return parse_methods(HEADER + rows, context)


def fields(problems: list[ParseProblem]) -> list[str]:
    return [p.field for p in problems]


# --- processing time -----------------------------------------------------------------------


def test_rows_channels_and_units() -> None:
    # 3.000293 / 1.012518-style rows: calendar days, working days, hours.
    parsed, problems = methods(
        "Trực tiếp15 NgàyMiễn phíTrực tuyến5 Ngày làm việcMiễn phíDịch vụ bưu chính8 GiờMiễn phí"
    )
    assert problems == []
    assert [(m.channel, m.time_value, m.time_unit) for m in parsed] == [
        ("direct", Decimal(15), "day"),
        ("online", Decimal(5), "working_day"),
        ("postal", Decimal(8), "hour"),
    ]
    assert parsed[0].time_text == "15 Ngày"
    assert all(m.free_of_charge and m.fees == [] and m.time_stated for m in parsed)


def test_decimal_time_and_description() -> None:
    # 1.013097
    parsed, _ = methods(
        "Trực tuyến1.5 Ngày làm việc40,000 Việt Nam Đồng(- Xe ô tô trên 10 chỗ)- Trường hợp "
        "Giấy chứng nhận cải tạo bị mất, hỏng, sai thông tin: trong thời hạn 01 ngày làm việc"
    )
    assert parsed[0].time_value == Decimal("1.5")
    assert parsed[0].time_unit == "working_day"
    assert parsed[0].fee_text == "40,000 Việt Nam Đồng (- Xe ô tô trên 10 chỗ)"
    assert parsed[0].description.startswith("- Trường hợp Giấy chứng nhận cải tạo")


def test_channel_names_in_prose_do_not_start_rows() -> None:
    # 3.000382: the description repeats the table in prose, with spaces.
    parsed, problems = methods(
        "Trực tuyến2 Ngày làm việcMiễn phí(Không thu lệ phí)+ Kê khai Giấy khai cấp phép trên "
        "Cổng Dịch vụ công hoặc kê khai trực tiếp tại cơ quan đăng ký xe. Dịch vụ bưu chính 02 "
        "Ngày làm việc Phí : Đồng Không thu lệ phí Dịch vụ bưu chính2 Ngày làm việcMiễn phí"
        "- Trực tiếp: nộp hồ sơ trực tiếp tại Bộ phận Một cửa"
    )
    assert [m.channel for m in parsed] == ["online", "postal"]
    assert "Dịch vụ bưu chính 02 Ngày làm việc" in parsed[0].description
    assert parsed[1].description == "- Trực tiếp: nộp hồ sơ trực tiếp tại Bộ phận Một cửa"
    assert problems == []


def test_not_stated_and_no_deadline_are_not_problems() -> None:
    # 1.009825 ("Không"), 1.008538 ("Không phải trả kết quả…"), 1.000178 (Không có thông tin).
    parsed, problems = methods(
        "Trực tiếpKhôngKhông có thông tinTại Trung tâm phục vụ hành chính công cấp tỉnh, xã"
        "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíQua Cổng dịch vụ công quốc gia"
        "Dịch vụ bưu chínhKhông có thông tinMiễn phí"
    )
    assert problems == []
    assert [m.time_stated for m in parsed] == [False, False, False]
    assert [m.time_text for m in parsed] == [
        "Không",
        "Không phải trả kết quả cho người nộp thuế",
        "",
    ]
    assert parsed[0].description == "Tại Trung tâm phục vụ hành chính công cấp tỉnh, xã"
    assert parsed[0].fee_text == ""


def test_text_time_is_a_problem_and_keeps_raw_text() -> None:
    parsed, problems = methods("Trực tiếpTheo quy địnhMiễn phí")
    assert parsed[0].time_value is None and parsed[0].time_unit is None
    assert parsed[0].time_text == "Theo quy định" and parsed[0].time_stated
    assert fields(problems) == ["processing_time"]
    assert problems[0].sample == "Theo quy định"


@pytest.mark.parametrize(
    ("cell", "value", "unit"),
    [
        ("Không quá 30 ngàyMiễn phí", Decimal(30), "day"),  # constructed
        ("15 - 20 ngày làm việcMiễn phí", Decimal(20), "working_day"),  # constructed: upper bound
        ("Trong vòng 24 giờMiễn phí", Decimal(24), "hour"),  # constructed
    ],
)
def test_time_phrases(cell: str, value: Decimal, unit: str) -> None:
    parsed, problems = methods("Trực tiếp" + cell)
    assert (parsed[0].time_value, parsed[0].time_unit, problems) == (value, unit, [])


def test_months_are_reported_not_converted() -> None:
    # 1.001010
    parsed, problems = methods("Trực tiếp6 Tháng100 USD(100 USD/thẻ.)")
    assert parsed[0].time_value is None and parsed[0].time_text == "6 Tháng"
    assert parsed[0].fees == []
    assert sorted(set(fields(problems))) == ["fees", "processing_time"]


def test_bare_number_takes_the_unit_stated_in_the_steps() -> None:
    # 1.004940: "5" in the table, "05 ngày làm việc" in the steps.
    steps = (
        "b) Cơ quan quản lý nhà nước về thủy sản thuộc Bộ Nông nghiệp và Môi trường thẩm định hồ "
        "sơ trong thời hạn 05 ngày làm việc kể từ khi tiếp nhận hồ sơ đầy đủ, hợp lệ."
    )
    parsed, problems = methods(
        "Trực tuyến5Miễn phíDịch vụ bưu chính5Miễn phíTrực tiếp5Miễn phí", steps
    )
    assert problems == []
    assert {(m.time_value, m.time_unit) for m in parsed} == {(Decimal(5), "working_day")}
    assert "05 ngày làm việc" in parsed[0].time_unit_evidence


def test_bare_number_takes_the_unit_of_another_channel() -> None:
    # 1.011042
    parsed, problems = methods("Trực tuyến1 Ngày làm việcMiễn phíTrực tiếp1Miễn phí")
    assert problems == []
    assert parsed[1].time_unit == "working_day"
    assert parsed[1].time_unit_evidence == "1 Ngày làm việc"


def test_bare_number_without_evidence_is_a_problem() -> None:
    # 1.013803: nothing in the record says what "1" counts.
    parsed, problems = methods("Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí")
    assert all(m.time_value is None and m.time_text == "1" and m.time_stated for m in parsed)
    assert fields(problems) == ["processing_time"] * 3


def test_bare_number_unit_chosen_by_the_caller_is_applied_and_still_reported() -> None:
    raw = {**RECORD, "cach_thuc_thuc_hien": HEADER + "Trực tuyến1Miễn phíTrực tiếp1Miễn phí"}
    parsed = parse_record(raw, bare_number_unit="working_day")
    assert {(m.time_value, m.time_unit) for m in parsed.methods} == {(1, "working_day")}
    assert parsed.methods[0].time_unit_evidence == "giả định: working_day"
    assert fields(parsed.problems) == ["processing_time", "processing_time"]
    assert parse_record(raw).methods[0].time_value is None


def test_bare_number_with_two_units_in_the_text_is_a_problem() -> None:
    # constructed from 1.004884-style steps mentioning both units for the same number
    parsed, problems = methods(
        "Trực tiếp5Miễn phí", "trong thời hạn 05 ngày làm việc; nếu phải xác minh, thêm 05 ngày"
    )
    assert parsed[0].time_value is None
    assert "nhiều đơn vị" in problems[0].message


def test_dates_are_not_evidence() -> None:
    # "Thông tư số 05 ngày 12/3/2020" names a date, not a duration (constructed).
    parsed, problems = methods("Trực tiếp5Miễn phí", "theo Thông tư số 05 ngày 12/3/2020")
    assert parsed[0].time_value is None and fields(problems) == ["processing_time"]


def test_time_glued_to_the_amount_is_split() -> None:
    # 1.007857: "2" (hours, as the other channel says) + "20 VNĐ", in thousands per the note.
    parsed, problems = methods(
        "Trực tuyến220 VNĐ(lệ phí hải quan 20.000 đồng/ tờ khai hải quan.)Trực tiếp2 GiờMiễn phí"
    )
    assert problems == []
    assert (parsed[0].time_value, parsed[0].time_unit) == (Decimal(2), "hour")
    assert [f.amount_vnd for f in parsed[0].fees] == [20_000]


def test_grouped_amount_makes_the_split_unambiguous() -> None:
    # 2.002042 / 1.005136: "1" + "100,000 VNĐ".
    parsed, _ = methods(
        "Trực tiếp1100,000 VNĐ(- Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần.)"
    )
    assert parsed[0].time_text == "1"
    assert [f.amount_vnd for f in parsed[0].fees] == [100_000]


def test_ambiguous_glued_time_is_reported_for_both_fields() -> None:
    # 2.002797: "1250 VNĐ" is 1 + 250 or 12 + 50.
    parsed, problems = methods("Trực tiếp1250 VNĐ")
    assert parsed[0].time_value is None and parsed[0].fees == []
    assert sorted(fields(problems)) == ["fees", "processing_time"]


def test_missing_table_header_is_reported() -> None:
    parsed, problems = parse_methods("Nộp trực tiếp tại Bộ phận Một cửa", ())
    assert parsed == [] and fields(problems) == ["processing_time"]
    assert parse_methods("", ()) == ([], [])


# --- fees ------------------------------------------------------------------------------------


def test_lead_amount_named_after_the_note() -> None:
    # 1.004157
    reading = read_fees(
        "6,000,000 Việt Nam Đồng", "Phí thẩm định công bố bến cảng, cầu cảng, khu nước, vùng nước"
    )
    assert [(f.name, f.amount_vnd) for f in reading.fees] == [
        ("Phí thẩm định công bố bến cảng, cầu cảng, khu nước, vùng nước", 6_000_000)
    ]


def test_note_tariffs_under_miễn_phí() -> None:
    # 1.004306: the portal's multi-fee rendering.
    reading = read_fees(
        "Miễn phí",
        "15000000/lần Đồng (Đối với nhà khai thác tàu bay nước ngoài hoạt động tại Việt Nam) "
        "Phí: 18000000/loại Đồng (Đối với nhà khai thác tàu bay Việt Nam->Gia hạn->Thêm một loại "
        "tàu bay khai thác) (Miễn phí từ ngày 07/4/2026 đến 30/6/2026 theo quy định tại Thông tư "
        "40/2026/TT-BTC)",
    )
    assert [f.amount_vnd for f in reading.fees] == [15_000_000, 18_000_000]
    assert reading.fees[1].name.startswith("Phí (Đối với nhà khai thác tàu bay Việt Nam")
    assert reading.fees[1].name.endswith("(/loại)")
    assert reading.problems == []


@pytest.mark.parametrize(
    ("note", "amounts"),
    [
        # 3.000353
        ("- Nộp trực tiếp: 135.000 đồng/lần.", [135_000]),
        # 1.009524
        ("* Theo quy định tại Thông tư 25/2022/TT-BTC: + 10 triệu đồng/Giấy chứng nhận", [10**7]),
        # 1.000259-style rate without currency
        (
            "Cho một loại hình sản phẩm hoặc dịch vụ: 8.000.000/lần; thêm: 2.000.000/lần.",
            [8 * 10**6, 2 * 10**6],
        ),
        # 2.001064
        (
            "- 50.000đ/tem “AB”. - 25.000đ/tem “AB” (áp dụng đến hết ngày 31/12/2026)",
            [50_000, 25_000],
        ),
        # percentages and document numbers are not amounts
        ("Bằng 50% mức thu quy định tại Thông tư số 64/2025/TT-BTC ngày 30/6/2025", []),
    ],
)
def test_note_amounts(note: str, amounts: list[int]) -> None:
    reading = read_fees("Miễn phí", note)
    assert [f.amount_vnd for f in reading.fees] == amounts
    assert reading.problems == []


def test_amount_in_thousands_needs_the_note_to_say_so() -> None:
    # 1.013092: "23 VNĐ" with "23.000 đồng" in the note; 1.013217: "45 VNĐ" with nothing.
    confirmed = read_fees("23 VNĐ", "- Giá dịch vụ in lại giấy chứng nhận: 23.000 đồng/01 Giấy")
    assert [f.amount_vnd for f in confirmed.fees] == [23_000] and confirmed.problems == []
    alone = read_fees("45 VNĐ", "Từ ngày 01/7/2025 đến hết ngày 31/12/2026 áp dụng theo …")
    assert alone.fees == [] and "dưới 1.000" in alone.problems[0][0]


@pytest.mark.parametrize(
    ("lead", "note", "message"),
    [
        ("Miễn phí", "10.000.0000 đồng (Cấp lần đầu); 3000.000 đồng (cấp lại)", "không đọc được"),
        ("145 USD", "Thẻ tạm trú có thời hạn không quá 02 năm: 145 USD/thẻ.", "USD"),
    ],
)
def test_unreadable_and_foreign_amounts_are_reported(lead: str, note: str, message: str) -> None:
    # 1.004414, 1.003358
    reading = read_fees(lead, note)
    assert reading.fees == []
    assert reading.problems and all(message in m for m, _sample in reading.problems)


# --- documents -------------------------------------------------------------------------------


def test_documents_counts_and_templates() -> None:
    # 2.002322 and 1.004228
    documents, problems = parse_documents(
        "--" + DOCS + "Đơn đề nghị cấp sổ ATA1 bản chínhVăn bản xác nhận của cơ quan có thẩm "
        "quyền về tổ chức hoặc tham dự sự kiện0 bản chính,1 bản saoMẫu sổ ATA đã được khai1 bản "
        "chính,1 bản sao- Văn bản đề nghị gia hạn/điều chỉnh giấy phép thăm dò nước dưới đất "
        "theo Mẫu 02 Phụ lục I Nghị định số 23/2026/NĐ-CP.Mau02.docx1 bản chính"
    )
    assert problems == []
    assert [(d.group, d.originals, d.copies) for d in documents] == [
        ("", 1, 0),
        ("", 0, 1),
        ("", 1, 1),
        ("", 1, 0),
    ]
    assert documents[3].name.startswith("Văn bản đề nghị gia hạn")
    assert documents[3].name.endswith("Nghị định số 23/2026/NĐ-CP.")
    assert documents[3].templates == ["Mau02.docx"]


@pytest.mark.parametrize(
    ("row", "name_end", "templates"),
    [
        # 1.007954: three templates glued together
        (
            "theo Thông tư 24/2019/TT-NHNN.Phụ lục số 05_TT24.docxPhụ lục số 06_TT24 (1).docx"
            "Phụ lục số 04_TT24.docx",
            "TT-NHNN.",
            ["Phụ lục số 05_TT24.docx", "Phụ lục số 06_TT24 (1).docx", "Phụ lục số 04_TT24.docx"],
        ),
        # 1.004221: no punctuation between the decree and the file
        ("kèm theo Nghị định số 23/2026/NĐ-CPMau13.docx", "NĐ-CP", ["Mau13.docx"]),
        # 2.001770: a digit before the file name
        ("tài nguyên nước Mẫu 57Mau57.docx", "Mẫu 57", ["Mau57.docx"]),
        # 1.002441: spaces and brackets inside the file name
        ("theo mẫu;MẪU VĂN BẢN ĐỀ NGHỊ (2).docx", "theo mẫu;", ["MẪU VĂN BẢN ĐỀ NGHỊ (2).docx"]),
    ],
)
def test_template_names(row: str, name_end: str, templates: list[str]) -> None:
    documents, problems = parse_documents(DOCS + "Đơn " + row + "1 bản chính")
    assert problems == []
    assert documents[0].name.endswith(name_end)
    assert documents[0].templates == templates


def test_template_without_a_visible_boundary_is_reported() -> None:
    # 1.002046: "…Hiện định GMSGMS - Gia hạn.docx"
    documents, problems = parse_documents(
        "--" + DOCS + "Giấy đề nghị gia hạn thời gian lưu hành của phương tiện tại Việt Nam theo "
        "Hiện định GMSGMS - Gia hạn.docx1 bản chính"
    )
    assert documents[0].name.endswith("GMSGMS - Gia hạn.docx")
    assert fields(problems) == ["documents"]


def test_counts_written_inside_names() -> None:
    # 1.007663 and 1.007887: "01 bản chính" in the name, the real count glued after it.
    documents, problems = parse_documents(
        DOCS + "Văn bản thỏa thuận trả lại hàng hóa: 01 bản chụp0 bản chính,1 bản saoCông văn "
        "yêu cầu hoàn thuế theo Mẫu số 09: 01 bản chính.1 bản chínhVăn bản xác nhận của doanh "
        "nghiệp cung ứng tàu biển: 01 bản chính1 bản chính+ Văn bản đề nghị tái xuất: 02 bản "
        "chính tờ khai hàng hóa1 bản chính"
    )
    assert problems == []
    assert [(d.originals, d.copies) for d in documents] == [(0, 1), (1, 0), (1, 0), (1, 0)]
    assert documents[1].name.endswith("01 bản chính.")
    assert documents[3].name == "Văn bản đề nghị tái xuất: 02 bản chính tờ khai hàng hóa"


def test_groups_and_sub_headings() -> None:
    # 1.013097
    documents, problems = parse_documents(
        "* Trường hợp Giấy chứng nhận cải tạo bị mất, hỏng, sai thông tin" + DOCS + "- Giấy tờ "
        "phải nộp:0 bản chính+ Đơn đề nghị theo mẫu quy định;1 bản chính- Giấy tờ phải xuất "
        "trình:0 bản chính+ Giấy chứng nhận cải tạo bị hỏng hoặc bị sai thông tin1 bản chính"
        "* Trường hợp giấy chứng nhận xe cơ giới cải tạo có thời hạn" + DOCS + "+ Đơn đề nghị "
        "theo mẫu quy định;1 bản chính"
    )
    assert problems == []
    case = "Trường hợp Giấy chứng nhận cải tạo bị mất, hỏng, sai thông tin"  # bullet dropped
    assert [(d.group, d.name) for d in documents] == [
        (f"{case} – Giấy tờ phải nộp", "Đơn đề nghị theo mẫu quy định;"),
        (
            f"{case} – Giấy tờ phải xuất trình",
            "Giấy chứng nhận cải tạo bị hỏng hoặc bị sai thông tin",
        ),
        (
            "Trường hợp giấy chứng nhận xe cơ giới cải tạo có thời hạn",
            "Đơn đề nghị theo mẫu quy định;",
        ),
    ]


@pytest.mark.parametrize("text", ["--", "----", ""])
def test_no_documents_stated(text: str) -> None:
    assert parse_documents(text) == ([], [])


def test_documents_without_a_table_or_quantity_are_reported() -> None:
    # 1.005032: a shifted crawl put results here; a last row without its quantity.
    assert fields(parse_documents("KQ.G04.000398")[1]) == ["documents"]
    documents, problems = parse_documents(DOCS + "Tờ khai1 bản chínhTài liệu khác (nếu có)")
    assert [d.name for d in documents] == ["Tờ khai"] and fields(problems) == ["documents"]


# --- legal basis -----------------------------------------------------------------------------


def test_legal_basis_rows() -> None:
    # 1.000178
    items, problems = parse_legal_basis(
        LEGAL + "Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh68/2013/TT-BCALuật Khiếu nại năm "
        "201102/2011/QH13Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP"
    )
    assert problems == []
    assert [(i.title, i.number) for i in items] == [
        ("Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh", "68/2013/TT-BCA"),
        ("Luật Khiếu nại năm 2011", "02/2011/QH13"),
        ("Nghị định 05/2012/NĐ-CP", "05/2012/NĐ-CP"),
    ]


def test_numbers_inside_titles_and_glued_dates() -> None:
    # 1.014847
    items, problems = parse_legal_basis(
        LEGAL + "Luật 08/2017/QH1408/2017/QH14Nghị định số 40/2026/NĐ-CP ngày 25/01/2026"
        "40/2026/NĐ-CPLuật số 146/2025/QH15 ngày 11/12/2025 của Quốc hội sửa đổi146/2025/QH15"
    )
    assert problems == []
    assert [i.number for i in items] == ["08/2017/QH14", "40/2026/NĐ-CP", "146/2025/QH15"]
    assert items[1].title == "Nghị định số 40/2026/NĐ-CP ngày 25/01/2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 1.003072: "Luật số" labels the number cell
        (
            "Luật Các tổ chức tín dụngLuật số 32/2024/QH15"
            "Thông tư quy định về hồ sơ49/2025/TT-NHNN",
            [
                ("Luật Các tổ chức tín dụng", "32/2024/QH15"),
                ("Thông tư quy định về hồ sơ", "49/2025/TT-NHNN"),
            ],
        ),
        # 3.000368: an all-caps title glued after the issuer code
        (
            "Về an ninh hàng không92/2015/NĐ-CPLUẬT HÀNG KHÔNG DÂN DỤNG VIỆT NAM66/2006/QH11",
            [
                ("Về an ninh hàng không", "92/2015/NĐ-CP"),
                ("LUẬT HÀNG KHÔNG DÂN DỤNG VIỆT NAM", "66/2006/QH11"),
            ],
        ),
        # 1.003576: a lower-case title after the code; 1.011647: dotted resolution numbers
        (
            "trong công tác thú y101/2020/TT-BTCsửa đổi, bổ sung một số điều66.16/2026/NQ-CP",
            [
                ("trong công tác thú y", "101/2020/TT-BTC"),
                ("sửa đổi, bổ sung một số điều", "66.16/2026/NQ-CP"),
            ],
        ),
        # 1.011647: QĐ-TTg, 1.001613: numbers without a year
        (
            "Quyết định66/2015/QĐ-TTgBan hành quy trình giải quyết2222/QĐ-BHXH",
            [("Quyết định", "66/2015/QĐ-TTg"), ("Ban hành quy trình giải quyết", "2222/QĐ-BHXH")],
        ),
    ],
)
def test_legal_number_boundaries(text: str, expected: list[tuple[str, str]]) -> None:
    items, problems = parse_legal_basis(LEGAL + text)
    assert [(i.title, i.number) for i in items] == expected
    assert problems == []


def test_legal_basis_not_stated_or_unreadable() -> None:
    assert parse_legal_basis("Không có thông tin") == ([], [])
    # 3.000342: a title and no number cell
    items, problems = parse_legal_basis(
        ": Thông tư 269/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính quy định mức thu"
    )
    assert items == [] and fields(problems) == ["legal_basis"]


# --- results ---------------------------------------------------------------------------------


def test_results_and_trailing_ui_text() -> None:
    # 1.009811-style: two results, then the page's agency picker
    results, problems = parse_results(
        "Công văn thông báo từ chối cấp tài khoản điện tử (NB9)Mã: KQ.G01.000020Công văn trả lời "
        "của Cục Quản lý xuất nhập cảnh về việc cấp tài khoản điện tử.Mã: KQ.G01.000021Từ khóa"
        "Không có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành"
        "-- Chọn Bộ ngành --Đơn vị-- Chọn Cơ sở --Nộp hồ sơ"
    )
    assert problems == []
    assert [(r.name[:20], r.code) for r in results] == [
        ("Công văn thông báo t", "KQ.G01.000020"),
        ("Công văn trả lời của", "KQ.G01.000021"),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mã số cơ sở chăn nuôi.Mã: Chưa xác địnhTừ khóaKhông có thông tin", ""),  # 1.014952
        ("Quyết định công nhận hoàn thành tập sự.Mã: adjfsbjTừ khóaKhông có thông tin", "adjfsbj"),
        ("Văn bản chấp thuận đổi tên cảng.Mã: 000.00.00.G04-KQ3337Từ khóa", "000.00.00.G04-KQ3337"),
    ],
)
def test_result_codes(text: str, code: str) -> None:
    results, problems = parse_results(text)
    assert [r.code for r in results] == [code] and problems == []


def test_results_without_codes_are_reported() -> None:
    # 1.009539: a shifted crawl
    results, problems = parse_results("hợp đồng đã ký với khách hàng.1 bản chính")
    assert results == [] and fields(problems) == ["results"]
    assert parse_results("") == ([], [])


# --- whole records ---------------------------------------------------------------------------

RECORD = {
    "ma_thu_tuc": "1.000178",
    "ten_thu_tuc": "Giải quyết khiếu nại về quyết định hành chính, hành vi hành chính của công dân "
    "đối với lực lượng Công an nhân dân (thực hiện tại cấp Trung ương)",
    "so_quyet_dinh": "QĐ/0001-BCA",
    "cap_thuc_hien": "Cấp bộ, Cấp tỉnh",
    "loai_thu_tuc": "TTHC được giao luật quy định chi tiết",
    "linh_vuc": "Khiếu nại, tố cáo",
    "doi_tuong_thuc_hien": "Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam, Cán bộ, "
    "công chức, viên chức",
    "co_quan_co_tham_quyen": "Bộ Công an",
    "co_quan_thuc_hien": "Thanh tra Bộ",
    "co_quan_phoi_hop": "",
    "dia_chi_tiep_nhan": "",
    "trinh_tu_thuc_hien": "Bước 1: Thụ lý giải quyết khiếu nại\n\n\n"
    "Bước 2: Kiểm tra lại quyết định",
    "cach_thuc_thuc_hien": HEADER + "Dịch vụ bưu chính60 Ngày làm việcKhông có thông tinThời hạn "
    "giải quyết khiếu nại lần đầu không quá 30 ngày",
    "thanh_phan_ho_so": "--" + DOCS + "Tài liệu, chứng cứ do các bên cung cấp1 bản chính",
    "can_cu_phap_ly": LEGAL + "Luật Khiếu nại năm 201102/2011/QH13",
    "yeu_cau_dieu_kien": "Không có thông tin",
    "ket_qua_xu_ly": "Quyết định giải quyết khiếu nại lần 1, lần 2Mã: KQ.G01.00262Từ khóaKhông "
    "có thông tinMô tảKhông có thông tin",
    "detail_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-4fc1-768b-9ba3-94be4bca58ee",
}


def test_parse_record() -> None:
    parsed = parse_record(RECORD)
    assert parsed.code == "1.000178" and parsed.levels == ["ministry", "province"]
    assert parsed.subjects == [
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "Công dân Việt Nam",
        "Cán bộ, công chức, viên chức",
    ]
    assert (
        parsed.steps_text
        == "Bước 1: Thụ lý giải quyết khiếu nại\n\nBước 2: Kiểm tra lại quyết định"
    )
    assert parsed.conditions_text == "" and parsed.coordinating_agency == ""
    assert parsed.methods[0].time_value == 60 and parsed.methods[0].fee_text == ""
    assert parsed.documents[0].originals == 1
    assert parsed.legal_basis[0].number == "02/2011/QH13"
    assert parsed.results[0].code == "KQ.G01.00262"
    assert parsed.problems == []


def test_decomposed_diacritics_and_odd_spaces_parse_the_same() -> None:
    nfd = {
        key: unicodedata.normalize("NFD", value).replace(" ", "\u00a0 ", 3)
        for key, value in RECORD.items()
    }
    assert parse_record(nfd) == parse_record(RECORD)


def test_unknown_level_is_reported() -> None:
    parsed = parse_record({**RECORD, "cap_thuc_hien": "Cấp xã, Cấp thôn, Cơ quan khác"})
    assert parsed.levels == ["commune", "other"]
    assert [(p.field, p.sample) for p in parsed.problems] == [("levels", "Cấp thôn")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ma_thu_tuc": ""}, "thiếu mã"),
        ({"ma_thu_tuc": "Không có thông tin"}, "thiếu mã"),
        ({"ma_thu_tuc": "1.00017"}, "không hợp lệ"),
        ({"ma_thu_tuc": "TTHC-01"}, "không hợp lệ"),
        ({"ten_thu_tuc": "  "}, "thiếu tên"),
    ],
)
def test_records_that_cannot_be_imported(changes: dict[str, str], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        parse_record({**RECORD, **changes})


def test_shipped_sample_parses() -> None:
    """Every record of the shipped province/commune sample parses, and the time is read for
    nearly all that state one (measured on the full export: see docs/import-format.md)."""
    raw = resources.files("motcua.catalog.data").joinpath("dvcqg-2026-07-province-commune.jsonl.gz")
    lines = gzip.decompress(raw.read_bytes()).decode("utf-8").splitlines()[:400]
    parsed: list[ParsedProcedure] = [parse_record(json.loads(line)) for line in lines]
    stated = [p for p in parsed if any(m.time_stated for m in p.methods)]
    read = [p for p in stated if all(m.time_value is not None for m in p.methods if m.time_stated)]
    assert len(read) / len(stated) > 0.95
    for procedure in parsed:
        assert procedure.name == normalize(procedure.name)
        for method in procedure.methods:
            assert (method.time_value is None) == (method.time_unit is None)
            if method.time_stated and method.time_value is None:
                assert "processing_time" in {p.field for p in procedure.problems}
    assert sum(len(p.documents) for p in parsed) > 3 * len(parsed)
