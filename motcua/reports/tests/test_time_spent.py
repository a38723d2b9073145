"""Where the time goes: the bottlenecks page and a procedure's page read the step-time and
processing-time counters (docs/rules/indicators.md "Where the time goes"): median, 90th
percentile, late share, hours beyond the allotted time, waiting, actual against statutory
time; a leader sees their own agency's rows only; the XLSX holds the same figures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from motcua.catalog.models import Procedure
from motcua.core import counters
from motcua.dossiers.actions import forward_dossier, mark_result_ready
from motcua.dossiers.models import (
    ProcessingTimeDayCounter,
    ProcessingTimeMonthCounter,
    StepTimeDayCounter,
    StepTimeMonthCounter,
)
from motcua.dossiers.tests.fixtures import at, clock, holder, leader_of, member
from motcua.dossiers.time_counters import monthly, processing_figures, step_figures
from motcua.org.models import Agency, Role
from motcua.reports.hotline import Period
from motcua.reports.time_spent import procedure_report, time_report

pytestmark = pytest.mark.django_db
HOUR = 3600
PERIOD = Period(dt.date(2026, 2, 15), dt.date(2026, 3, 31))  # 14 edge days and March


def finished(day: dt.date, agency: Agency, procedure: Procedure, hours: float, **kw: Any) -> None:
    """One step of ``hours`` working hours finished on ``day``, counted as the actions do."""
    seconds = int(hours * HOUR)
    key, change = step_figures(
        day=day,
        agency_id=agency.pk,
        procedure_id=procedure.pk,
        position=kw.get("position", 2),
        name=kw.get("name", "Thẩm định hồ sơ"),
        role=kw.get("role", Role.SPECIALIST),
        allotted_hours=kw.get("allotted", Decimal(4)),
        outcome=kw.get("outcome", "on_time"),
        working=seconds,
        waiting=int(kw.get("waiting", 0) * HOUR),
    )
    counters.add(StepTimeDayCounter, {key: change})
    counters.add(StepTimeMonthCounter, monthly({key: change}))


def result(day: dt.date, agency: Agency, procedure: Procedure, hours: float) -> None:
    key, change = processing_figures(
        day=day, agency_id=agency.pk, procedure_id=procedure.pk, seconds=int(hours * HOUR)
    )
    counters.add(ProcessingTimeDayCounter, {key: change})
    counters.add(ProcessingTimeMonthCounter, monthly({key: change}))


@pytest.fixture
def counsel() -> Procedure:
    return Procedure.objects.get(code="1.000426")


def test_median_p90_late_share_and_hours_beyond_allotted(justice: Agency, counsel: Procedure):
    # Ten steps of 1, 2, … 10 working hours: four in February's edge days, six in March;
    # the three longest finished late. One outside the period does not count.
    for hours in range(1, 11):
        day = dt.date(2026, 2, 20) if hours <= 4 else dt.date(2026, 3, 10)
        late = "late" if hours >= 8 else "on_time"
        finished(day, justice, counsel, hours, outcome=late, waiting=hours / 2)
    finished(dt.date(2026, 2, 10), justice, counsel, 50, outcome="late")
    report = time_report(period=PERIOD)
    (step,) = report.bottlenecks
    assert (step.procedure, step.position, step.role) == (counsel.name, 2, "Chuyên viên xử lý")
    assert step.steps == 10 and step.late == 3 and step.late_share == pytest.approx(0.3)
    assert step.median_hours == pytest.approx(5.5)  # (5 + 6) / 2
    assert step.p90_hours == pytest.approx(9.0)  # nearest rank: the 9th of 10
    # Allotted 4 h: 1 + 2 + … + 6 hours beyond, for the steps of 5 to 10 hours.
    assert step.over_hours == pytest.approx(21.0)
    assert step.mean_waiting_hours == pytest.approx(2.75)  # 27.5 h over ten steps
    (agency,) = report.agencies
    assert agency.label == justice.name and agency.waiting_hours == pytest.approx(27.5)


def test_bottlenecks_rank_by_hours_beyond_the_allotted_time(
    justice: Agency, counsel: Procedure
) -> None:
    day = dt.date(2026, 3, 10)
    for _ in range(5):  # often a little late: 5 × 1 h beyond
        finished(day, justice, counsel, 5, position=2, outcome="late")
    finished(day, justice, counsel, 12, position=3, name="Phê duyệt", role=Role.LEADER)
    report = time_report(period=PERIOD)
    assert [(s.position, s.over_hours) for s in report.bottlenecks] == [(3, 8.0), (2, 5.0)]


def test_actual_processing_time_against_the_statutory_time(
    justice: Agency, counsel: Procedure
) -> None:
    for hours in (24, 32, 40, 48, 80):  # 3, 4, 5, 6 and 10 working days
        result(dt.date(2026, 3, 12), justice, counsel, hours)
    report = procedure_report(period=PERIOD, procedure=counsel)
    processing = report.processing
    assert processing.dossiers == 5
    assert processing.median_days == pytest.approx(5.0)
    assert processing.p90_days == pytest.approx(10.0)
    assert processing.statutory_days == pytest.approx(5.0)  # "5 Ngày làm việc"
    assert processing.statutory[0].channel == "Trực tiếp"
    assert processing.median_used == pytest.approx(100.0)
    assert processing.p90_used == pytest.approx(200.0)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ready_dossier(received: Any) -> Any:
    dossier = received()
    with clock(at(2026, 3, 2, 10, 0)):
        dossier = forward_dossier(dossier=dossier, officer=holder(dossier))
    with clock(at(2026, 3, 3, 10, 0)):
        dossier = forward_dossier(dossier=dossier, officer=holder(dossier))
    with clock(at(2026, 3, 4, 10, 0)):
        return mark_result_ready(dossier=dossier, officer=holder(dossier))


QUERY = {"from": "01/03/2026", "to": "31/03/2026"}


def test_a_leader_sees_their_agency_and_not_another(
    received: Any, justice: Agency, police: Agency
) -> None:
    dossier = ready_dossier(received)
    assert dossier.competent_agency_id == justice.pk
    own = client_of(leader_of(justice)).get("/bao-cao/thoi-gian/", QUERY)
    assert own.status_code == 200
    assert "Thẩm định hồ sơ" in own.content.decode()
    assert dossier.procedure.name in own.content.decode()
    other = client_of(leader_of(police)).get("/bao-cao/thoi-gian/", QUERY)
    assert other.status_code == 200
    assert "Thẩm định hồ sơ" not in other.content.decode()
    assert dossier.procedure.name not in other.content.decode()
    page = f"/bao-cao/thoi-gian/thu-tuc/{dossier.procedure_id}/"
    assert "Thẩm định hồ sơ" in client_of(leader_of(justice)).get(page, QUERY).content.decode()
    hidden = client_of(leader_of(police)).get(page, QUERY)
    assert hidden.status_code == 200 and "Thẩm định hồ sơ" not in hidden.content.decode()
    # An inspector sees the province.
    inspector = client_of(member(police, Role.INSPECTOR))
    assert "Thẩm định hồ sơ" in inspector.get("/bao-cao/thoi-gian/", QUERY).content.decode()


def test_bad_input_is_refused_with_a_message(specialist_chi: Any, justice: Agency) -> None:
    leader = client_of(leader_of(justice))
    bad = leader.get("/bao-cao/thoi-gian/", {"from": "31/02/2026"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()
    far = leader.get("/bao-cao/thoi-gian/xlsx", {"from": "01/12/9999", "to": "31/12/9999"})
    assert far.status_code == 400 and "2099" in far.content.decode()
    assert leader.get("/bao-cao/thoi-gian/thu-tuc/99999999999999999999/").status_code == 404
    assert leader.get("/bao-cao/thoi-gian/thu-tuc/abc/xlsx").status_code == 404
    assert client_of(specialist_chi).get("/bao-cao/thoi-gian/").status_code == 403


def test_the_workbook_holds_the_page_figures(received: Any, justice: Agency) -> None:
    dossier = ready_dossier(received)
    leader = client_of(leader_of(justice))
    response = leader.get("/bao-cao/thoi-gian/xlsx", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = [
        r for r in book["Điểm nghẽn"].iter_rows(values_only=True) if r[0] == dossier.procedure.name
    ]
    # Appraisal 8 h (Monday 10:00 → Tuesday 10:00), approval 8 h; the reception (step 1)
    # was the centre's, not the department's.
    assert sorted((r[1], r[3], r[4]) for r in rows) == [
        ("Bước 2: Thẩm định hồ sơ", 1, 8.0),
        ("Bước 3: Phê duyệt kết quả", 1, 8.0),
    ]
    (timed,) = [
        r
        for r in book["Thực tế so với quy định"].iter_rows(values_only=True)
        if r[0] == dossier.procedure.name
    ]
    # Monday 08:00 → Wednesday 10:00: 7 + 8 + 3 = 18 working hours, 2.25 working days.
    assert timed[1:5] == (1, round(18 / 8, 1), round(18 / 8, 1), 5.0)
    procedure = leader.get(f"/bao-cao/thoi-gian/thu-tuc/{dossier.procedure_id}/xlsx", QUERY)
    assert procedure.status_code == 200
    steps = load_workbook(io.BytesIO(procedure.content))["Các bước"]
    assert ("Bước 2: Thẩm định hồ sơ", "Chuyên viên xử lý", 1, 8.0, 8.0) in {
        r[:5] for r in steps.iter_rows(values_only=True)
    }


def test_the_report_costs_the_same_whatever_the_number_of_steps(
    justice: Agency, counsel: Procedure
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            time_report(period=PERIOD)
        return len(captured.captured_queries)

    finished(dt.date(2026, 3, 10), justice, counsel, 3)
    few = queries()
    for hours in range(1, 200):  # many more steps, the same rows' shape
        finished(dt.date(2026, 2, 16 + hours % 12), justice, counsel, hours % 7 + 1)
    assert queries() == few
