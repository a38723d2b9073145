"""The post office's side of a pickup: the check at the door, the hand-over record, the desk's
receipt starting the clock (motcua/postal/checking.py, handing_over.py; docs/postal.md).

Citizen An submits a Justice dossier online on Monday 02/03/2026 and orders a pickup on
Tuesday; postman Khoa checks the papers on Wednesday and hands them over to the provincial
centre; clerk Bình confirms receipt on Thursday 05/03/2026 at 10:00.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db.models import Sum
from pypdf import PdfReader

from motcua.core.actions import ActionError
from motcua.core.tests import samples
from motcua.dossiers.actions import forward_dossier, request_supplement, submit_online
from motcua.dossiers.clock import calendar_of, statutory_due
from motcua.dossiers.models import AgencyDayCounter, Dossier
from motcua.dossiers.tests.fixtures import application, at, clock, holder
from motcua.dossiers.views.timeline import describe
from motcua.postal import counters as postal_counters
from motcua.postal.actions import register_postal_service
from motcua.postal.checking import CheckedDocument, check_pickup_documents, checklist
from motcua.postal.handing_over import create_handover, receive_handover
from motcua.postal.models import (
    HandoverOutcome,
    OrderChannel,
    OrderStatus,
    PostalDayCounter,
    PostalOrder,
)
from motcua.postal.printing import handover_pdf
from motcua.postal.tests.conftest import MONDAY, caller, home

pytestmark = pytest.mark.django_db

TUESDAY = at(2026, 3, 3, 9, 0)
WEDNESDAY = at(2026, 3, 4, 15, 30)
THURSDAY = at(2026, 3, 5, 10, 0)


def slip(content: bytes = samples.PNG, name: str = "phieu.png") -> ContentFile:
    return ContentFile(content, name=name)


def pickup(
    dossier: Dossier, actor: Any, cod: int = 0, channel: str = OrderChannel.PORTAL
) -> PostalOrder:
    if cod:
        Dossier.objects.filter(pk=dossier.pk).update(fee_total_vnd=cod, paid_vnd=0)
        dossier.refresh_from_db()
    with clock(TUESDAY):
        return register_postal_service(
            dossier=dossier,
            actor=actor,
            service="pickup",
            address=home(),
            contact=caller(),
            channel=channel,
        ).order


def check(order: PostalOrder, officer: Any, complete: bool = True, **kw: Any) -> Any:
    with clock(kw.pop("when", WEDNESDAY)):
        return check_pickup_documents(
            order=order,
            officer=officer,
            complete=complete,
            documents=kw.pop("documents", [CheckedDocument("Tờ khai", originals=1, copies=1)]),
            slip=kw.pop("slip", slip()),
            **kw,
        )


def another_submission(an: Any, centre: Any) -> Dossier:
    with clock(MONDAY):
        return submit_online(
            application=application("1.000426", centre, channel="online"), citizen=an
        )


def refusal(call: Any) -> ActionError:
    with pytest.raises(ActionError) as caught:
        call()
    return caught.value


# ---- the check -------------------------------------------------------------------------------


def test_the_checklist_is_the_procedures_required_documents(submitted):
    items = checklist(submitted)
    catalogue = list(submitted.procedure.documents.order_by("position", "pk"))
    assert [i.name for i in items] == [d.name for d in catalogue]
    assert [(i.originals, i.copies) for i in items] == [(d.originals, d.copies) for d in catalogue]


def test_a_complete_check_makes_the_parcel_ready(submitted, an, postman_khoa):
    order = pickup(submitted, an)
    record = check(order, postman_khoa, guidance="Đã ký phiếu")

    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTED
    assert (record.complete, record.originals, record.copies) == (True, 1, 1)
    assert record.slip.name.startswith("postal/slips/2026/03/")
    assert record.slip.name.endswith(".png")
    event = submitted.events.get(kind="postal_documents_checked")
    assert event.data["complete"] is True
    assert (event.data["documents"], event.data["originals"], event.data["copies"]) == (1, 1, 1)
    assert "0912345678" not in str(event.data) and "Lý Thường Kiệt" not in str(event.data)
    assert describe(event) == "Bưu điện kiểm tra hồ sơ thu gom: đủ (1 bản chính, 1 bản sao)."
    assert Dossier.objects.get(pk=submitted.pk).status == "submitted"  # no status change


def test_an_incomplete_check_waits_for_the_applicant_then_a_second_check(
    submitted, an, postman_khoa
):
    order = pickup(submitted, an)
    assert refusal(lambda: check(order, postman_khoa, complete=False)).code == "missing_required"

    first = check(
        order, postman_khoa, complete=False, missing="Bản sao CCCD", guidance="Bổ sung bản sao"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.REGISTERED  # still waiting for the applicant
    assert first.missing == "Bản sao CCCD"

    second = check(order, postman_khoa, when=at(2026, 3, 5, 8, 0))
    order.refresh_from_db()
    assert second.complete and order.status == OrderStatus.COLLECTED
    outcomes = [
        e.data["complete"] for e in submitted.events.filter(kind="postal_documents_checked")
    ]
    assert outcomes == [False, True]


def test_the_carriers_collected_status_is_kept(submitted, an, postman_khoa):
    order = pickup(submitted, an)
    PostalOrder.objects.filter(pk=order.pk).update(status=OrderStatus.COLLECTING)
    check(order, postman_khoa)
    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTED


def test_only_a_postal_officer_checks(submitted, an, clerk_binh, operator_ha):
    order = pickup(submitted, an)
    for someone in (clerk_binh, operator_ha, an):
        assert refusal(lambda someone=someone: check(order, someone)).status == 403
    assert not order.checks.exists()


def test_the_slip_is_checked_by_content_and_size(submitted, an, postman_khoa, settings):
    order = pickup(submitted, an)
    fake = refusal(lambda: check(order, postman_khoa, slip=slip(b"MZ\x90\x00 not a scan", "a.pdf")))
    assert fake.code == "bad_slip" and "PDF, JPEG hoặc PNG" in fake.message
    settings.PORTAL_UPLOAD_MAX_MB = 1
    big = samples.PNG + b"\0" * (1024 * 1024)
    too_large = refusal(lambda: check(order, postman_khoa, slip=slip(big)))
    assert too_large.code == "bad_slip" and "vượt quá giới hạn 1 MB" in too_large.message
    assert not order.checks.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.REGISTERED


def test_a_cancelled_order_is_not_checked(submitted, an, postman_khoa):
    order = pickup(submitted, an)
    PostalOrder.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    assert refusal(lambda: check(order, postman_khoa)).code == "postal_not_checkable"


# ---- the hand-over ---------------------------------------------------------------------------


@pytest.fixture
def two_ready(submitted, an, centre, postman_khoa) -> list[PostalOrder]:
    first = pickup(submitted, an, cod=50_000)
    second = pickup(another_submission(an, centre), an, cod=25_000)
    check(first, postman_khoa)
    check(
        second,
        postman_khoa,
        documents=[CheckedDocument("Tờ khai", originals=1), CheckedDocument("CCCD", copies=2)],
    )
    return [first, second]


def handover_of(orders: list[PostalOrder], officer: Any) -> Any:
    with clock(at(2026, 3, 4, 16, 0)):
        return create_handover(officer=officer, orders=orders)


def test_the_handover_lists_the_dossiers_their_documents_and_the_fees(two_ready, postman_khoa):
    handover = handover_of(two_ready, postman_khoa)

    assert handover.number == f"BG-2026-{handover.pk:06d}"
    assert handover.desk == two_ready[0].dossier.desk
    assert handover.cod_total_vnd == 75_000
    items = list(handover.items.order_by("position"))
    assert [(i.originals, i.copies, i.cod_vnd) for i in items] == [(1, 1, 50_000), (1, 2, 25_000)]
    assert items[1].documents[1] == {"name": "CCCD", "originals": 0, "copies": 2, "mandatory": True}
    for order in two_ready:
        assert order.dossier.events.filter(kind="postal_handover_created").exists()
    again = refusal(lambda: handover_of(two_ready[:1], postman_khoa))
    assert again.code == "not_ready_for_handover"


def test_an_unchecked_or_incomplete_parcel_is_not_handed_over(submitted, an, postman_khoa):
    order = pickup(submitted, an)
    assert refusal(lambda: handover_of([order], postman_khoa)).code == "not_ready_for_handover"
    check(order, postman_khoa, complete=False, missing="Tờ khai")
    assert refusal(lambda: handover_of([order], postman_khoa)).code == "not_ready_for_handover"


def test_the_handover_pdf_has_the_dossier_codes_and_the_total(two_ready, postman_khoa):
    handover = handover_of(two_ready, postman_khoa)
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(handover_pdf(handover))).pages
    )
    flat = "".join(text.split())
    for order in two_ready:
        assert order.dossier.code in flat
    assert "75.000đồng" in flat
    assert "BIÊNBẢNBÀNGIAOHỒSƠ" in flat.upper()
    assert "04/03/2026" in flat


# ---- the receipt and the clock ---------------------------------------------------------------


def test_the_receipt_receives_the_dossier_and_starts_its_clock_then(
    two_ready, postman_khoa, clerk_binh
):
    handover = handover_of(two_ready, postman_khoa)
    received_before = AgencyDayCounter.objects.aggregate(n=Sum("received_online"))["n"] or 0
    with clock(at(2026, 3, 5, 11, 0)):
        receive_handover(handover=handover, officer=clerk_binh, received_at=THURSDAY)

    handover.refresh_from_db()
    assert (handover.received_at, handover.received_by) == (THURSDAY, clerk_binh)
    assert handover.remitted_vnd == 75_000
    for order in two_ready:
        order.refresh_from_db()
        dossier = Dossier.objects.get(pk=order.dossier_id)
        assert order.status == OrderStatus.HANDED_OVER
        assert dossier.status == "received"
        assert dossier.received_at == THURSDAY
        assert dossier.due_at == statutory_due(
            dossier.procedure,
            channel=dossier.channel,
            received_at=THURSDAY,
            calendar=calendar_of(dossier.competent_agency_id),
        )
        assert dossier.due_at > THURSDAY
        kinds = list(dossier.events.order_by("seq").values_list("kind", flat=True))
        assert kinds[-2:] == ["receive", "postal_handover_received"]
        assert dossier.events.get(kind="postal_handover_received").data["clock_started"] is True
    received_after = AgencyDayCounter.objects.aggregate(n=Sum("received_online"))["n"] or 0
    assert received_after - received_before == 2
    again = refusal(lambda: receive_handover(handover=handover, officer=clerk_binh))
    assert again.code == "already_received"


def test_a_missing_parcel_stays_to_hand_over_and_its_fees_are_not_remitted(
    two_ready, postman_khoa, clerk_binh
):
    handover = handover_of(two_ready, postman_khoa)
    lost = two_ready[1]
    with clock(at(2026, 3, 5, 11, 0)):
        receive_handover(
            handover=handover, officer=clerk_binh, missing=[lost.pk], received_at=THURSDAY
        )
    handover.refresh_from_db()
    assert handover.remitted_vnd == 50_000
    assert handover.items.get(order=lost).outcome == HandoverOutcome.MISSING
    lost.refresh_from_db()
    assert lost.status == OrderStatus.COLLECTED
    assert Dossier.objects.get(pk=lost.dossier_id).status == "submitted"
    assert lost.dossier.events.filter(kind="postal_parcel_missing").exists()
    # The report's counters: the fees of the parcel received, not of the lost one; the
    # statuses as the orders are; the same as the recount from the orders and records.
    totals = PostalDayCounter.objects.aggregate(
        remitted=Sum("cod_remitted_vnd"), handed=Sum("handed_over"), collected=Sum("collected")
    )
    assert totals == {"remitted": 50_000, "handed": 1, "collected": 1}
    assert postal_counters.differences() == []
    # Found later, it goes into a new hand-over.
    assert handover_of([lost], postman_khoa).items.get().order == lost


def test_a_receptionist_of_another_desk_is_refused(two_ready, postman_khoa, commune_clerk):
    handover = handover_of(two_ready, postman_khoa)
    assert refusal(lambda: receive_handover(handover=handover, officer=commune_clerk)).status == 403
    assert refusal(lambda: receive_handover(handover=handover, officer=postman_khoa)).status == 403
    handover.refresh_from_db()
    assert handover.received_at is None


def test_a_supplements_papers_arrive_without_restarting_the_clock(
    justice_dossier, an, postman_khoa, clerk_binh
):
    with clock(at(2026, 3, 2, 9, 0)):
        dossier = forward_dossier(dossier=justice_dossier, officer=clerk_binh)
    with clock(at(2026, 3, 2, 10, 0)):
        dossier = request_supplement(
            dossier=dossier, officer=holder(dossier), reason="Thiếu", items=["Bản sao CCCD"]
        )
    due = dossier.due_at
    order = pickup(dossier, clerk_binh, channel=OrderChannel.DESK)
    check(order, postman_khoa, documents=[CheckedDocument("Bản sao CCCD", copies=1)])
    handover = handover_of([order], postman_khoa)
    with clock(at(2026, 3, 5, 11, 0)):
        receive_handover(handover=handover, officer=clerk_binh, received_at=THURSDAY)

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == "supplement_requested"  # the agency completes it after checking
    assert (dossier.received_at, dossier.due_at) == (justice_dossier.received_at, due)
    event = dossier.events.get(kind="postal_handover_received")
    assert (event.data["clock_started"], event.data["supplement"]) == (False, True)
    assert not dossier.events.filter(kind="receive", at=THURSDAY).exists()


def test_a_communes_post_office_works_only_its_commune(submitted, an):
    from django.http import Http404

    from motcua.dossiers.tests.fixtures import make_user
    from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, Role, UnitLevel
    from motcua.postal.access import pickup_order_for

    order = pickup(submitted, an)  # the address is in Phường Cao Lãnh
    elsewhere = (
        AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, parent=order.unit.parent)
        .exclude(pk=order.unit_id)
        .order_by("code")
        .first()
    )

    def post_office_in(unit: AdministrativeUnit, code: str) -> Any:
        office = Agency.objects.create(
            code=code, name=f"Bưu điện {unit.name}", kind=AgencyKind.POST_OFFICE, unit=unit
        )
        return make_user(f"buudien-{code}", office, Role.POSTAL_OFFICER)

    other = post_office_in(elsewhere, "BD.01")
    local = post_office_in(order.unit, "BD.02")
    with pytest.raises(Http404):
        pickup_order_for(other, order.pk)
    assert refusal(lambda: check(order, other)).status == 403
    assert pickup_order_for(local, order.pk) == order
    assert check(order, local).complete


# ---- after review: what changed since the check, odd input, the catalogue's long lists ------


def test_a_refused_dossiers_parcel_is_neither_handed_over_nor_received(
    two_ready, postman_khoa, clerk_binh, an
):
    from motcua.dossiers.actions import refuse_submission

    handover = handover_of(two_ready, postman_khoa)
    gone = two_ready[1]
    refuse_submission(
        dossier=Dossier.objects.get(pk=gone.dossier_id), officer=clerk_binh, reason="Trùng hồ sơ"
    )

    refused = refusal(lambda: receive_handover(handover=handover, officer=clerk_binh))
    assert refused.code == "parcel_not_receivable"
    assert Dossier.objects.get(pk=gone.dossier_id).code in refused.message
    handover.refresh_from_db()
    assert not handover.received
    assert Dossier.objects.get(pk=two_ready[0].dossier_id).status == "submitted"  # all or none
    # Marked missing, the rest is received.
    with clock(at(2026, 3, 5, 11, 0)):
        receive_handover(
            handover=handover, officer=clerk_binh, missing=[gone.pk], received_at=THURSDAY
        )
    assert Dossier.objects.get(pk=two_ready[0].dossier_id).status == "received"
    # A new record refuses the refused dossier's parcel.
    again = refusal(lambda: handover_of([gone], postman_khoa))
    assert again.code == "not_ready_for_handover"


def test_a_procedure_with_a_long_catalogue_list_can_be_checked(submitted, an, postman_khoa):
    """The national catalogue has procedures of 94 documents, names of 7,000 characters and
    181 originals: rows at zero are dropped, the catalogue's names and counts taken."""
    order = pickup(submitted, an)
    long_name = "Giấy tờ " + "x" * 7400
    rows = [CheckedDocument(f"Giấy tờ {n}") for n in range(94)]
    rows += [CheckedDocument(long_name, originals=181)]
    record = check(order, postman_khoa, documents=rows)
    assert (record.complete, record.originals) == (True, 181)
