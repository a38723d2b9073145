"""The simplification review pages (/ra-soat/): who sees what, the agency's edit form and its
cost, the steps through submit / return / approve, and the cycle's report (HTML, PDF, XLSX).

The province's income is 5.280.000 đ a month over 22 working days: 30.000 đ an hour."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from motcua.accounts.models import CitizenProfile
from motcua.catalog.models import Fee, Procedure, RequiredDocument
from motcua.dossiers.tests.fixtures import make_user
from motcua.org.models import Agency, AgencyKind, Role, UnitLevel
from motcua.reform.actions import (
    ChangeSpec,
    VolumeOverride,
    add_to_cycle,
    approve_proposal,
    open_cycle,
    save_proposal,
    submit_proposal,
)
from motcua.reform.cost import Step
from motcua.reform.costing import CostSide
from motcua.reform.models import IncomeRate, Proposal, ProposalStatus, ReviewCycle

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def income(db: Any) -> IncomeRate:
    return IncomeRate.objects.create(
        valid_from=dt.date(2020, 1, 1),
        monthly_income_vnd=5_280_000,
        working_days_per_month=Decimal(22),
        source="Niên giám thống kê tỉnh 2024",
    )


@pytest.fixture
def office(db: Any) -> Any:
    """A specialist of the province's People's Committee (its Office controls procedures)."""
    committee = Agency.objects.get(
        kind=AgencyKind.PEOPLES_COMMITTEE, unit__level=UnitLevel.PROVINCE
    )
    return make_user("ubnd_kstt", committee, Role.SPECIALIST)


@pytest.fixture
def drafter(db: Any) -> Any:
    return get_user_model().objects.get(username="chuyenvien")  # Sở Tư pháp


@pytest.fixture
def leader(db: Any) -> Any:
    return get_user_model().objects.get(username="lanhdao")  # Sở Tư pháp


@pytest.fixture
def citizen_an(db: Any) -> Any:
    user = get_user_model().objects.create_user(username="cong_dan_an", first_name="An")
    CitizenProfile.objects.create(user=user, full_name="Nguyễn Văn An", phone="0912345678")
    return user


@pytest.fixture
def procedure(justice: Agency) -> Procedure:
    """A Justice procedure with fees and required documents."""
    found = (
        Procedure.objects.filter(
            competent_agency=justice,
            active=True,
            methods__fees__isnull=False,
            documents__isnull=False,
        )
        .distinct()
        .order_by("code")
        .first()
    )
    assert found is not None
    return found


@pytest.fixture
def cycle(office: Any, procedure: Procedure, justice: Agency) -> ReviewCycle:
    return open_cycle(
        year=2026,
        title="Rà soát thủ tục hành chính năm 2026",
        deadline=dt.date(2026, 9, 30),
        plan_number="25/KH-UBND",
        items=[(procedure, justice)],
        user=office,
    )


@pytest.fixture
def proposal(cycle: ReviewCycle) -> Proposal:
    return cycle.proposals.get()


def management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def edit_data(proposal: Proposal, **overrides: Any) -> dict[str, Any]:
    """Shorten the time to 3 days and cut the first document: 10 hours before (300.000 đ),
    4 after (120.000 đ), for 1.000 subjects a year once each."""
    document = RequiredDocument.objects.filter(procedure=proposal.procedure).order_by("pk")[0]
    data: dict[str, Any] = {
        "description": "Rút ngắn thời hạn, bỏ một thành phần hồ sơ.",
        "reason": "Cơ quan tự khai thác được thông tin trên cơ sở dữ liệu.",
        "fees_before": "0",
        "service_before": "0",
        "other_before": "0",
        "fees_after": "0",
        "service_after": "0",
        "other_after": "0",
        **management("nd", 2),
        "nd-0-kind": "shorten_time",
        "nd-0-new_time_value": "3",
        "nd-1-kind": "cut_document",
        "nd-1-document": str(document.pk),
        **management("truoc", 3),
        "truoc-0-name": "Chuẩn bị hồ sơ",
        "truoc-0-hours": "8",
        "truoc-1-name": "Đi lại, nộp hồ sơ",
        "truoc-1-hours": "2",
        **management("sau", 1),
        "sau-0-name": "Chuẩn bị hồ sơ",
        "sau-0-hours": "4",
        "volume_override": "on",
        "executions_per_subject": "1",
        "subjects_per_year": "1000",
        "volume_note": "Ước tính của Sở Tư pháp",
    }
    data.update(overrides)
    return data


def drafted(proposal: Proposal, user: Any, *, changes: bool = True) -> Proposal:
    """The proposal saved through its action, 10 hours → 4 for 1.000 subjects."""
    document = RequiredDocument.objects.filter(procedure=proposal.procedure).order_by("pk")[0]
    specs = [ChangeSpec(kind="cut_document", document_id=document.pk)] if changes else []
    return save_proposal(
        proposal=proposal,
        description="Bỏ một thành phần hồ sơ." if changes else "Giữ nguyên.",
        reason="Khai thác dữ liệu dùng chung.",
        changes=specs,
        before=CostSide((Step("Chuẩn bị", Decimal(10)),), 0, 0, 0),
        after=CostSide((Step("Chuẩn bị", Decimal(4 if changes else 10)),), 0, 0, 0),
        volume=VolumeOverride(Decimal(1), 1000, "Ước tính"),
        user=user,
    )


# -- who sees what ----------------------------------------------------------------------------


def test_the_office_lists_cycles_and_may_open_one(office, cycle):
    page = client_for(office).get("/ra-soat/")
    assert page.status_code == 200
    assert cycle.title in page.content.decode()
    assert "Mở đợt rà soát" in page.content.decode()
    assert client_for(office).get("/ra-soat/moi/").status_code == 200


def test_agency_staff_see_their_cycle_but_may_not_open_one(drafter, cycle, proposal):
    client = client_for(drafter)
    page = client.get("/ra-soat/")
    assert cycle.title in page.content.decode()
    assert "Mở đợt rà soát" not in page.content.decode()
    assert client.get("/ra-soat/moi/").status_code == 403
    assert client.get(f"/ra-soat/{cycle.pk}/").status_code == 200
    assert client.get(f"/ra-soat/phuong-an/{proposal.pk}/").status_code == 200


def test_another_agency_and_the_public_find_nothing(police_officer, citizen_an, cycle, proposal):
    for user in (police_officer, citizen_an):
        client = client_for(user)
        assert client.get(f"/ra-soat/phuong-an/{proposal.pk}/").status_code == 404
        assert client.get(f"/ra-soat/{cycle.pk}/").status_code == 404
        assert client.get(f"/ra-soat/{cycle.pk}/bao-cao.xlsx").status_code == 404
    assert client_for(police_officer).get("/ra-soat/").content.decode().count(cycle.title) == 0
    assert client_for(citizen_an).get("/ra-soat/").status_code == 404
    anonymous = Client().get(f"/ra-soat/phuong-an/{proposal.pk}/")
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]


# -- opening a cycle --------------------------------------------------------------------------


def test_opening_a_cycle_lists_each_active_procedure_of_the_chosen_agency(office, justice):
    expected = Procedure.objects.filter(active=True, competent_agency=justice).count()
    response = client_for(office).post(
        "/ra-soat/moi/",
        {
            "year": "2026",
            "title": "Rà soát năm 2026",
            "plan_number": "25/KH-UBND",
            "scope": "",
            "deadline": "30/09/2026",
            "agencies": [str(justice.pk)],
        },
    )
    assert response.status_code == 302
    cycle = ReviewCycle.objects.get()
    assert cycle.proposals.count() == expected > 0
    assert set(cycle.proposals.values_list("agency", flat=True)) == {justice.pk}


def test_a_bad_cycle_is_refused_with_reasons(office, justice):
    response = client_for(office).post(
        "/ra-soat/moi/",
        {"year": "1999", "title": "x" * 256, "deadline": "31/02/2026", "agencies": ["999999"]},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Năm rà soát phải từ 2000 đến 2100." in text
    assert "Nhập ngày theo dạng dd/mm/yyyy." in text
    assert not ReviewCycle.objects.exists()


def test_the_office_adds_a_procedure(office, cycle, police):
    other = Procedure.objects.filter(competent_agency=police, active=True).order_by("code")[0]
    client = client_for(office)
    response = client.post(f"/ra-soat/{cycle.pk}/", {"code": other.code})
    assert response.status_code == 302
    assert cycle.proposals.filter(procedure=other, agency=police).exists()
    again = client.post(f"/ra-soat/{cycle.pk}/", {"code": other.code})
    assert again.status_code == 409
    assert "đã có trong đợt rà soát" in again.content.decode()
    assert client.post(f"/ra-soat/{cycle.pk}/", {"code": "khong-co"}).status_code == 422


# -- the edit form ----------------------------------------------------------------------------


def test_the_edit_form_suggests_steps_and_the_catalogue_fees(drafter, proposal):
    page = client_for(drafter).get(f"/ra-soat/phuong-an/{proposal.pk}/sua/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chuẩn bị: " in text
    assert "Đi lại đến bộ phận một cửa" in text
    form = page.context["form"]
    fees = sum(
        f.amount_vnd
        for f in Fee.objects.filter(method__procedure=proposal.procedure).order_by("method_id")
        if f.method_id
        == Fee.objects.filter(method__procedure=proposal.procedure)
        .order_by("method_id", "pk")[0]
        .method_id
    )
    assert form.initial["fees_before"] == fees


def test_the_edit_form_saves_and_computes_the_cost(drafter, proposal):
    client = client_for(drafter)
    response = client.post(f"/ra-soat/phuong-an/{proposal.pk}/sua/", edit_data(proposal))
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal.refresh_from_db()
    assert proposal.per_execution_before_vnd == 300_000
    assert proposal.per_execution_after_vnd == 120_000
    assert proposal.annual_before_vnd == 300_000_000
    assert proposal.annual_after_vnd == 120_000_000
    assert proposal.volume_source == "override"
    assert [c.kind for c in proposal.changes.all()] == ["shorten_time", "cut_document"]
    page = client.get(f"/ra-soat/phuong-an/{proposal.pk}/").content.decode()
    for shown in ("30.000 đ/giờ", "Niên giám thống kê tỉnh 2024", "Ước tính của Sở Tư pháp"):
        assert shown in page
    assert "180.000.000 đ" in page and "60,00%" in page
    # The form comes back with what was saved.
    again = client.get(f"/ra-soat/phuong-an/{proposal.pk}/sua/")
    assert again.context["before"].initial[0] == {"name": "Chuẩn bị hồ sơ", "hours": "8"}


def test_the_preview_computes_without_saving(drafter, proposal):
    response = client_for(drafter).post(
        f"/ra-soat/phuong-an/{proposal.pk}/xem-truoc/", edit_data(proposal)
    )
    assert response.status_code == 200
    assert "300.000 đ" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.per_execution_before_vnd == 0
    assert proposal.events.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"truoc-0-hours": "-1"}, "Số giờ không được âm."),
        ({"truoc-0-hours": "100000"}, "Tối đa 10.000 giờ."),
        ({"fees_before": str(10**13)}, "Số tiền tối đa 1.000.000.000.000 đồng."),
        ({"description": "x" * 4001}, "Tối đa 4000 ký tự."),
        ({"truoc-0-name": "x" * 256}, "Tối đa 255 ký tự."),
        ({"nd-0-new_time_value": ""}, "Nhập thời hạn mới."),
        ({"nd-1-document": "999999999"}, "Thành phần hồ sơ không thuộc thủ tục này."),
        ({"subjects_per_year": str(10**9)}, "Từ 0 đến 100.000.000."),
        ({"volume_note": ""}, "Nêu nguồn số liệu khi tự nhập số lượng."),
        ({"nd-TOTAL_FORMS": "abc"}, "Biểu mẫu thiếu dữ liệu quản lý"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(drafter, proposal, overrides, message):
    response = client_for(drafter).post(
        f"/ra-soat/phuong-an/{proposal.pk}/sua/", edit_data(proposal, **overrides)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.cost_before == {}
    assert not proposal.changes.exists()
    assert proposal.events.count() == 1


def test_a_fee_of_another_procedure_is_refused(drafter, proposal):
    other = Fee.objects.exclude(method__procedure=proposal.procedure).order_by("pk")[0]
    response = client_for(drafter).post(
        f"/ra-soat/phuong-an/{proposal.pk}/sua/",
        edit_data(proposal, **{"nd-1-kind": "lower_fee", "nd-1-fee": str(other.pk)}),
    )
    assert response.status_code == 422
    assert "Khoản phí không thuộc thủ tục này." in response.content.decode()
    assert not proposal.changes.exists()


def test_a_fee_must_be_lowered(drafter, proposal):
    fee = Fee.objects.filter(method__procedure=proposal.procedure).order_by("pk")[0]
    data = edit_data(
        proposal,
        **{"nd-1-kind": "lower_fee", "nd-1-fee": str(fee.pk), "nd-1-new_fee_vnd": "0"},
    )
    if fee.amount_vnd == 0:
        data["nd-1-new_fee_vnd"] = "5"
    else:
        data["nd-1-new_fee_vnd"] = str(fee.amount_vnd)
    response = client_for(drafter).post(f"/ra-soat/phuong-an/{proposal.pk}/sua/", data)
    assert response.status_code == 422
    assert "Mức phí mới phải thấp hơn mức hiện hành" in response.content.decode()


def test_only_the_agency_drafts(office, police_officer, proposal):
    assert client_for(office).get(f"/ra-soat/phuong-an/{proposal.pk}/sua/").status_code == 403
    assert (
        client_for(police_officer).get(f"/ra-soat/phuong-an/{proposal.pk}/sua/").status_code == 404
    )


# -- submit, return, approve ------------------------------------------------------------------


def test_submit_return_and_approve_through_the_pages(drafter, leader, office, proposal):
    drafted(proposal, drafter)
    submit = f"/ra-soat/phuong-an/{proposal.pk}/thao-tac/submit/"
    refused = client_for(drafter).post(submit)
    assert refused.status_code == 403
    assert "Bạn không có quyền" in refused.content.decode()
    assert client_for(leader).post(submit).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    # Editing is closed while the office reviews.
    assert client_for(drafter).get(f"/ra-soat/phuong-an/{proposal.pk}/sua/").status_code == 409

    back = f"/ra-soat/phuong-an/{proposal.pk}/thao-tac/return/"
    office_client = client_for(office)
    no_note = office_client.post(back, {"note": " "})
    assert no_note.status_code == 422
    assert "Nêu nội dung cần hoàn thiện." in no_note.content.decode()
    assert office_client.post(back, {"note": "Bổ sung căn cứ."}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED
    assert proposal.review_note == "Bổ sung căn cứ."

    assert client_for(leader).post(submit).status_code == 302
    approve = f"/ra-soat/phuong-an/{proposal.pk}/thao-tac/approve/"
    assert client_for(leader).post(approve).status_code == 403
    assert office_client.post(approve, {"note": "Đồng ý."}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    again = office_client.post(approve)
    assert again.status_code == 409
    assert "không thực hiện được thao tác này" in again.content.decode()
    history = office_client.get(f"/ra-soat/phuong-an/{proposal.pk}/").content.decode()
    for label in ("Gửi thẩm định", "Yêu cầu hoàn thiện", "Thông qua phương án"):
        assert label in history
    assert office_client.post(f"/ra-soat/phuong-an/{proposal.pk}/thao-tac/xoa/").status_code == 404


# -- the report -------------------------------------------------------------------------------


@pytest.fixture
def reported(office, drafter, leader, justice, procedure) -> ReviewCycle:
    """Three Justice procedures: one proposed and approved (300.000.000 → 120.000.000 đ a
    year), one reviewed and kept, one still in draft."""
    others = (
        Procedure.objects.filter(competent_agency=justice, active=True)
        .exclude(pk=procedure.pk)
        .order_by("code")[:2]
    )
    cycle = open_cycle(
        year=2026,
        title="Rà soát năm 2026",
        deadline=dt.date(2026, 9, 30),
        items=[(procedure, justice), *[(p, justice) for p in others]],
        user=office,
    )
    first, kept, _draft = cycle.proposals.order_by("number")
    submit_proposal(proposal=drafted(first, drafter), user=leader)
    approve_proposal(proposal=first, user=office)
    submit_proposal(proposal=drafted(kept, drafter, changes=False), user=leader)
    return cycle


def test_the_report_counts_as_its_footnote_says(office, reported):
    page = client_for(office).get(f"/ra-soat/{reported.pk}/bao-cao/")
    assert page.status_code == 200
    totals = page.context["totals"]
    assert (totals.listed, totals.reviewed, totals.proposed, totals.decided) == (3, 2, 1, 1)
    assert totals.proposed_share == Decimal("50.00")
    assert totals.saving_vnd == 180_000_000
    assert totals.saving_share == Decimal("60.00")
    text = page.content.decode()
    for shown in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Ủy ban nhân dân tỉnh Đồng Tháp",
        "180.000.000",
        "0,18",  # tỷ đồng
        "chiếm 50,00%",
        "Cách tính",
    ):
        assert shown in text


def test_the_report_as_pdf_and_xlsx(office, reported):
    client = client_for(office)
    pdf = client.get(f"/ra-soat/{reported.pk}/bao-cao.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/ra-soat/{reported.pk}/bao-cao.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row}
    assert summary["Số thủ tục đã rà soát"] == 3 - 1
    assert summary["Số thủ tục đề xuất đơn giản hóa"] == 1
    assert summary["Chi phí tiết kiệm (đồng/năm)"] == 180_000_000
    assert Decimal(str(summary["Tỷ lệ cắt giảm chi phí (%)"])) == Decimal("60.00")
    detail = list(book["Phương án"].iter_rows(values_only=True))
    assert len(detail) == 2 + 3  # title, heading, three proposals


def test_agency_staff_report_only_their_agency(police_officer, office, reported, police):
    other = Procedure.objects.filter(competent_agency=police, active=True).order_by("code")[0]
    add_to_cycle(cycle=reported, procedure=other, agency=police, user=office)
    page = client_for(police_officer).get(f"/ra-soat/{reported.pk}/bao-cao/")
    assert page.status_code == 200
    assert page.context["totals"].listed == 1
    assert client_for(office).get(f"/ra-soat/{reported.pk}/bao-cao/").context["totals"].listed == 4


def test_without_its_own_volume_the_agency_counts_the_dossiers_received(drafter, proposal):
    data = edit_data(proposal, volume_override="", subjects_per_year="", volume_note="")
    response = client_for(drafter).post(f"/ra-soat/phuong-an/{proposal.pk}/sua/", data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.volume_source == "dossiers"
    assert "hồ sơ tiếp nhận từ" in proposal.volume_note
    page = client_for(drafter).get(f"/ra-soat/phuong-an/{proposal.pk}/").content.decode()
    assert "Theo số hồ sơ đã tiếp nhận" in page


def test_the_lists_and_the_report_cost_the_same_queries_for_more_proposals(
    office, drafter, justice, reported, django_assert_max_num_queries
):
    client = client_for(office)
    paths = [f"/ra-soat/{reported.pk}/", f"/ra-soat/{reported.pk}/bao-cao/", "/ra-soat/"]
    counted = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counted[path] = len(queries)
    listed = reported.proposals.values("procedure")
    for procedure in Procedure.objects.filter(competent_agency=justice, active=True).exclude(
        pk__in=listed
    )[:4]:
        add_to_cycle(cycle=reported, procedure=procedure, agency=justice, user=office)
    for proposal in reported.proposals.filter(status=ProposalStatus.DRAFT):
        drafted(proposal, drafter)
    for path in paths:
        with django_assert_max_num_queries(counted[path]):
            client.get(path)
