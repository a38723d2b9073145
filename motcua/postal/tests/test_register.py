"""Registering the public postal service: one test per channel, across a boundary, once
only, the refusals, the postage by zone (motcua/postal/actions.py, docs/postal.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from motcua.core.actions import ActionError
from motcua.dossiers.models import Dossier, DossierEvent, NationalSyncChange, ResultDelivery
from motcua.dossiers.tests.fixtures import at, clock, returned
from motcua.dossiers.views.timeline import describe
from motcua.org.models import AdministrativeUnit, UnitLevel, UnitSuccession
from motcua.postal.actions import cancel_postal_order, register_postal_service
from motcua.postal.models import OrderChannel, OrderStatus, PostalOrder, PostalTariff, Zone
from motcua.postal.tests.conftest import CAO_LANH, MONDAY, caller, home

pytestmark = pytest.mark.django_db

TUESDAY = at(2026, 3, 3, 9, 0)


def register(dossier: Dossier, actor: Any, channel: str, service: str = "delivery", **kw: Any):
    with clock(TUESDAY):
        return register_postal_service(
            dossier=dossier,
            actor=actor,
            service=service,
            address=kw.pop("address", home()),
            contact=kw.pop("contact", caller()),
            channel=channel,
            **kw,
        )


def refusal(call: Any) -> ActionError:
    with pytest.raises(ActionError) as caught:
        call()
    return caught.value


def test_the_citizen_orders_pickup_and_delivery_on_the_portal(submitted, an):
    pickup = register(submitted, an, OrderChannel.PORTAL, "pickup")
    delivery = register(submitted, an, OrderChannel.PORTAL, "delivery", note="Gọi trước")

    assert pickup.created and delivery.created
    assert pickup.order.channel == OrderChannel.PORTAL
    assert pickup.order.registered_by == an
    assert pickup.order.contact_phone == "0912345678"
    assert pickup.order.status == OrderStatus.REGISTERED
    assert pickup.order.created_at == TUESDAY
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert dossier.result_delivery == ResultDelivery.POSTAL
    assert dossier.delivery_address == "12 Lý Thường Kiệt, khóm 3, Phường Cao Lãnh"
    events = list(dossier.events.filter(kind="register_postal_service").order_by("seq"))
    assert [e.data["service"] for e in events] == ["pickup", "delivery"]
    assert events[0].data["order"] == pickup.order.pk
    assert "0912345678" not in str(events[0].data)  # no personal data in the chain
    assert dossier.status == "submitted"  # not a status change
    assert describe(events[1]).startswith("Đăng ký dịch vụ bưu chính công ích: chuyển trả")


def test_a_pickup_collects_the_unpaid_fees_on_the_agencys_behalf(submitted, an):
    Dossier.objects.filter(pk=submitted.pk).update(fee_total_vnd=100_000, paid_vnd=30_000)
    pickup = register(submitted, an, OrderChannel.PORTAL, "pickup").order
    delivery = register(submitted, an, OrderChannel.PORTAL, "delivery").order
    assert (pickup.cod_vnd, delivery.cod_vnd) == (70_000, 0)


def test_the_1022_operator_orders_delivery_from_a_call(justice_dossier, operator_ha):
    order = register(justice_dossier, operator_ha, OrderChannel.HOTLINE).order
    assert (order.channel, order.registered_by) == (OrderChannel.HOTLINE, operator_ha)


def test_the_desk_clerk_orders_delivery(justice_dossier, clerk_binh):
    order = register(justice_dossier, clerk_binh, OrderChannel.DESK).order
    assert order.channel == OrderChannel.DESK


def test_the_post_office_officer_orders_delivery(justice_dossier, postman_khoa):
    order = register(justice_dossier, postman_khoa, OrderChannel.POST_OFFICE).order
    assert order.channel == OrderChannel.POST_OFFICE


def test_a_commune_desk_orders_delivery_for_a_provincial_departments_dossier(
    justice_dossier, commune_clerk
):
    assert justice_dossier.competent_agency.name == "Sở Tư pháp"
    assert justice_dossier.desk.kind == "centre"
    order = register(justice_dossier, commune_clerk, OrderChannel.DESK).order
    assert order.dossier_id == justice_dossier.pk
    assert order.zone == Zone.SAME_PROVINCE


def test_registering_the_same_again_answers_the_same_order(justice_dossier, clerk_binh, an):
    first = register(justice_dossier, clerk_binh, OrderChannel.DESK)
    again = register(justice_dossier, clerk_binh, OrderChannel.DESK)
    assert (again.order.pk, again.created) == (first.order.pk, False)
    assert PostalOrder.objects.filter(dossier=justice_dossier).count() == 1
    assert justice_dossier.events.filter(kind="register_postal_service").count() == 1


def test_another_registration_of_an_ordered_service_is_refused_until_cancelled(
    justice_dossier, clerk_binh, operator_ha
):
    first = register(justice_dossier, clerk_binh, OrderChannel.DESK).order
    other = refusal(
        lambda: register(
            justice_dossier, operator_ha, OrderChannel.HOTLINE, contact=caller("0987654321")
        )
    )
    assert (other.status, other.code) == (409, "already_ordered")
    assert "đã đăng ký chuyển trả kết quả" in other.message

    cancelled = cancel_postal_order(order=first, actor=operator_ha, reason="Đổi người nhận")
    assert cancelled.status == OrderStatus.CANCELLED
    assert Dossier.objects.get(pk=justice_dossier.pk).result_delivery == ResultDelivery.DESK
    again = register(
        justice_dossier, operator_ha, OrderChannel.HOTLINE, contact=caller("0987654321")
    )
    assert again.created and again.order.pk != first.pk
    twice = refusal(lambda: cancel_postal_order(order=cancelled, actor=operator_ha))
    assert (twice.status, twice.code) == (409, "postal_not_cancellable")


@pytest.mark.parametrize(
    ("persona", "channel"),
    [
        ("specialist_chi", OrderChannel.DESK),  # not a receptionist
        ("specialist_chi", OrderChannel.HOTLINE),
        ("clerk_binh", OrderChannel.POST_OFFICE),
        ("clerk_binh", OrderChannel.PORTAL),  # an officer is nobody's applicant
        ("admin_anh", OrderChannel.API),  # reads across, works on no dossier
    ],
)
def test_a_role_the_channel_does_not_name_is_refused(request, justice_dossier, persona, channel):
    actor = request.getfixturevalue(persona)
    refused = refusal(lambda: register(justice_dossier, actor, channel))
    assert (refused.status, refused.code) == (403, "forbidden")
    assert not PostalOrder.objects.exists()


def test_someone_elses_dossier_is_refused_on_the_portal(justice_dossier, an):
    refused = refusal(lambda: register(justice_dossier, an, OrderChannel.PORTAL))
    assert refused.status == 403


def test_an_officer_of_the_dossiers_agency_registers_through_the_api(
    justice_dossier, specialist_chi
):
    order = register(justice_dossier, specialist_chi, OrderChannel.API).order
    assert order.channel == OrderChannel.API


def test_a_returned_dossier_takes_no_postal_order(justice_dossier, clerk_binh):
    with clock(TUESDAY):
        done = returned(justice_dossier)
    refused = refusal(lambda: register(done, clerk_binh, OrderChannel.DESK))
    assert (refused.status, refused.code) == (409, "postal_not_allowed")
    assert "Đã trả kết quả" in refused.message


def test_papers_are_collected_only_before_reception_or_for_a_supplement(
    justice_dossier, clerk_binh
):
    refused = refusal(lambda: register(justice_dossier, clerk_binh, OrderChannel.DESK, "pickup"))
    assert (refused.status, refused.code) == (409, "postal_not_allowed")


def _other_province() -> AdministrativeUnit:
    hanoi = AdministrativeUnit.objects.create(
        code="01", name="Thành phố Hà Nội", level=UnitLevel.PROVINCE, valid_from=dt.date(2025, 7, 1)
    )
    return AdministrativeUnit.objects.create(
        code="00070",
        name="Phường Hoàn Kiếm",
        level=UnitLevel.COMMUNE,
        parent=hanoi,
        valid_from=dt.date(2025, 7, 1),
    )


@pytest.mark.parametrize(
    ("address_code", "phone", "code", "field"),
    [
        ("00070", "0912345678", "outside_province", "address.unit_code"),
        ("99999", "0912345678", "unit_not_found", "address.unit_code"),
        ("", "0912345678", "unit_not_found", "address.unit_code"),
        (CAO_LANH, "12345", "bad_phone", "contact.phone"),
        (CAO_LANH, "", "bad_phone", "contact.phone"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    justice_dossier, clerk_binh, address_code, phone, code, field
):
    _other_province()
    refused = refusal(
        lambda: register(
            justice_dossier,
            clerk_binh,
            OrderChannel.DESK,
            address=home(address_code),
            contact=caller(phone),
        )
    )
    assert (refused.status, refused.code, refused.details["field"]) == (422, code, field)
    assert refused.message
    assert not PostalOrder.objects.exists()
    assert not DossierEvent.objects.filter(kind="register_postal_service").exists()


def test_an_unknown_service_or_channel_or_a_blank_address_is_refused(justice_dossier, clerk_binh):
    for call in (
        lambda: register(justice_dossier, clerk_binh, OrderChannel.DESK, "teleport"),
        lambda: register(justice_dossier, clerk_binh, "fax"),
        lambda: register(
            justice_dossier, clerk_binh, OrderChannel.DESK, address=home().__class__(" ", CAO_LANH)
        ),
    ):
        assert refusal(call).status == 422


def test_the_postage_follows_the_zone(commune_dossier, justice_dossier, commune_clerk):
    assert commune_dossier.competent_agency.unit.code == CAO_LANH
    near = register(commune_dossier, commune_clerk, OrderChannel.DESK).order
    far = register(justice_dossier, commune_clerk, OrderChannel.DESK).order
    assert (near.zone, near.fee_vnd) == (Zone.SAME_UNIT, 20_000)
    assert (far.zone, far.fee_vnd) == (Zone.SAME_PROVINCE, 30_000)
    another_ward = (
        AdministrativeUnit.objects.valid_on(MONDAY.date())
        .filter(level=UnitLevel.COMMUNE, parent__code="82")
        .exclude(code=CAO_LANH)
        .first()
    )
    assert another_ward is not None
    cancel_postal_order(order=near, actor=commune_clerk)
    elsewhere = register(
        commune_dossier, commune_clerk, OrderChannel.DESK, address=home(another_ward.code)
    ).order
    assert (elsewhere.zone, elsewhere.fee_vnd) == (Zone.SAME_PROVINCE, 30_000)


def test_an_old_structure_address_counts_as_the_unit_it_became(commune_dossier, commune_clerk):
    # An old ward that went into Cao Lãnh under a code of its own (a code may be reused).
    link = (
        UnitSuccession.objects.filter(
            successor__code=CAO_LANH, predecessor__level=UnitLevel.COMMUNE
        )
        .exclude(predecessor__code=CAO_LANH)
        .select_related("predecessor")
        .first()
    )
    assert link is not None
    order = register(
        commune_dossier, commune_clerk, OrderChannel.DESK, address=home(link.predecessor.code)
    ).order
    assert order.unit == link.predecessor
    assert order.zone == Zone.SAME_UNIT


def test_the_tariff_in_force_on_the_day_applies(justice_dossier, clerk_binh):
    PostalTariff.objects.create(
        zone=Zone.SAME_PROVINCE, service="delivery", fee_vnd=35_000, valid_from=dt.date(2026, 3, 3)
    )
    PostalTariff.objects.create(
        zone=Zone.SAME_PROVINCE, service="delivery", fee_vnd=40_000, valid_from=dt.date(2026, 4, 1)
    )
    assert register(justice_dossier, clerk_binh, OrderChannel.DESK).order.fee_vnd == 35_000


def test_a_delivery_order_is_sent_to_the_national_portal(settings, justice_dossier, clerk_binh):
    settings.NATIONAL_PORTAL_ENABLED = True
    register(justice_dossier, clerk_binh, OrderChannel.DESK)
    assert NationalSyncChange.objects.filter(
        dossier=justice_dossier, kind="register_postal_service"
    ).exists()


def test_the_database_keeps_one_live_order_per_service(justice_dossier, clerk_binh):
    order = register(justice_dossier, clerk_binh, OrderChannel.DESK).order
    fields = {
        f.name: getattr(order, f.name)
        for f in PostalOrder._meta.concrete_fields
        if f.name not in {"id", "status"}
    }
    PostalOrder.objects.create(**fields, status=OrderStatus.CANCELLED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostalOrder.objects.create(**fields)
