"""The citizen's document store on the portal (/kho-giay-to/): the list, download, delete,
consent; and "Chọn từ Kho giấy tờ" on the online application, recorded as reuse."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.core.files.base import ContentFile

from motcua.dossiers.actions import ReceivedDocument, accept_submission, submit_online
from motcua.dossiers.counters import differences
from motcua.dossiers.models import DailyCounter, Dossier, StoreConsent, StoreEvent, StoreEventKind
from motcua.dossiers.store import citizen_store
from motcua.dossiers.tests.fixtures import application, at, clock
from motcua.portal.models import Draft
from motcua.portal.tests.conftest import PDF, centre, documents_of, pdf

pytestmark = pytest.mark.django_db

STORE = "/kho-giay-to/"
APPLY = "/thu-tuc/1.000426/nop/"


def with_scan(owner: Any, clerk: Any) -> Dossier:
    """An online dossier of ``owner`` with one uploaded document, received by the desk."""
    app = dataclasses.replace(
        application("1.000426", centre(), channel="online"),
        documents=[
            ReceivedDocument("Bản sao CCCD", digitised=True, file=ContentFile(PDF, "c.pdf"))
        ],
    )
    with clock(at(2026, 3, 2, 8, 0)):
        dossier = submit_online(application=app, citizen=owner)
        return accept_submission(dossier=dossier, officer=clerk)


def test_the_store_lists_my_items_with_their_source_and_status(an, citizen_an, clerk_binh):
    dossier = with_scan(citizen_an, clerk_binh)
    page = an.get(STORE).text
    assert "Bản sao CCCD" in page and dossier.code in page
    assert "Cấp thẻ tư vấn viên pháp luật" in page  # the procedure
    assert "Giấy tờ đã nộp" in page and "02/03/2026" in page and "Không thời hạn" in page


def test_download_my_item(an, citizen_an, clerk_binh):
    with_scan(citizen_an, clerk_binh)
    item = citizen_store(citizen_an).get()
    response = an.get(f"{STORE}{item.pk}/tai-ve/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_citizens_item_is_404(binh, citizen_an, clerk_binh):
    with_scan(citizen_an, clerk_binh)
    item = citizen_store(citizen_an).get()
    assert binh.get(f"{STORE}{item.pk}/tai-ve/").status_code == 404
    assert binh.post(f"{STORE}{item.pk}/xoa/").status_code == 404
    assert "Bản sao CCCD" not in binh.get(STORE).text
    assert citizen_store(citizen_an).exists()


@pytest.mark.parametrize("path", ["999999/tai-ve/", "0/tai-ve/", "abc/tai-ve/", "-1/xoa/"])
def test_bad_ids_are_404(an, path):
    response = an.get(f"{STORE}{path}") if "tai-ve" in path else an.post(f"{STORE}{path}")
    assert response.status_code == 404


def test_delete_takes_my_copy_only(an, citizen_an, clerk_binh):
    dossier = with_scan(citizen_an, clerk_binh)
    item = citizen_store(citizen_an).get()
    response = an.post(f"{STORE}{item.pk}/xoa/")
    assert response.status_code == 302
    assert not citizen_store(citizen_an).exists()
    document = dossier.documents.get()
    assert document.file and document.file.storage.exists(document.file.name)
    assert an.get(f"/ho-so-cua-toi/{dossier.code}/giay-to/{document.pk}/").status_code == 200
    assert an.get(f"{STORE}{item.pk}/tai-ve/").status_code == 404
    assert an.post(f"{STORE}{item.pk}/xoa/").status_code == 404  # once only
    assert StoreEvent.objects.filter(kind=StoreEventKind.DELETED, item=item).count() == 1


def test_delete_is_post_only(an, citizen_an, clerk_binh):
    with_scan(citizen_an, clerk_binh)
    item = citizen_store(citizen_an).get()
    assert an.get(f"{STORE}{item.pk}/xoa/").status_code == 405


def test_consent_is_given_and_withdrawn(an, citizen_an):
    an.post(f"{STORE}dong-y/", {"action": "grant"})
    consent = StoreConsent.objects.get(owner=citizen_an)
    assert "Rút lại sự đồng ý" in an.get(STORE).text
    an.post(f"{STORE}dong-y/", {"action": "withdraw"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    kinds = set(StoreEvent.objects.values_list("kind", flat=True))
    assert kinds == {StoreEventKind.CONSENT_GRANTED, StoreEventKind.CONSENT_WITHDRAWN}


def test_a_bad_consent_request_is_refused_plainly(an):
    response = an.post(f"{STORE}dong-y/", {"action": "everything"}, follow=True)
    assert response.status_code == 200 and "Yêu cầu không hợp lệ." in response.text
    assert not StoreConsent.objects.exists()


def submission(client: Any, user: Any, **changes: Any) -> dict[str, Any]:
    client.get(APPLY)
    token = Draft.objects.get(user=user, procedure__code="1.000426").submit_token
    a, b, _c = documents_of("1.000426")
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "087090001234",
        "applicant_phone": "0912 345 678",
        "applicant_email": "an@example.vn",
        "applicant_address": "12 Lý Thường Kiệt, phường Cao Lãnh",
        "desk": str(centre().pk),
        "result_delivery": "online",
        "delivery_address": "",
        "token": token,
        "action": "submit",
        f"doc_{a}": pdf("xac-nhan.pdf"),
        f"doc_{b}": pdf("don.pdf"),
    }
    data.update(changes)
    return data


def test_attach_from_the_store_is_recorded_as_reuse_and_counted(an, citizen_an, clerk_binh):
    earlier = with_scan(citizen_an, clerk_binh)
    item = citizen_store(citizen_an).get()
    c = documents_of("1.000426")[2]
    form = an.get(APPLY).text
    assert "Chọn từ Kho giấy tờ" in form and f'value="{item.pk}"' in form
    with clock(at(2026, 3, 4, 9, 0)):
        response = an.post(APPLY, submission(an, citizen_an, **{f"store_{c}": str(item.pk)}))
    assert response.status_code == 302
    dossier = Dossier.objects.exclude(pk=earlier.pk).get()
    reused = dossier.documents.get(reused=True)
    assert reused.digitised and reused.file.name == earlier.documents.get().file.name
    assert dossier.events.get(kind="submit").data["from_store"] == [item.pk]
    attached = StoreEvent.objects.get(kind=StoreEventKind.ATTACHED)
    assert attached.actor == citizen_an and attached.dossier == dossier and attached.consent is None
    with clock(at(2026, 3, 4, 10, 0)):
        accept_submission(dossier=dossier, officer=clerk_binh)
    assert dossier.events.get(kind="receive").data["reusing"] is True
    assert DailyCounter.objects.filter(received_reusing=1, received_digitised=1).count() == 1
    assert differences() == []
    staff = clerk_binh_client(clerk_binh).get(f"/ho-so/{dossier.code}/").text
    assert "tái sử dụng" in staff


def clerk_binh_client(clerk: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(clerk)
    return client


@pytest.mark.parametrize("value", ["abc", "999999", "-3"])
def test_a_bad_store_pick_is_a_clear_error(an, citizen_an, value):
    c = documents_of("1.000426")[2]
    response = an.post(APPLY, submission(an, citizen_an, **{f"store_{c}": value}))
    # Without a store the field is not offered: the document is simply missing.
    assert response.status_code == 422
    assert not Dossier.objects.exists()


def test_someone_elses_item_cannot_be_attached(an, binh, citizen_an, citizen_binh, clerk_binh):
    with_scan(citizen_binh, clerk_binh)
    with_scan(citizen_an, clerk_binh)
    theirs = citizen_store(citizen_binh).get()
    c = documents_of("1.000426")[2]
    response = an.post(APPLY, submission(an, citizen_an, **{f"store_{c}": str(theirs.pk)}))
    assert response.status_code == 422
    assert "không còn trong Kho giấy tờ" in response.text
    assert Dossier.objects.count() == 2


def test_a_deleted_item_is_no_longer_offered(an, citizen_an, clerk_binh):
    with_scan(citizen_an, clerk_binh)
    item = citizen_store(citizen_an).get()
    an.post(f"{STORE}{item.pk}/xoa/")
    assert "Chọn từ Kho giấy tờ" not in an.get(APPLY).text
