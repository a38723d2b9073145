"""The public Q&A (/hoi-dap/): only published answers, found with or without diacritics,
each view counted, nothing personal."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.catalog.models import Sector
from motcua.dossiers.tests.fixtures import at
from motcua.hotline.actions import answer_ticket, publish_answer
from motcua.hotline.models import PublicAnswer
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db


def published(title: str, *, answer: str = "Nộp tại UBND xã.", **extra: Any) -> PublicAnswer:
    extra.setdefault("published_at", at(2026, 11, 20, 9, 0))
    return PublicAnswer.objects.create(
        title=title, question=f"Xin hỏi: {title}?", answer=answer, **extra
    )


@pytest.mark.parametrize("q", ["khai sinh cấp lại", "KHAI SINH cap lai", "giấy khai sinh"])
def test_search_finds_an_answer_with_or_without_diacritics(client, q):
    birth = published("Cấp lại giấy khai sinh bị mất")
    published("Đăng ký kết hôn với người nước ngoài")
    page = client.get("/hoi-dap/", {"q": q})
    assert list(page.context["page"]) == [birth]


def test_a_partial_match_ranks_by_words_matched(client):
    two = published("Đăng ký thường trú cho con")
    one = published("Đăng ký xe máy", published_at=at(2026, 11, 24, 9, 0))
    page = client.get("/hoi-dap/", {"q": "đăng ký thường trú hộ khẩu"})
    assert list(page.context["page"]) == [two, one]
    assert page.context["complete"] is False


def test_unpublished_answers_never_appear(client):
    hidden = published("Cấp lại giấy khai sinh bị mất", published=False)
    assert hidden not in client.get("/hoi-dap/").context["page"]
    assert hidden not in client.get("/hoi-dap/", {"q": "khai sinh"}).context["page"]
    assert client.get(f"/hoi-dap/{hidden.pk}/").status_code == 404
    hidden.refresh_from_db()
    assert hidden.views == 0


def test_each_view_is_counted(client):
    answer = published("Lệ phí chứng thực bản sao")
    client.get(f"/hoi-dap/{answer.pk}/")
    page = client.get(f"/hoi-dap/{answer.pk}/")
    assert "Lệ phí chứng thực bản sao" in page.content.decode()
    answer.refresh_from_db()
    assert answer.views == 2


def test_filter_by_sector_and_pages_of_twenty(client, django_assert_max_num_queries):
    civil, land = Sector.objects.order_by("pk")[:2]
    for number in range(25):
        published(f"Hộ tịch {number}", sector=civil)
    published("Cấp sổ đỏ lần đầu", sector=land)
    with django_assert_max_num_queries(8):
        page = client.get("/hoi-dap/", {"sector": civil.pk})
    assert page.context["page"].paginator.count == 25
    assert len(page.context["page"]) == 20
    assert len(client.get("/hoi-dap/", {"sector": civil.pk, "trang": 2}).context["page"]) == 5


def test_a_published_ticket_shows_nothing_personal(client, operator_ha):
    ticket = chat(
        "Tôi là Nguyễn Văn An, số 0912345678, xin hỏi cấp lại khai sinh", phone="0912345678"
    )
    answer_ticket(ticket=ticket, user=operator_ha, body="Anh An nộp tại UBND xã.")
    publication = publish_answer(
        ticket=ticket,
        user=operator_ha,
        title="Cấp lại giấy khai sinh",
        question=ticket.body,
        answer="Anh An nộp tại UBND xã.",
    )
    page = client.get(f"/hoi-dap/{publication.pk}/").content.decode()
    assert "0912345678" not in page
    assert "Nguyễn Văn An" not in page
