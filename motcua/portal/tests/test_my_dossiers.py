"""My dossiers (/ho-so-cua-toi/): mine only, with a plain timeline; anyone else's is 404."""

from __future__ import annotations

import pytest

from motcua.accounts.models import CitizenProfile
from motcua.dossiers.actions import accept_submission, receive_dossier
from motcua.dossiers.tests.fixtures import application, at, clock
from motcua.portal.tests.conftest import centre, online_dossier

pytestmark = pytest.mark.django_db


def test_list_and_timeline_of_my_dossier(an, citizen_an, clerk_binh):
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = online_dossier(citizen_an)
        accept_submission(dossier=dossier, officer=clerk_binh)
    listing = an.get("/ho-so-cua-toi/").text
    assert dossier.code in listing and "Cấp thẻ tư vấn viên pháp luật" in listing
    page = an.get(f"/ho-so-cua-toi/{dossier.code}/").text
    assert "Bạn đã nộp hồ sơ trực tuyến" in page
    assert "Hồ sơ đã được tiếp nhận; ngày hẹn trả kết quả: 09/03/2026." in page
    assert "Nguyễn Thị Bình" not in page  # officers' names are not shown


@pytest.mark.parametrize("suffix", ["", "da-nop/", "danh-gia/", "ket-qua/1/"])
def test_someone_elses_dossier_is_404_like_a_missing_one(binh, citizen_an, suffix):
    dossier = online_dossier(citizen_an)
    assert binh.get(f"/ho-so-cua-toi/{dossier.code}/{suffix}").status_code == 404
    assert binh.get(f"/ho-so-cua-toi/000.00.00.H00-260101-9999/{suffix}").status_code == 404
    assert dossier.code not in binh.get("/ho-so-cua-toi/").text


def test_someone_elses_dossier_cannot_be_supplemented_or_rated(binh, citizen_an):
    dossier = online_dossier(citizen_an)
    assert binh.post(f"/ho-so-cua-toi/{dossier.code}/bo-sung/").status_code == 404
    assert binh.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/").status_code == 404


def test_desk_dossier_is_mine_when_my_verified_id_number_matches(an, citizen_an, clerk_binh):
    profile = CitizenProfile.objects.create(
        user=citizen_an, full_name="Nguyễn Văn An", id_number="087090001234", id_verified=True
    )
    dossier = receive_dossier(application=application("1.000426", centre()), officer=clerk_binh)
    assert an.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 200
    profile.id_verified = False
    profile.save()
    assert an.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 404


def test_the_list_costs_the_same_for_one_or_many(an, citizen_an, django_assert_max_num_queries):
    online_dossier(citizen_an)
    an.get("/ho-so-cua-toi/")
    for _ in range(4):
        online_dossier(citizen_an)
    # Session, user, "is a citizen" (no role anywhere), profile, count, page, ratings, …
    with django_assert_max_num_queries(8):
        assert an.get("/ho-so-cua-toi/").status_code == 200


def test_typing_someone_else_s_id_number_online_makes_it_not_theirs(
    an, binh, citizen_an, citizen_binh
):
    """Citizen A submits online under B's verified ID number: the dossier stays A's alone."""
    from motcua.dossiers.actions import submit_online
    from motcua.dossiers.tests.fixtures import application

    CitizenProfile.objects.create(
        user=citizen_binh, full_name="Trần Thị Bình", id_number="087190005678", id_verified=True
    )
    planted = submit_online(
        application=application("1.000426", centre(), channel="online", id_number="087190005678"),
        citizen=citizen_an,
    )
    assert binh.get(f"/ho-so-cua-toi/{planted.code}/").status_code == 404
    assert an.get(f"/ho-so-cua-toi/{planted.code}/").status_code == 200
