"""Routing suggestions: the sector and agency a hotline message most likely goes to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.catalog.models import Sector
from motcua.hotline import routing
from motcua.hotline.actions import open_ticket
from motcua.hotline.models import Contact
from motcua.org.models import Agency


@pytest.fixture(autouse=True)
def fresh_model(db: Any) -> Iterator[None]:
    # A test's tickets are rolled back; the model trained on them must go with them.
    yield
    routing.invalidate()


def test_birth_certificate_question_goes_to_civil_status() -> None:
    for text in (
        "Bé nhà tôi mới sinh tuần trước, giờ đăng ký giấy khai sinh ở đâu ạ",
        "cho minh hoi lam giay khai sinh cho con thi can mang gi",
    ):
        assert routing.suggest(text)[0].sector_name == "Hộ tịch", text


def test_land_title_question_goes_to_land() -> None:
    top = routing.suggest("Xin hỏi làm sổ đỏ cho miếng đất ba má cho thì nộp ở đâu")[0]
    assert top.sector_name == "Đất đai"
    assert top.agency_name == "Sở Nông nghiệp và Môi trường"


def test_civil_status_is_answered_by_the_commune() -> None:
    top = routing.suggest("đăng ký kết hôn cần giấy tờ gì")[0]
    assert (top.sector_name, top.agency_id) == ("Hộ tịch", None)
    assert top.agency_name == "Cấp xã nơi người dân cư trú"


def test_confidences_are_ordered_probabilities() -> None:
    found = routing.suggest("con tôi đi học mà chưa có bảo hiểm y tế")
    confidences = [s.confidence for s in found]
    assert 1 <= len(found) <= 5
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 1 for c in confidences)
    assert sum(confidences) <= 1 + 1e-9
    assert len(routing.suggest("đường ở ấp 3 bị sạt lở", limit=2)) == 2


def test_a_routed_ticket_changes_the_agency_of_its_sector(
    operator_ha: Any, justice: Agency
) -> None:
    text = "khai tử cho mẹ tôi mới mất"
    assert routing.suggest(text)[0].agency_id is None
    open_ticket(
        channel="phone",
        kind="question",
        body="Hỏi về trích lục khai tử có yếu tố nước ngoài",
        contact=Contact.objects.create(name="Trần Thị Bích"),
        actor=operator_ha,
        sector=Sector.objects.get(name="Hộ tịch"),
        agency=justice,
    )
    routing.invalidate()
    top = routing.suggest(text)[0]
    assert (top.sector_name, top.agency_id, top.agency_name) == (
        "Hộ tịch",
        justice.pk,
        "Sở Tư pháp",
    )


def test_empty_or_unknown_text_gives_nothing_confident() -> None:
    assert routing.suggest("") == []
    assert routing.suggest("   ?!…  ") == []
    assert routing.suggest("qwzx plokm") == []
    assert routing.suggest("Xin chào ạ, cho em hỏi chút") == []
    assert routing.suggest("giấy tờ")[0].confidence < 0.5
    assert routing.suggest("khai sinh", limit=0) == []


def test_a_model_trained_once_is_loaded_from_the_shared_cache(monkeypatch: Any) -> None:
    routing.suggest("đăng ký khai sinh")  # trains (or loads) and shares the model
    routing.invalidate()  # as a fresh process: nothing trained in memory

    def no_training() -> None:
        raise AssertionError("retrained although the shared cache holds the model")

    monkeypatch.setattr(routing.training, "build", no_training)
    assert routing.suggest("đăng ký khai sinh")[0].sector_name == "Hộ tịch"


def test_the_model_learns_from_the_most_recent_tickets_only(
    operator_ha: Any, justice: Agency, monkeypatch: Any
) -> None:
    """A bounded training set: a process's start-up costs the same whatever the history."""
    from motcua.hotline.routing import training

    for body in ("Hỏi về trích lục khai tử", "Hỏi về đăng ký kết hôn", "Hỏi về khai sinh"):
        open_ticket(
            channel="phone",
            kind="question",
            body=body,
            contact=Contact.objects.create(name="Trần Thị Bích"),
            actor=operator_ha,
            sector=Sector.objects.get(name="Hộ tịch"),
            agency=justice,
        )
    monkeypatch.setattr(training, "TRAINING_TICKETS", 2)
    learnt = [example.text for example in training.ticket_examples()]
    assert learnt == ["Hỏi về đăng ký kết hôn", "Hỏi về khai sinh"]
