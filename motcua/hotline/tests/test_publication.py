"""Publishing an answer removes personal data; rating once; merging contacts."""

from __future__ import annotations

import pytest

from motcua.hotline.actions import (
    ActionError,
    answer_ticket,
    log_call,
    merge_contacts,
    publish_answer,
    rate_ticket,
)
from motcua.hotline.actions.publication import publication_draft
from motcua.hotline.redaction import redact
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db


def test_redaction_removes_phones_emails_ids_and_names():
    text = (
        "Tôi là Lê Văn Tám, CCCD 087090001234, số 0912.345.678 hoặc +84 277 3851 234, "
        "email tam@example.vn, hỏi về lệ phí 100.000 đồng năm 2026."
    )
    clean = redact(text, names=["Lê Văn Tám"])
    for secret in ("Lê Văn Tám", "087090001234", "0912.345.678", "3851 234", "tam@example"):
        assert secret not in clean
    assert "100.000 đồng năm 2026" in clean


def test_publishing_redacts_whatever_the_operator_typed(operator_ha):
    ticket = chat("Tôi là Lê Văn Tám, SĐT 0912345678, hỏi đổi GPLX", name="Lê Văn Tám")
    answer_ticket(ticket=ticket, user=operator_ha, body="Anh Tám nộp tại Sở Xây dựng.")
    draft = publication_draft(ticket)
    assert "0912345678" not in draft["question"]
    published = publish_answer(
        ticket=ticket,
        user=operator_ha,
        title="Đổi giấy phép lái xe",
        question="Anh Lê Văn Tám (0912345678) hỏi đổi GPLX",
        answer=draft["answer"],
    )
    assert "0912345678" not in published.question
    assert "Lê Văn Tám" not in published.question
    assert published.published and published.search_text.startswith("doi giay phep")


def test_the_draft_hides_third_parties_and_the_published_text_keeps_no_identifier(
    operator_ha,
):
    ticket = chat(
        "Tôi hỏi giùm bà Lê Thị Hoa (sinh ngày 12/03/1950, CCCD 087.150.001.234) "
        "cách cấp lại giấy khai sinh ở Phường Cao Lãnh.",
        sender="p-9",
    )
    answer_ticket(ticket=ticket, user=operator_ha, body="Bà Hoa nộp tại UBND phường Cao Lãnh.")
    draft = publication_draft(ticket)
    assert draft["question"] == (
        "Tôi hỏi giùm bà [đã ẩn] (sinh ngày [đã ẩn], CCCD [đã ẩn]) "
        "cách cấp lại giấy khai sinh ở Phường Cao Lãnh."
    )
    assert draft["answer"] == "Bà [đã ẩn] nộp tại UBND phường Cao Lãnh."
    # The operator approves the text; an official's name they keep stays, an identifier
    # they type back in does not.
    published = publish_answer(
        ticket=ticket,
        user=operator_ha,
        title="Cấp lại giấy khai sinh",
        question=draft["question"] + " Số 087.150.001.234, SN 1950.",
        answer="Liên hệ chị Lan ở bộ phận một cửa phường.",
    )
    assert published.question.endswith("Số [đã ẩn], SN [đã ẩn].")
    assert published.answer == "Liên hệ chị Lan ở bộ phận một cửa phường."


def test_publishing_needs_an_answer(operator_ha):
    ticket = chat("Hỏi", sender="p-2")
    with pytest.raises(ActionError):
        publish_answer(ticket=ticket, user=operator_ha, title="t", question="q", answer="a")


def test_rating_once_and_in_range(operator_ha):
    ticket = chat("Hỏi", sender="p-3")
    answer_ticket(ticket=ticket, user=operator_ha, body="Đáp.")
    with pytest.raises(ActionError):
        rate_ticket(ticket=ticket, rating=6)
    rate_ticket(ticket=ticket, rating=5, comment="Nhanh")
    with pytest.raises(ActionError):
        rate_ticket(ticket=ticket, rating=4)


def test_merging_contacts_moves_tickets_and_channel_ids(operator_ha):
    by_zalo = chat("Hỏi qua Zalo", sender="zalo-42", name="Võ Thị Mai").contact
    by_phone = log_call(operator=operator_ha, phone="0987654321", body="Hỏi qua điện thoại").contact
    kept = merge_contacts(keep=by_phone, other=by_zalo, user=operator_ha)
    assert kept.tickets.count() == 2
    assert kept.name == "Võ Thị Mai"
    # The next Zalo message from the same account lands with the merged contact.
    assert chat("Hỏi tiếp", sender="zalo-42").contact == kept
