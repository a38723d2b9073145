"""The citizen's document store (docs/document-store.md): what enters it and when, no
duplicates, deletion that keeps the dossier's files, the desk's use with consent."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from motcua.accounts.models import CitizenProfile
from motcua.core.tests import samples
from motcua.dossiers.actions import (
    ActionError,
    ReceivedDocument,
    accept_submission,
    receive_dossier,
    return_result,
    submit_online,
)
from motcua.dossiers.actions.store import (
    delete_stored_document,
    grant_store_consent,
    keep_documents,
    keep_results,
    withdraw_store_consent,
)
from motcua.dossiers.counters import differences
from motcua.dossiers.models import (
    DailyCounter,
    Dossier,
    StoredDocument,
    StoredKind,
    StoreEvent,
    StoreEventKind,
)
from motcua.dossiers.store import citizen_store, store_offer
from motcua.dossiers.tests.fixtures import application, at, clock, holder, ready

pytestmark = pytest.mark.django_db

AN = "087090001234"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def an(db: Any) -> Any:
    """A citizen whose ID number is verified: dossiers received for it feed her store."""
    user = get_user_model().objects.create_user(username="an", first_name="An")
    CitizenProfile.objects.create(
        user=user, full_name="Nguyễn Văn An", id_number=AN, id_verified=True
    )
    return user


def pdf(name: str = "to-khai.pdf") -> ContentFile[bytes]:
    return ContentFile(samples.PDF, name=name)


def scanned(centre: Any, clerk: Any, *, code: str = "1.000426", id_number: str = AN) -> Any:
    """A dossier received at the desk with its Tờ khai scanned."""
    app = dataclasses.replace(
        application(code, centre, id_number=id_number),
        documents=[ReceivedDocument("Tờ khai", originals=1, digitised=True, file=pdf())],
    )
    with clock(at(2026, 3, 2, 8, 0)):
        return receive_dossier(application=app, officer=clerk, received_at=at(2026, 3, 2, 8, 0))


def test_a_digitised_document_received_for_the_verified_number_enters_the_store(
    an, centre, clerk_binh
):
    dossier = scanned(centre, clerk_binh)
    item = citizen_store(an).get()
    assert item.kind == StoredKind.DOCUMENT and item.dossier == dossier
    assert item.name == "Tờ khai" and len(item.sha256) == 64
    assert str(item.valid_from) == "2026-03-02" and item.valid_until is None
    assert StoreEvent.objects.filter(item=item, kind=StoreEventKind.ADDED).count() == 1


def test_someone_elses_number_feeds_no_store(an, centre, clerk_binh):
    scanned(centre, clerk_binh, id_number="087090009999")
    assert not StoredDocument.objects.exists()


def test_a_returned_result_enters_the_store_once(an, centre, clerk_binh):
    dossier = scanned(centre, clerk_binh)
    with clock(at(2026, 3, 3, 9, 0)):
        dossier = ready(dossier, result_file=pdf("ket-qua.pdf"))
        dossier = return_result(dossier=dossier, officer=holder(dossier))
    result = citizen_store(an).get(kind=StoredKind.RESULT)
    assert result.result == dossier.results.get() and result.dossier == dossier
    # A repeated side effect adds nothing.
    assert keep_results(dossier=dossier) == [] and keep_documents(dossier=dossier) == []
    assert StoredDocument.objects.count() == 2
    assert StoreEvent.objects.filter(kind=StoreEventKind.ADDED).count() == 2


def test_an_online_submission_feeds_the_account_that_filed_it_when_received(an, centre, clerk_binh):
    app = dataclasses.replace(
        application("1.000426", centre, channel="online"),
        documents=[ReceivedDocument("Tờ khai", digitised=True, file=pdf())],
    )
    dossier = submit_online(application=app, citizen=an)
    assert not StoredDocument.objects.exists()  # not received yet: nothing checked
    accept_submission(dossier=dossier, officer=clerk_binh)
    assert citizen_store(an).get().document == dossier.documents.get()


def test_deleting_keeps_the_dossiers_file_and_never_comes_back(an, centre, clerk_binh):
    dossier = scanned(centre, clerk_binh)
    item = citizen_store(an).get()
    name = item.document.file.name
    delete_stored_document(item=item, citizen=an)
    assert not citizen_store(an).exists()
    document = dossier.documents.get()
    assert document.file.name == name and document.file.storage.exists(name)
    assert StoreEvent.objects.filter(item=item, kind=StoreEventKind.DELETED, actor=an).exists()
    assert keep_documents(dossier=dossier) == []  # a retry does not restore it
    with pytest.raises(ActionError) as refused:
        delete_stored_document(item=item, citizen=an)
    assert refused.value.code == "already_deleted"


def test_another_citizen_cannot_delete(an, centre, clerk_binh):
    scanned(centre, clerk_binh)
    other = get_user_model().objects.create_user(username="binh")
    with pytest.raises(ActionError) as refused:
        delete_stored_document(item=citizen_store(an).get(), citizen=other)
    assert refused.value.code == "not_yours" and refused.value.status == 404


def test_the_desk_needs_the_citizens_consent(an, centre, clerk_binh):
    scanned(centre, clerk_binh)
    item = citizen_store(an).get()
    app = dataclasses.replace(
        application("1.000426", centre), documents=[ReceivedDocument("Tờ khai", stored=item.pk)]
    )
    assert store_offer(AN, at(2026, 3, 4, 9, 0)).items == []
    with pytest.raises(ActionError) as refused:
        receive_dossier(application=app, officer=clerk_binh)
    assert refused.value.code == "store_consent_required"

    consent = grant_store_consent(citizen=an)
    dossier = receive_dossier(application=app, officer=clerk_binh)
    document = dossier.documents.get()
    assert document.reused and document.digitised
    assert document.file.name == item.document.file.name
    event = dossier.events.get(kind="receive")
    assert event.data["reusing"] is True and event.data["from_store"] == [item.pk]
    assert event.data["store_consent"] == consent.pk
    used = StoreEvent.objects.get(kind=StoreEventKind.ATTACHED)
    assert used.consent == consent and used.actor == clerk_binh and used.dossier == dossier
    assert StoredDocument.objects.filter(owner=an).count() == 1  # a reused copy adds nothing
    assert DailyCounter.objects.filter(received_reusing=1).exists()
    assert differences() == []

    withdraw_store_consent(citizen=an)
    with pytest.raises(ActionError):
        receive_dossier(application=app, officer=clerk_binh)


def test_an_officer_cannot_consent_for_the_citizen(clerk_binh):
    with pytest.raises(ActionError) as refused:
        grant_store_consent(citizen=clerk_binh)
    assert refused.value.status == 403


def test_consent_hours_are_bounded(an):
    with pytest.raises(ActionError):
        grant_store_consent(citizen=an, hours=0)


# ---- the reception screen ---------------------------------------------------------------


def desk(clerk: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(clerk)
    return client


def test_the_reception_screen_offers_the_store_only_with_consent(an, centre, clerk_binh):
    from motcua.dossiers.tests.test_views_reception import form_data

    scanned(centre, clerk_binh)
    item = citizen_store(an).get()
    client = desk(clerk_binh)
    lookup = {"applicant_id_number": AN, "procedure": "1.000426"}
    recall = client.post("/ho-so/tiep-nhan/chu-ho-so/", lookup, HTTP_HX_REQUEST="true")
    assert 'name="from_store"' not in recall.text
    refused = client.post("/ho-so/tiep-nhan/", form_data(from_store=str(item.pk)))
    assert refused.status_code == 422  # not offered: not a valid choice
    assert "công dân chưa đồng ý" in refused.text

    with clock(at(2026, 3, 3, 8, 0)):
        grant_store_consent(citizen=an)
    with clock(at(2026, 3, 3, 9, 0)):
        recall = client.post("/ho-so/tiep-nhan/chu-ho-so/", lookup, HTTP_HX_REQUEST="true")
        assert f'name="from_store" value="{item.pk}"' in recall.text
        response = client.post("/ho-so/tiep-nhan/", form_data(from_store=str(item.pk)))
    assert response.status_code == 302
    dossier = Dossier.objects.latest("pk")
    assert dossier.documents.filter(reused=True, file=item.document.file.name).count() == 1
    assert StoreEvent.objects.filter(kind=StoreEventKind.ATTACHED, actor=clerk_binh).exists()
