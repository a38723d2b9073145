"""Registering the postal service from a screen: the citizen's page on the portal and the
officers' pages (``/buu-chinh/``), with the action's refusals shown on the form
(motcua/postal/registration.py, motcua/portal/views/postal.py; docs/postal.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.tests.fixtures import clock, leader_of
from motcua.postal.models import OrderChannel, OrderStatus, PostalOrder
from motcua.postal.tests.conftest import CAO_LANH
from motcua.postal.tests.test_register import TUESDAY

pytestmark = pytest.mark.django_db

FORM = {
    "address_line": "12 Lý Thường Kiệt, khóm 3",
    "unit_code": CAO_LANH,
    "contact_name": "Nguyễn Văn An",
    "contact_phone": "0912 345 678",
    "preferred_time": "sau 17 giờ",
    "note": "",
}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_citizen_orders_both_services_from_my_dossiers(submitted, an):
    client = signed_in(an)
    page = client.get(f"/ho-so-cua-toi/{submitted.code}/")
    assert f"/ho-so-cua-toi/{submitted.code}/buu-chinh/" in page.content.decode()
    form = client.get(f"/ho-so-cua-toi/{submitted.code}/buu-chinh/")
    assert form.status_code == 200
    assert "Cả hai: thu gom hồ sơ và chuyển trả kết quả" in form.content.decode()

    with clock(TUESDAY):
        done = client.post(
            f"/ho-so-cua-toi/{submitted.code}/buu-chinh/", {**FORM, "service": "both"}
        )

    assert done.status_code == 302
    orders = PostalOrder.objects.filter(dossier=submitted).order_by("service")
    assert [(o.service, o.channel, o.contact_phone) for o in orders] == [
        ("delivery", OrderChannel.PORTAL, "0912345678"),
        ("pickup", OrderChannel.PORTAL, "0912345678"),
    ]
    shown = client.get(done["Location"]).content.decode()
    assert "Đã đăng ký 2 dịch vụ bưu chính công ích" in shown
    assert "Thu gom hồ sơ tại nhà" in shown and "Đã đăng ký" in shown
    assert "Đăng ký dịch vụ bưu chính" not in shown  # nothing left to order


def test_the_submitted_page_offers_the_post(submitted, an):
    page = signed_in(an).get(f"/ho-so-cua-toi/{submitted.code}/da-nop/").content.decode()
    assert f"/ho-so-cua-toi/{submitted.code}/buu-chinh/" in page


def test_bad_input_is_shown_on_the_form_and_changes_nothing(submitted, an):
    client = signed_in(an)
    too_long = {**FORM, "service": "pickup", "address_line": "x" * 256, "contact_phone": "12"}
    answer = client.post(f"/ho-so-cua-toi/{submitted.code}/buu-chinh/", too_long)
    assert answer.status_code == 422
    assert "tối đa 255 kí tự" in answer.content.decode()  # Django's own Vietnamese
    bad_phone = client.post(
        f"/ho-so-cua-toi/{submitted.code}/buu-chinh/",
        {**FORM, "service": "pickup", "contact_phone": "12"},
    )
    assert bad_phone.status_code == 422
    assert 'id="id_contact_phone_error"' in bad_phone.content.decode()
    unknown_unit = client.post(
        f"/ho-so-cua-toi/{submitted.code}/buu-chinh/",
        {**FORM, "service": "pickup", "unit_code": "00070"},
    )
    assert unknown_unit.status_code == 422  # not among the province's units
    assert not PostalOrder.objects.exists()


def test_the_citizen_cancels_an_order_not_started(submitted, an):
    client = signed_in(an)
    with clock(TUESDAY):
        client.post(f"/ho-so-cua-toi/{submitted.code}/buu-chinh/", {**FORM, "service": "delivery"})
    order = PostalOrder.objects.get()
    answer = client.post(f"/ho-so-cua-toi/{submitted.code}/buu-chinh/huy/{order.pk}/")
    assert answer.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Dossier.objects.get(pk=submitted.pk).result_delivery != ResultDelivery.POSTAL


def test_another_citizens_dossier_is_missing(submitted, django_user_model):
    stranger = django_user_model.objects.create_user(username="nguoi_la")
    answer = signed_in(stranger).get(f"/ho-so-cua-toi/{submitted.code}/buu-chinh/")
    assert answer.status_code == 404


@pytest.mark.parametrize("persona", ["operator_ha", "postman_khoa", "commune_clerk"])
def test_officers_find_any_dossier_of_the_province_and_register(request, justice_dossier, persona):
    """The 1022 operator, the post office and a commune's desk (for a provincial
    department's dossier, across the boundary), each through their own channel."""
    officer = request.getfixturevalue(persona)
    client = signed_in(officer)
    found = client.get("/buu-chinh/", {"ma": justice_dossier.code.lower()})
    assert found.status_code == 302
    assert found["Location"] == f"/buu-chinh/ho-so/{justice_dossier.code}/"
    with clock(TUESDAY):
        done = client.post(found["Location"], {**FORM, "service": "delivery"})
    assert done.status_code == 302
    order = PostalOrder.objects.get(dossier=justice_dossier)
    expected = {
        "operator_ha": OrderChannel.HOTLINE,
        "postman_khoa": OrderChannel.POST_OFFICE,
        "commune_clerk": OrderChannel.DESK,
    }[persona]
    assert (order.channel, order.registered_by) == (expected, officer)
    page = client.get(done["Location"]).content.decode()
    assert f'id="postal-order-{order.pk}"' in page


def test_a_second_different_registration_is_refused_on_the_form(justice_dossier, operator_ha):
    client = signed_in(operator_ha)
    url = f"/buu-chinh/ho-so/{justice_dossier.code}/"
    with clock(TUESDAY):
        client.post(url, {**FORM, "service": "delivery"})
    # The service ordered is no longer offered: the form refuses it as a choice.
    again = client.post(url, {**FORM, "service": "delivery", "address_line": "Khác"})
    assert again.status_code == 422
    assert PostalOrder.objects.count() == 1


def test_an_unknown_code_is_said_plainly(operator_ha):
    answer = signed_in(operator_ha).get("/buu-chinh/", {"ma": "KHONG-CO"})
    assert answer.status_code == 404
    assert "Không tìm thấy hồ sơ có mã KHONG-CO" in answer.content.decode()


def test_an_officer_who_registers_nothing_is_told_so(justice_dossier):
    officer = leader_of(justice_dossier.competent_agency)  # sees the dossier, registers nothing
    answer = signed_in(officer).get(f"/buu-chinh/ho-so/{justice_dossier.code}/")
    assert answer.status_code == 403
    assert PostalOrder.objects.count() == 0
