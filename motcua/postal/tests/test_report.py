"""The postal report: orders by service, channel, status and agency, read from the counters
the actions keep, and those counters against their recount (motcua/reports/postal.py,
motcua/postal/counters.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.dossiers.actions import receive_dossier
from motcua.dossiers.tests.fixtures import (
    application,
    at,
    clock,
    leader_of,
    member,
    receptionist,
)
from motcua.org.models import Desk, DeskKind, Role
from motcua.postal import counters as postal_counters
from motcua.postal.actions import cancel_postal_order
from motcua.postal.models import OrderChannel, PostalDayCounter, PostalOrder
from motcua.postal.tests.conftest import MONDAY
from motcua.postal.tests.test_register import TUESDAY, register
from motcua.reports.postal import postal_report

pytestmark = pytest.mark.django_db


def test_the_report_counts_orders_by_service_channel_status_and_agency(
    submitted, an, justice_dossier, operator_ha
):
    register(submitted, an, OrderChannel.PORTAL, "pickup")
    register(submitted, an, OrderChannel.PORTAL, "delivery")
    hotline = register(justice_dossier, operator_ha, OrderChannel.HOTLINE, "delivery").order
    with clock(TUESDAY):
        cancel_postal_order(order=hotline, actor=operator_ha)

    report = postal_report(start=TUESDAY.date(), end=TUESDAY.date())

    assert (report.total.registered, report.total.cancelled, report.total.live) == (3, 1, 2)
    fees = sum(o.fee_vnd for o in PostalOrder.objects.exclude(status="cancelled"))
    assert report.total.fee_vnd == fees > 0
    channels = {label: f.registered for label, f in report.by_channel}
    assert channels == {"Cổng dịch vụ công": 2, "Tổng đài 1022": 1}
    services = {label: f.counts["registered"] for label, f in report.by_service}
    assert services == {"Thu gom hồ sơ tại nhà": 1, "Chuyển trả kết quả": 1}
    assert [(agency.pk, f.registered) for agency, f in report.by_agency] == [
        (justice_dossier.competent_agency_id, 3)
    ]
    # Another day's report does not see them.
    assert (
        postal_report(start=at(2026, 3, 4).date(), end=at(2026, 3, 31).date()).total.registered == 0
    )


def test_the_counters_match_their_recount_and_are_repaired(
    submitted, an, justice_dossier, operator_ha
):
    register(submitted, an, OrderChannel.PORTAL, "pickup")
    order = register(justice_dossier, operator_ha, OrderChannel.HOTLINE, "delivery").order
    cancel_postal_order(order=order, actor=operator_ha)
    assert postal_counters.differences() == []

    PostalDayCounter.objects.update(registered=7)
    assert postal_counters.differences()
    call_command("recount_counters", "--repair", stdout=None)
    assert postal_counters.differences() == []


def test_dossiers_received_at_the_post_office_desk_are_counted(db: Any):
    post_office = Desk.objects.get(kind=DeskKind.POST_OFFICE)
    procedure = post_office.procedures.order_by("code").first()
    assert procedure is not None, "the demo's post office receives for some procedures"
    with clock(MONDAY):
        dossier = receive_dossier(
            application=application(procedure.code, post_office, channel="postal"),
            officer=member(post_office.agency, Role.POSTAL_OFFICER, post_office),
            received_at=MONDAY,
        )

    report = postal_report(start=MONDAY.date(), end=MONDAY.date())

    assert report.post_office_received == [(dossier.competent_agency, 1)]
    assert report.post_office_total == 1


def test_the_page_is_for_leaders(justice_dossier, submitted, an):
    register(submitted, an, OrderChannel.PORTAL, "pickup")
    client = Client()
    client.force_login(leader_of(justice_dossier.competent_agency))
    page = client.get("/bao-cao/buu-chinh/", {"tu": "03/03/2026", "den": "03/03/2026"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="postal-by-agency"' in text and justice_dossier.competent_agency.name in text
    bad = client.get("/bao-cao/buu-chinh/", {"tu": "31/03/2026", "den": "01/03/2026"})
    assert bad.status_code == 400
    clerk = Client()
    clerk.force_login(receptionist(justice_dossier.desk))
    assert clerk.get("/bao-cao/buu-chinh/").status_code == 403
