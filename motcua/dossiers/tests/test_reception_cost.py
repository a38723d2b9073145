"""What one reception costs the database, and that its cached reference data follows every
change (docs/decisions/dossiers.md "Reference caches", "Reception's writes")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Fee, Procedure
from motcua.core.reference import batch, one_version, read_stamp, touch
from motcua.dossiers.actions import ActionError, receive_dossier
from motcua.dossiers.audit import verify_chain
from motcua.dossiers.tests.conftest import application, at, clock
from motcua.org.models import Desk
from motcua.workcalendar.store import calendar_for

pytestmark = pytest.mark.django_db

# The stamp, the code's number, the dossier, its documents, fees and steps, the event, the
# dossier's current step and chain head, seven counters (four flow tables: day × procedure,
# month × procedure, agency × day, agency × month, each with the Decision 766 columns the
# reception moves; the national portal's "due to sync"; two in-progress tables:
# per procedure, per agency), the notifications (one read, one insert for email and SMS), and
# the savepoint around the action: a statement more is a regression to look at. With the
# national sync switched on, the change row for the portal is one more (and its NOTIFY on
# PostgreSQL).
QUERIES_PER_RECEPTION = 19
REFERENCE_TABLES = ("catalog_", "org_", "workcalendar_")


def with_fees(desk: Desk) -> Procedure:
    """A procedure the desk receives whose direct method charges fees."""
    procedure = (
        Procedure.objects.filter(
            desks=desk,
            active=True,
            competent_agency__isnull=False,
            methods__channel="direct",
            methods__fees__amount_vnd__gt=0,
            templates__active=True,
        )
        .distinct()
        .first()
    )
    assert procedure is not None
    return procedure


def receive(code: str, desk: Desk, officer, when: dt.datetime | None = None):
    return received_as(application(code, desk), officer, when)


def received_as(filled, officer, when: dt.datetime | None = None):
    moment = when or at(2026, 3, 2, 8, 0)
    with clock(moment):
        return receive_dossier(application=filled, officer=officer, received_at=moment)


@pytest.fixture
def sms_and_email(settings):
    settings.SMS_ENABLED = True
    settings.EMAIL_ENABLED = True


def test_a_reception_writes_its_rows_once_and_reads_no_reference_table(
    centre, clerk_binh, sms_and_email
):
    code = with_fees(centre).code
    receive(code, centre, clerk_binh)  # the day's sequence and counter rows now exist
    filled = application(code, centre)
    with CaptureQueriesContext(connection) as captured:
        dossier = received_as(filled, clerk_binh)
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) <= QUERIES_PER_RECEPTION, "\n".join(statements)
    on_dossier = [s for s in statements if '"dossiers_dossier"' in s.split(" WHERE ")[0]]
    assert [s.split()[0] for s in on_dossier] == ["INSERT", "UPDATE"]
    assert not [s for s in statements if any(f'"{t}' in s for t in REFERENCE_TABLES)]
    assert dossier.fees.count() > 0 and dossier.fee_total_vnd > 0
    assert dossier.current_step.position == 1 and dossier.current_step.started_at is not None
    assert verify_chain(dossier) == []


def test_the_reception_query_budget_holds(
    centre, clerk_binh, sms_and_email, django_assert_max_num_queries
):
    code = with_fees(centre).code
    receive(code, centre, clerk_binh)
    filled = application(code, centre)
    with django_assert_max_num_queries(QUERIES_PER_RECEPTION):
        received_as(filled, clerk_binh)


def test_a_fee_saved_is_charged_at_the_next_reception(centre, clerk_binh):
    procedure = with_fees(centre)
    first = receive(procedure.code, centre, clerk_binh)
    fee = Fee.objects.filter(method__procedure=procedure, method__channel="direct").first()
    fee.amount_vnd += 15000
    fee.save()  # as the admin's fee inline saves it
    second = receive(procedure.code, centre, clerk_binh)
    assert second.fee_total_vnd == first.fee_total_vnd + 15000


def test_a_day_off_added_in_the_admin_moves_the_next_due_moment(centre, clerk_binh, admin_anh):
    first = receive("1.000426", centre, clerk_binh)
    client = Client()
    client.force_login(admin_anh)
    response = client.post(
        "/admin/workcalendar/calendaroverride/add/",
        {"day": "2026-03-04", "kind": "day_off", "name": "Nghỉ theo quyết định của tỉnh"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    second = receive("1.000426", centre, clerk_binh)
    assert second.due_at == first.due_at + dt.timedelta(days=1)


def test_a_procedure_taken_off_a_desk_is_refused_there_at_once(centre, clerk_binh):
    procedure = Procedure.objects.get(code="1.000426")
    receive(procedure.code, centre, clerk_binh)
    procedure.desks.remove(centre)
    with pytest.raises(ActionError) as refused:
        receive(procedure.code, centre, clerk_binh)
    assert refused.value.code == "procedure_not_accepted_here"


def test_a_bulk_change_is_seen_once_the_stamp_moves(centre, clerk_binh):
    """Bulk writes send no signal; whoever makes them touches the stamp (the importer does),
    and every process, this one included, drops its copies at its next read."""
    procedure = with_fees(centre)
    first = receive(procedure.code, centre, clerk_binh)
    Fee.objects.filter(method__procedure=procedure, method__channel="direct").update(amount_vnd=0)
    assert receive(procedure.code, centre, clerk_binh).fee_total_vnd == first.fee_total_vnd
    touch()
    assert receive(procedure.code, centre, clerk_binh).fee_total_vnd == 0


def test_one_version_reads_the_stamp_once(django_assert_num_queries, justice):
    calendar_for(justice)  # cached
    with django_assert_num_queries(1), one_version():
        assert calendar_for(justice) is calendar_for(justice) is calendar_for(justice.pk)


def test_a_batch_touches_the_stamp_only_when_its_writer_says(centre):
    fee = Fee.objects.filter(method__procedure=with_fees(centre)).first()
    before = read_stamp()
    with batch():
        fee.save()
    assert read_stamp() == before
    fee.save()
    assert read_stamp() != before
