"""Dated versions of a procedure (docs/decisions/catalogue.md "Procedure versions"): a
decision recorded, applied on its date (by the job or by the first reception), dossiers
received before keeping their rules, and the catalogue showing what changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalog.deadlines import method_due_at
from motcua.catalog.models import (
    ExecutionMethod,
    Fee,
    OnlineMode,
    Procedure,
    ProcedureVersion,
    ProcessTemplate,
    RequiredDocument,
    TimeUnit,
)
from motcua.catalog.versions import Changes, bring_into_force, enact_version
from motcua.catalog.workflow import StepSpec, draft_template, publish_template
from motcua.core.actions import ActionError
from motcua.dossiers.actions import receive_dossier
from motcua.dossiers.forms.reception import ReceptionForm
from motcua.dossiers.tests.conftest import application, at, clock
from motcua.org.models import Desk, Role
from motcua.workcalendar.store import calendar_for

pytestmark = pytest.mark.django_db

# A Wednesday; the decision is signed the Monday before.
EFFECTIVE = dt.date(2026, 3, 4)
SIGNED = at(2026, 3, 2, 9, 0)
DAY_BEFORE = at(2026, 3, 3, 8, 0)
ON_THE_DAY = at(2026, 3, 4, 8, 0)
DECISION = "312/QĐ-UBND"


def timed_procedure(desk: Desk) -> Procedure:
    """A procedure the desk receives, in working days in person, with fees and documents."""
    procedure = (
        Procedure.objects.filter(
            desks=desk,
            active=True,
            fast_track=False,
            competent_agency__isnull=False,
            methods__channel="direct",
            methods__time_unit=TimeUnit.WORKING_DAY,
            methods__time_value__gte=3,
            methods__fees__amount_vnd__gt=0,
            documents__isnull=False,
            templates__active=True,
        )
        .distinct()
        .order_by("code")
        .first()
    )
    assert procedure is not None
    return procedure


def direct(procedure: Procedure) -> ExecutionMethod:
    return ExecutionMethod.objects.get(procedure=procedure, channel="direct")


def shorter(procedure: Procedure) -> Decimal:
    return (direct(procedure).time_value or Decimal(4)) - 2


def enact(procedure: Procedure, changes: Changes, *, effective: dt.date = EFFECTIVE, **kw):
    with clock(SIGNED):
        return enact_version(
            procedure=procedure,
            changes=changes,
            decision_number=kw.pop("decision_number", DECISION),
            effective_from=effective,
            actor=kw.pop("actor", None),
            **kw,
        )


def receive(procedure: Procedure, desk: Desk, officer, moment: dt.datetime):
    with clock(moment):
        return receive_dossier(
            application=application(procedure.code, desk), officer=officer, received_at=moment
        )


def due_with(procedure: Procedure, value: Decimal, moment: dt.datetime) -> dt.datetime | None:
    method = direct(procedure)
    method.time_value = value
    calendar = calendar_for(procedure.competent_agency_id)
    return method_due_at(procedure, method, received_at=moment, calendar=calendar)


# --- Refusals -------------------------------------------------------------------------------


def other_procedure(procedure: Procedure) -> Procedure:
    found = (
        Procedure.objects.exclude(pk=procedure.pk)
        .filter(methods__fees__isnull=False, documents__isnull=False)
        .first()
    )
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p: {"changes": Changes()}, "no_change"),
        (lambda p: {"decision_number": "  "}, "decision_required"),
        (lambda p: {"decision_number": "9" * 256}, "decision_too_long"),
        (lambda p: {"source": "x" * 501}, "source_too_long"),
        (lambda p: {"changes": Changes(time_value=Decimal(0))}, "bad_time"),
        (lambda p: {"changes": Changes(time_value=Decimal("-3"))}, "bad_time"),
        (lambda p: {"changes": Changes(time_value=Decimal("1.005"))}, "bad_time"),
        (lambda p: {"changes": Changes(time_value=Decimal("NaN"))}, "bad_time"),
        (
            lambda p: {
                "changes": Changes(fees=((Fee.objects.filter(method__procedure=p)[0].pk, -1),))
            },
            "bad_fee",
        ),
        (
            lambda p: {
                "changes": Changes(
                    fees=((Fee.objects.filter(method__procedure=other_procedure(p))[0].pk, 0),)
                )
            },
            "unknown_fee",
        ),
        (
            lambda p: {
                "changes": Changes(
                    removed_documents=(
                        RequiredDocument.objects.filter(procedure=other_procedure(p))[0].pk,
                    )
                )
            },
            "unknown_document",
        ),
        (lambda p: {"changes": Changes(online_mode="sometimes")}, "bad_online_mode"),
        (
            lambda p: {
                "changes": Changes(
                    template_id=ProcessTemplate.objects.get(procedure=p, active=True).pk
                )
            },
            "unknown_template",
        ),
        (lambda p: {"effective": dt.date(1999, 12, 31)}, "bad_effective_date"),
    ],
)
def test_a_decision_that_cannot_be_recorded_is_refused(centre, make, code):
    procedure = timed_procedure(centre)
    arguments = {"changes": Changes(time_value=Decimal(1)), **make(procedure)}
    with pytest.raises(ActionError) as refused:
        enact(procedure, **arguments)
    assert refused.value.code == code and refused.value.status == 422
    assert not ProcedureVersion.objects.filter(procedure=procedure).exists()


def test_an_abolished_procedure_takes_no_further_version(centre):
    procedure = timed_procedure(centre)
    enact(procedure, Changes(abolished=True), effective=SIGNED.date())
    with pytest.raises(ActionError) as refused:
        enact(procedure, Changes(time_value=Decimal(1)))
    assert refused.value.code == "procedure_abolished"


# --- Applying -------------------------------------------------------------------------------


def test_a_version_in_force_today_is_applied_at_once(centre, admin_anh):
    procedure = timed_procedure(centre)
    new = shorter(procedure)
    version = enact(
        procedure,
        Changes(time_value=new),
        effective=SIGNED.date(),
        actor=admin_anh,
        source="Phương án đơn giản hóa PA-2026-0012",
    )
    assert version.number == 1 and version.applied_at is not None
    assert version.enacted_by == admin_anh
    method = direct(procedure)
    assert method.time_value == new
    assert method.time_text.startswith(f"{new.normalize():f}".replace(".", ",") + " ")
    assert version.before["methods"][0]["time_value"] != str(new)


def test_a_later_version_waits_for_its_day(centre):
    procedure = timed_procedure(centre)
    old = direct(procedure).time_value
    version = enact(procedure, Changes(time_value=shorter(procedure)))
    assert version.applied_at is None and version.before == {}
    assert direct(procedure).time_value == old
    with clock(DAY_BEFORE):
        assert bring_into_force() == 0
    assert direct(procedure).time_value == old


def test_bring_into_force_applies_each_version_once(centre):
    procedure = timed_procedure(centre)
    new = shorter(procedure)
    enact(procedure, Changes(time_value=new))
    enact(procedure, Changes(online_mode=OnlineMode.FULL), decision_number="313/QĐ-UBND")
    with clock(ON_THE_DAY):
        assert bring_into_force() == 2
        assert bring_into_force() == 0
        call_command("bring_into_force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    versions = list(ProcedureVersion.objects.filter(procedure=procedure).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert all(v.applied_at is not None for v in versions)
    assert direct(procedure).time_value == new
    procedure.refresh_from_db()
    assert procedure.online_mode == OnlineMode.FULL
    # Applied once: the second version's "before" is the mode the first one left.
    assert versions[1].before["online_mode"] != OnlineMode.FULL


def test_the_job_is_one_of_the_periodic_jobs(settings):
    assert settings.PERIODIC_JOBS["bring_into_force"] <= 3600


def test_a_time_change_rederives_a_derived_template(centre):
    procedure = timed_procedure(centre)
    ProcessTemplate.objects.filter(procedure=procedure, active=True).update(derived=True)
    old = ProcessTemplate.objects.get(procedure=procedure, active=True)
    new = shorter(procedure)
    enact(procedure, Changes(time_value=new), effective=SIGNED.date())
    template = ProcessTemplate.objects.get(procedure=procedure, active=True)
    assert template.version == old.version + 1 and template.derived
    assert template.total_hours == new * 8
    assert DECISION in template.note


def test_a_time_change_scales_a_drawn_template(centre):
    procedure = timed_procedure(centre)
    hours = (direct(procedure).time_value or Decimal(0)) * 8
    drawn = publish_template(
        procedure=procedure,
        steps=[
            StepSpec("Tiếp nhận", Role.RECEPTIONIST, hours / 4),
            StepSpec("Thẩm định", Role.SPECIALIST, hours / 2),
            StepSpec("Phê duyệt", Role.LEADER, hours / 4),
        ],
    )
    new = shorter(procedure)
    enact(procedure, Changes(time_value=new), effective=SIGNED.date())
    template = ProcessTemplate.objects.get(procedure=procedure, active=True)
    assert template.version == drawn.version + 1 and not template.derived
    assert template.total_hours == new * 8
    assert [s.name for s in template.steps.order_by("position")] == [
        "Tiếp nhận",
        "Thẩm định",
        "Phê duyệt",
    ]
    assert DECISION in template.note


def test_a_template_drafted_for_the_decision_is_published_on_its_day(centre):
    procedure = timed_procedure(centre)
    draft = draft_template(
        procedure=procedure, steps=[StepSpec("Giải quyết", Role.SPECIALIST, Decimal(8))]
    )
    enact(procedure, Changes(template_id=draft.pk))
    draft.refresh_from_db()
    assert draft.is_draft
    with clock(ON_THE_DAY):
        bring_into_force()
    draft.refresh_from_db()
    assert draft.active and not draft.is_draft


# --- Dossiers before and after ---------------------------------------------------------------


def test_the_day_before_keeps_the_old_time_the_day_itself_gets_the_new(centre, clerk_binh):
    procedure = timed_procedure(centre)
    old = direct(procedure).time_value or Decimal(0)
    new = shorter(procedure)
    version = enact(procedure, Changes(time_value=new))
    template_before = ProcessTemplate.objects.get(procedure=procedure, active=True)

    before = receive(procedure, centre, clerk_binh, DAY_BEFORE)
    assert before.due_at == due_with(procedure, old, DAY_BEFORE)
    version.refresh_from_db()
    assert version.applied_at is None

    # No job has run: the reception itself applies the decision in force today.
    on_the_day = receive(procedure, centre, clerk_binh, ON_THE_DAY)
    assert on_the_day.due_at == due_with(procedure, new, ON_THE_DAY)
    version.refresh_from_db()
    assert version.applied_at is not None

    # The open dossier received before is untouched.
    kept = type(before).objects.get(pk=before.pk)
    assert kept.due_at == before.due_at and kept.template_id == template_before.pk
    assert on_the_day.template_id != template_before.pk


def test_a_dossier_open_before_the_job_runs_is_untouched(centre, clerk_binh):
    procedure = timed_procedure(centre)
    enact(procedure, Changes(time_value=shorter(procedure)))
    dossier = receive(procedure, centre, clerk_binh, DAY_BEFORE)
    with clock(ON_THE_DAY):
        assert bring_into_force() == 1
    kept = type(dossier).objects.get(pk=dossier.pk)
    assert (kept.due_at, kept.template_id) == (dossier.due_at, dossier.template_id)


def test_an_abolished_procedure_is_refused_on_its_day(centre, clerk_binh):
    procedure = timed_procedure(centre)
    enact(procedure, Changes(abolished=True))
    receive(procedure, centre, clerk_binh, DAY_BEFORE)
    with pytest.raises(ActionError) as refused:
        receive(procedure, centre, clerk_binh, ON_THE_DAY)
    assert refused.value.code == "procedure_inactive"
    # The refusal rolled the reception back, the version with it; the job keeps it.
    with clock(ON_THE_DAY):
        assert bring_into_force() == 1
    procedure.refresh_from_db()
    assert not procedure.active and procedure.valid_to == EFFECTIVE - dt.timedelta(days=1)


def test_a_pending_version_costs_reception_no_query(centre, clerk_binh):
    procedure = timed_procedure(centre)
    enact(procedure, Changes(time_value=shorter(procedure)))
    receive(procedure, centre, clerk_binh, DAY_BEFORE)  # caches warm
    filled = application(procedure.code, centre)
    with clock(DAY_BEFORE), CaptureQueriesContext(connection) as captured:
        receive_dossier(application=filled, officer=clerk_binh, received_at=DAY_BEFORE)
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) <= 19, "\n".join(statements)
    assert not [s for s in statements if '"catalog_' in s]


# --- What the catalogue shows ---------------------------------------------------------------


def test_a_document_cut_leaves_the_checklists_and_the_page(centre, clerk_binh):
    procedure = timed_procedure(centre)
    cut = RequiredDocument.objects.filter(procedure=procedure).order_by("position").first()
    assert cut is not None
    enact(procedure, Changes(removed_documents=(cut.pk,)), effective=SIGNED.date())
    cut.refresh_from_db()  # kept: drafts' uploads and the history point at it
    assert cut.withdrawn_from == SIGNED.date()
    form = ReceptionForm(procedure=procedure, desks=Desk.objects.filter(pk=centre.pk))
    assert cut.pk not in {d.pk for d in form.documents}
    assert f"doc_{cut.pk}" not in form.fields
    page = Client().get(f"/thu-tuc/{procedure.code}/").content.decode()
    history = page.split("Các lần sửa đổi, bổ sung")[1]
    assert f"Bỏ thành phần hồ sơ: {cut.name}" in history
    listed = page.split("Các lần sửa đổi, bổ sung")[0]
    if RequiredDocument.objects.filter(procedure=procedure, name=cut.name).count() == 1:
        assert cut.name not in listed


def test_a_fee_lowered_is_charged_and_shown(centre, clerk_binh):
    procedure = timed_procedure(centre)
    fee = Fee.objects.filter(method__procedure=procedure, method__channel="direct").first()
    assert fee is not None
    old = fee.amount_vnd
    enact(procedure, Changes(fees=((fee.pk, 1_234_000),)), effective=SIGNED.date())
    fee.refresh_from_db()
    assert fee.amount_vnd == 1_234_000
    dossier = receive(procedure, centre, clerk_binh, DAY_BEFORE)
    assert (fee.name, 1_234_000) in set(dossier.fees.values_list("name", "amount_vnd"))
    page = Client().get(f"/thu-tuc/{procedure.code}/").content.decode()
    old_text = f"{old:,}".replace(",", ".")
    assert f"{old_text} đồng → 1.234.000 đồng" in page


def test_the_page_shows_the_history_and_what_waits(centre):
    procedure = timed_procedure(centre)
    enact(procedure, Changes(online_mode=OnlineMode.FULL), effective=SIGNED.date())
    enact(procedure, Changes(time_value=shorter(procedure)), decision_number="400/QĐ-UBND")
    with clock(DAY_BEFORE):
        page = Client().get(f"/thu-tuc/{procedure.code}/").content.decode()
    assert "Các lần sửa đổi, bổ sung" in page
    assert f"Quyết định số {DECISION}" in page and "áp dụng từ 02/03/2026" in page
    assert "Quyết định số 400/QĐ-UBND" in page and "có hiệu lực từ 04/03/2026" in page
    assert "Dịch vụ công trực tuyến: " in page and "→ Toàn trình" in page


def test_the_api_lists_the_versions(api, centre):
    procedure = timed_procedure(centre)
    new = shorter(procedure)
    enact(procedure, Changes(time_value=new), effective=SIGNED.date())
    enact(procedure, Changes(abolished=True), decision_number="401/QĐ-UBND")
    with clock(DAY_BEFORE):
        body = api.get(f"/api/v1/procedures/{procedure.code}").json()
    assert "methods" in body and "documents" in body
    first, second = body["versions"]
    assert first["number"] == 1 and first["decision_number"] == DECISION
    assert first["effective_from"] == "2026-03-02" and first["in_force"] is True
    time_change = first["changes"][0]
    assert time_change["kind"] == "processing_time"
    assert time_change["after"].startswith(f"{new.normalize():f} ")
    assert second["in_force"] is False and second["effective_from"] == "2026-03-04"
    assert second["changes"][0]["kind"] == "abolished"


def test_the_admin_shows_versions_read_only(centre, admin_anh):
    procedure = timed_procedure(centre)
    version = enact(procedure, Changes(time_value=shorter(procedure)), effective=SIGNED.date())
    client = Client()
    client.force_login(admin_anh)
    page = client.get(f"/admin/catalog/procedure/{procedure.pk}/change/")
    assert page.status_code == 200 and "Các lần sửa đổi, bổ sung" in page.content.decode()
    listing = client.get("/admin/catalog/procedureversion/")
    assert listing.status_code == 200 and DECISION in listing.content.decode()
    assert client.get("/admin/catalog/procedureversion/add/").status_code == 403
    change = client.get(f"/admin/catalog/procedureversion/{version.pk}/change/")
    assert change.status_code == 200  # the view page: nothing to save
    assert 'name="_save"' not in change.content.decode()


# --- Order and channels -----------------------------------------------------------------------


def test_a_decision_dated_before_one_in_force_is_refused(centre):
    procedure = timed_procedure(centre)
    first = enact(procedure, Changes(time_value=shorter(procedure)), effective=SIGNED.date())
    assert first.applied_at is not None
    with pytest.raises(ActionError) as refused:
        enact(procedure, Changes(online_mode=OnlineMode.FULL), effective=dt.date(2026, 2, 1))
    assert refused.value.code == "bad_effective_date"


def test_versions_due_together_apply_in_date_order(centre):
    procedure = timed_procedure(centre)
    old = direct(procedure).time_value or Decimal(0)
    # Two decisions waiting for the job; the later one is recorded first.
    later = enact(procedure, Changes(time_value=old - 1), effective=dt.date(2026, 3, 10))
    earlier = enact(procedure, Changes(time_value=old - 2), effective=EFFECTIVE)
    with clock(at(2026, 3, 11, 8, 0)):
        assert bring_into_force() == 2
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert earlier.applied_at is not None and later.applied_at is not None
    assert earlier.applied_at <= later.applied_at
    assert direct(procedure).time_value == old - 1


def test_moved_online_an_online_dossier_pays_the_desks_fees(centre, clerk_binh):
    procedure = (
        Procedure.objects.filter(
            desks=centre,
            active=True,
            online_mode=OnlineMode.NONE,
            methods__channel="direct",
            methods__fees__amount_vnd__gt=0,
            templates__active=True,
        )
        .exclude(methods__channel="online")
        .distinct()
        .order_by("code")
        .first()
    )
    assert procedure is not None
    enact(procedure, Changes(online_mode=OnlineMode.FULL), effective=SIGNED.date())
    desk_fees = sum(f.amount_vnd for f in Fee.objects.filter(method=direct(procedure)))
    with clock(ON_THE_DAY):
        dossier = receive_dossier(
            application=application(procedure.code, centre, channel="online"),
            officer=clerk_binh,
            received_at=ON_THE_DAY,
        )
    assert dossier.fee_total_vnd == desk_fees > 0
