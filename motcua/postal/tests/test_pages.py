"""The post office's pages on a phone, and the desk's receipt page (motcua/postal/views.py):
the whole path from a registered pickup to the dossier received, through the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.core.tests import samples
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import at, clock
from motcua.postal.models import Handover, OrderStatus, PickupCheck
from motcua.postal.tests.test_postoffice import pickup

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def check_form(checklist_size: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "complete": "1",
        "missing": "",
        "guidance": "",
        "slip": SimpleUploadedFile("phieu.png", samples.PNG, content_type="image/png"),
        "extra_name": "",
    }
    for index in range(checklist_size):
        data[f"orig_{index}"] = "1"
        data[f"copy_{index}"] = "0"
    data.update(overrides)
    return data


def test_the_postman_works_a_pickup_from_the_phone(submitted, an, postman_khoa, clerk_binh):
    order = pickup(submitted, an, cod=30_000)
    postman = signed_in(postman_khoa)

    listing = postman.get("/buu-dien/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert submitted.code in html and 'name="viewport"' in html
    assert f'href="/buu-dien/don/{order.pk}/"' in html

    page = postman.get(f"/buu-dien/don/{order.pk}/")
    assert page.status_code == 200
    size = submitted.procedure.documents.count()
    for document in submitted.procedure.documents.all():
        assert document.name[:40] in page.content.decode()
    assert "tối đa 10 MB" in page.content.decode()

    # Incomplete with no word of what is missing: refused, nothing written.
    refused = postman.post(f"/buu-dien/don/{order.pk}/", check_form(size, complete="0"))
    assert refused.status_code == 422
    assert "cần ghi rõ giấy tờ còn thiếu" in refused.content.decode()
    # A slip that is not a photo or a scan: refused by content.
    fake = SimpleUploadedFile("phieu.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    refused = postman.post(f"/buu-dien/don/{order.pk}/", check_form(size, slip=fake))
    assert refused.status_code == 422
    assert "không phải là tệp PDF, JPEG hoặc PNG" in refused.content.decode()
    assert not PickupCheck.objects.exists()

    with clock(at(2026, 3, 4, 15, 0)):
        done = postman.post(
            f"/buu-dien/don/{order.pk}/",
            check_form(size, extra_name="Giấy ủy quyền", extra_orig="1"),
        )
    assert done.status_code == 302
    record = PickupCheck.objects.get(order=order)
    assert record.complete and record.documents[-1]["name"] == "Giấy ủy quyền"
    slip = postman.get(f"/buu-dien/don/{order.pk}/phieu/{record.pk}/")
    assert (slip.status_code, slip["Content-Type"]) == (200, "image/png")
    ready = postman.get("/buu-dien/?trang-thai=ready").content.decode()
    assert submitted.code in ready

    overview = postman.get("/buu-dien/ban-giao/")
    assert f'value="{order.pk}"' in overview.content.decode()
    # Ids that are no ids ("²" is a digit to str.isdigit, 10^30 no row's): said, nothing made.
    for odd in ("²", "1" + "0" * 30, "abc"):
        answer = postman.post("/buu-dien/ban-giao/lap/", {"don": [str(order.pk), odd]})
        assert answer.status_code == 302
        assert not Handover.objects.exists()
    with clock(at(2026, 3, 4, 16, 0)):
        created = postman.post("/buu-dien/ban-giao/lap/", {"don": [str(order.pk)]})
    handover = Handover.objects.get()
    assert created["Location"] == f"/buu-dien/ban-giao/{handover.pk}/"
    printed = postman.get(f"/buu-dien/ban-giao/{handover.pk}/in/").content.decode()
    assert submitted.code in printed and "30.000 đồng" in printed and "04/03/2026" in printed
    pdf = postman.get(f"/buu-dien/ban-giao/{handover.pk}.pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")

    # The postman cannot confirm his own parcel's receipt; the centre's clerk does.
    assert (
        'action="/buu-dien/ban-giao/'
        not in postman.get(f"/buu-dien/ban-giao/{handover.pk}/").content.decode()
    )
    clerk = signed_in(clerk_binh)
    page = clerk.get(f"/buu-dien/ban-giao/{handover.pk}/").content.decode()
    assert f'action="/buu-dien/ban-giao/{handover.pk}/nhan/"' in page
    with clock(at(2026, 3, 5, 10, 0)):
        received = clerk.post(f"/buu-dien/ban-giao/{handover.pk}/nhan/", {"note": ""})
    assert received.status_code == 302
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert (dossier.status, dossier.received_at) == ("received", at(2026, 3, 5, 10, 0))
    order.refresh_from_db()
    assert order.status == OrderStatus.HANDED_OVER


def test_others_do_not_reach_the_post_offices_pages(
    submitted, an, postman_khoa, commune_clerk, clerk_binh
):
    order = pickup(submitted, an)
    assert signed_in(an).get("/buu-dien/").status_code == 403
    assert signed_in(clerk_binh).get("/buu-dien/").status_code == 403
    assert signed_in(clerk_binh).get(f"/buu-dien/don/{order.pk}/").status_code == 403
    assert Client().get("/buu-dien/").status_code == 302  # to sign in
    assert signed_in(postman_khoa).get("/buu-dien/don/999999/").status_code == 404


def test_a_receptionist_of_another_desk_does_not_find_the_handover(
    submitted, an, postman_khoa, commune_clerk
):
    from motcua.postal.checking import CheckedDocument, check_pickup_documents
    from motcua.postal.handing_over import create_handover
    from motcua.postal.tests.test_postoffice import slip

    order = pickup(submitted, an)
    check_pickup_documents(
        order=order,
        officer=postman_khoa,
        complete=True,
        documents=[CheckedDocument("Tờ khai", originals=1)],
        slip=slip(),
    )
    handover = create_handover(officer=postman_khoa, orders=[order])
    other = signed_in(commune_clerk)
    assert other.get(f"/buu-dien/ban-giao/{handover.pk}/").status_code == 404
    assert other.get(f"/buu-dien/ban-giao/{handover.pk}.pdf").status_code == 404
    assert other.post(f"/buu-dien/ban-giao/{handover.pk}/nhan/").status_code == 404
    assert Handover.objects.get().received_at is None
    assert other.get("/buu-dien/ban-giao/").status_code == 200  # their own list, empty
    assert handover.number not in other.get("/buu-dien/ban-giao/").content.decode()
