"""Rating after the result is returned: once, with the province's criteria; it feeds the
counters (the recount agrees)."""

from __future__ import annotations

import pytest

from motcua.dossiers.actions import accept_submission
from motcua.dossiers.counters import differences
from motcua.dossiers.models import DailyCounter, Dossier, Rating, RatingCriterion
from motcua.dossiers.tests.fixtures import returned
from motcua.portal.tests.conftest import online_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def criterion(db) -> RatingCriterion:
    return RatingCriterion.objects.create(text="Thái độ của cán bộ tiếp nhận", order=1)


@pytest.fixture
def received(citizen_an, clerk_binh) -> Dossier:
    dossier = online_dossier(citizen_an)
    return accept_submission(dossier=dossier, officer=clerk_binh)


def rate(client, dossier, criterion, level="satisfied"):
    return client.post(
        f"/ho-so-cua-toi/{dossier.code}/danh-gia/",
        {"level": level, f"criterion_{criterion.pk}": "very_satisfied", "comment": "Nhanh."},
    )


def test_rating_after_return_feeds_the_counters(an, received, clerk_binh, criterion):
    returned(received)
    form = an.get(f"/ho-so-cua-toi/{received.code}/danh-gia/").text
    assert "Thái độ của cán bộ tiếp nhận" in form and "Rất hài lòng" in form
    assert rate(an, received, criterion).status_code == 302
    rating = Rating.objects.get(dossier=received)
    assert rating.answers[0]["level"] == "very_satisfied" and rating.comment == "Nhanh."
    counter = DailyCounter.objects.get(agency=received.competent_agency, rated_satisfied=1)
    assert counter.rated_very_satisfied == 0
    assert differences() == []
    assert received.events.filter(kind="rate").exists()


def test_cannot_rate_before_the_result_is_returned(an, received, criterion):
    response = rate(an, received, criterion)
    assert response.status_code == 409 and "Chỉ đánh giá được sau khi" in response.text
    assert not Rating.objects.exists()
    assert differences() == []


def test_a_second_rating_is_refused(an, received, clerk_binh, criterion):
    returned(received)
    rate(an, received, criterion)
    response = rate(an, received, criterion, level="not_satisfied")
    assert response.status_code == 409 and "chỉ đánh giá một lần" in response.text
    assert Rating.objects.get(dossier=received).level == "satisfied"
    assert differences() == []


def test_every_criterion_must_be_answered(an, received, clerk_binh, criterion):
    returned(received)
    response = an.post(f"/ho-so-cua-toi/{received.code}/danh-gia/", {"level": "satisfied"})
    assert response.status_code == 422 and "Cần chọn một mức." in response.text
    assert not Rating.objects.exists()


def test_an_officer_cannot_rate_a_dossier_she_received(received, clerk_binh, criterion):
    """The desk that received a dossier is not its applicant: a rating feeds the satisfaction
    indicators, and the real applicant must not find it already rated."""
    import pytest

    from motcua.dossiers.actions import ActionError, rate_dossier

    returned(received)
    with pytest.raises(ActionError) as refused:
        rate_dossier(
            dossier=received,
            citizen=clerk_binh,
            level="very_satisfied",
            answers={criterion.pk: "very_satisfied"},
        )
    assert refused.value.status == 403
    assert not Rating.objects.filter(dossier=received).exists()
