"""The what-if of a reform: the same draws for both scenarios, lateness that follows from the
work against the time allowed, the assumptions beside the figures; calibrated from a
simulated history without writing a dossier."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from motcua.catalog.models import Channel, Procedure
from motcua.dossiers.models import Dossier, DossierStep, Outcome, SupplementRequest
from motcua.simulate.models import WhatIfStatus
from motcua.simulate.profile import Profile
from motcua.simulate.runs import simulate
from motcua.simulate.whatif import (
    Calibration,
    Parameters,
    Reform,
    WhatIf,
    calibrate,
    compare,
    what_if,
)
from motcua.simulate.whatif.model import DEFAULT, HISTORY
from motcua.simulate.whatif.runs import run_what_if, start_what_if
from motcua.workcalendar.calendar import WorkCalendar

MONDAY = dt.date(2026, 3, 2)
ONE_DAY = {c: (Decimal(1), "working_day") for c in Channel.values}


def history(**changes: Any) -> Calibration:
    """A month of a procedure due in one working day, whose dossiers took 5 to 7 working
    hours; no database."""
    figures: dict[str, Any] = {
        "procedure_id": 7,
        "procedure_code": "1.000001",
        "procedure_name": "Thủ tục thử",
        "start": MONDAY,
        "end": MONDAY + dt.timedelta(days=27),
        "calendar": WorkCalendar(),
        "times": ONE_DAY,
        "cutoff": None,
        "fast_track": False,
        "steps_hours": 8.0,
        "documents_required": 4,
        "received": 400,
        "working_days": 20,
        "per_working_day": 20.0,
        "per_working_day_source": HISTORY,
        "channel_shares": {Channel.DIRECT: 0.7, Channel.ONLINE: 0.3, Channel.POSTAL: 0.0},
        "channel_source": HISTORY,
        "supplement_share": 0.2,
        "supplement_source": HISTORY,
        "supplement_waits": (),
        "supplement_wait_mean": 16.0,
        "work_hours": tuple(5 + k / 50 for k in range(100)),
        "finished": 100,
        "late_observed": 0,
    }
    figures.update(changes)
    return Calibration(**figures)


def test_the_same_seed_gives_the_same_answer() -> None:
    reform = Reform(procedure_id=7, time_value=Decimal("0.75"), online_share=0.6)
    first = compare(history(), reform, seed=3)
    assert compare(history(), reform, seed=3) == first
    assert compare(history(), reform, seed=4)[0] != first[0]


def test_no_change_gives_identical_figures() -> None:
    baseline, changed, _ = compare(history(), Reform(procedure_id=7), seed=1)
    assert baseline == changed
    assert baseline.dossiers > 300 and baseline.late == 0


def test_a_time_shorter_than_the_work_makes_dossiers_late() -> None:
    # Work takes 5–7 working hours; six hours allowed leaves about half of them late.
    baseline, changed, _ = compare(
        history(), Reform(procedure_id=7, time_value=Decimal("0.75")), seed=1
    )
    assert baseline.on_time_rate == 1.0
    assert 0.3 < 1 - changed.on_time_rate < 0.7
    # A decree does not shorten the work.
    assert changed.average_processing_days == baseline.average_processing_days
    assert changed.staff_hours == baseline.staff_hours
    _, all_late, _ = compare(history(), Reform(procedure_id=7, time_value=Decimal("0.5")), seed=1)
    assert all_late.late == all_late.dossiers


def test_officers_may_speed_up_within_the_stated_limit() -> None:
    reform = Reform(procedure_id=7, time_value=Decimal("0.75"))
    _, strict, _ = compare(history(), reform, seed=1)
    _, tighter, lines = compare(history(), reform, seed=1, parameters=Parameters(pace_limit=0.1))
    assert tighter.late < strict.late
    assert tighter.average_processing_days < strict.average_processing_days
    assert any("10,0%" in line for line in lines)


def test_moving_online_saves_citizen_hours() -> None:
    hours = {"citizen_hours_before": Decimal(3), "citizen_hours_after": Decimal(3)}
    saved = []
    for share in (0.3, 0.6, 0.9):
        baseline, changed, _ = compare(
            history(), Reform(procedure_id=7, online_share=share, **hours), seed=1
        )
        saved.append(baseline.citizen_hours - changed.citizen_hours)
        assert changed.dossiers == baseline.dossiers
    assert saved[0] == 0 < saved[1] < saved[2]


def test_documents_cut_mean_fewer_supplements_and_the_costs_follow_the_proposal() -> None:
    reform = Reform(
        procedure_id=7, documents_removed=2, cost_before_vnd=300_000, cost_after_vnd=100_000
    )
    baseline, changed, _ = compare(history(), reform, seed=1)
    assert changed.supplements < baseline.supplements
    assert 0.35 < changed.supplements / baseline.supplements < 0.65  # 2 of 4 documents kept
    assert baseline.compliance_cost_vnd == baseline.dossiers * 300_000
    assert changed.compliance_cost_vnd == changed.dossiers * 100_000


def test_the_assumptions_list_every_parameter_with_its_value_and_source() -> None:
    reform = Reform(
        procedure_id=7,
        time_value=Decimal("0.5"),
        online_share=0.8,
        documents_removed=1,
        citizen_hours_before=Decimal("4.5"),
        citizen_hours_after=Decimal(2),
        cost_before_vnd=250_000,
        cost_after_vnd=120_000,
    )
    text = "\n".join(compare(history(), reform, seed=1)[2])
    for shown in (
        "02/03/2026–29/03/2026",
        "20,00 hồ sơ/ngày làm việc",
        "trực tiếp 70,0%, trực tuyến 30,0%",
        "trực tuyến 80,0%",
        "1 ngày làm việc",
        "0,5 ngày làm việc (đề xuất)",
        "rút ngẫu nhiên từ 100 hồ sơ",
        "mức tăng nhịp 0%",
        "20,0% (lịch sử)",
        "1/4 giấy tờ",
        "còn 15,0%",
        "16,0 giờ làm việc (mặc định)",
        "trước 4,50 giờ, sau 2,00 giờ (đề xuất)",
        "2,0 giờ mỗi lần",
        "250.000 đồng",
        "120.000 đồng",
    ):
        assert shown in text, shown


def test_thin_history_falls_back_to_the_profile_and_says_so() -> None:
    thin = history(work_hours=(), channel_source=DEFAULT, supplement_source=DEFAULT)
    baseline, _, lines = compare(thin, Reform(procedure_id=7), seed=1)
    # The profile's pace of the time allowed, and its late share beyond it.
    assert 0.9 < baseline.on_time_rate < 1.0
    assert any("chưa đủ 30 hồ sơ" in line for line in lines)


def test_values_no_proposal_can_have_are_refused() -> None:
    for wrong in (
        {"time_value": Decimal(0)},
        {"online_share": 1.5},
        {"documents_removed": -1},
        {"cost_after_vnd": -5},
    ):
        with pytest.raises(ValueError, match=r"\w"):
            Reform(procedure_id=7, **wrong).validate()


def test_the_inputs_and_the_result_round_trip_through_json() -> None:
    reform = Reform(procedure_id=7, time_value=Decimal("2.5"), online_share=0.5)
    assert Reform.from_json(reform.to_json()) == reform
    baseline, changed, lines = compare(history(), reform, seed=2)
    result = WhatIf(MONDAY, MONDAY, baseline, changed, lines, 2, 0.1, 7, "1.000001", "Thử")
    assert WhatIf.from_json(result.to_json()) == result


# From the database: a simulated history
BUSY = Profile(arrivals_per_day=30, tickets_per_day=0, supplement_share=0.3, late_share=0.1)


def busiest() -> int:
    found = (
        Dossier.objects.order_by()
        .filter(procedure__methods__time_value__isnull=False)
        .values("procedure_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")
        .values_list("procedure_id", flat=True)
        .first()
    )
    assert found is not None
    return int(found)


@pytest.fixture
def simulated(db: Any) -> int:
    """Two weeks of bulk-simulated history; the busiest procedure with a stated time."""
    simulate(mode="bulk", start=MONDAY, days=14, seed=2, profile=BUSY)
    return busiest()


@pytest.mark.slow
@pytest.mark.django_db
def test_calibration_reads_the_history_and_the_what_if_writes_nothing(
    simulated: int, django_assert_max_num_queries: Any
) -> None:
    end = MONDAY + dt.timedelta(days=13)
    with django_assert_max_num_queries(15):
        found = calibrate(simulated, start=MONDAY, end=end, parameters=Parameters(min_history=3))
    window = Dossier.objects.filter(procedure_id=simulated, received_at__isnull=False)
    assert found.received == window.count() > 3
    assert found.working_days == 10
    assert found.per_working_day == found.received / 10
    assert found.channel_shares[Channel.ONLINE] == (
        window.filter(channel=Channel.ONLINE).count() / found.received
    )
    supplemented = SupplementRequest.objects.filter(dossier__in=window).values("dossier").distinct()
    assert found.supplement_share == supplemented.count() / found.received
    finished = window.filter(finished_at__isnull=False).exclude(outcome="")
    assert found.finished == finished.count() == len(found.work_hours)
    assert found.late_observed == finished.filter(outcome=Outcome.LATE).count()
    steps = DossierStep.objects.filter(dossier__in=finished, working_seconds__isnull=False)
    assert max(found.work_hours) * 3600 <= max(s.working_seconds or 0 for s in steps) * 10

    rows = (Dossier.objects.count(), DossierStep.objects.count())
    time = Procedure.objects.get(pk=simulated).methods.first()
    assert time is not None and time.time_value is not None
    result = what_if(
        Reform(procedure_id=simulated, time_value=time.time_value * Decimal("0.5")),
        end=end,
        days=14,
        parameters=Parameters(min_history=3),
    )
    assert (Dossier.objects.count(), DossierStep.objects.count()) == rows
    assert result.start == MONDAY and result.end == end
    assert result.baseline.dossiers == result.changed.dossiers > 0
    assert result.changed.late >= result.baseline.late
    assert any(HISTORY in line for line in result.assumptions)


@pytest.mark.django_db
def test_an_unknown_procedure_is_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError, match="Không có thủ tục"):
        what_if(Reform(procedure_id=999_999_999))


@pytest.mark.django_db
def test_a_what_if_asked_for_is_computed_by_its_task(
    settings: Any, django_capture_on_commit_callbacks: Any, admin_anh: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    procedure = Procedure.objects.filter(methods__time_value__isnull=False).first()
    assert procedure is not None
    reform = Reform(procedure_id=procedure.pk, time_value=Decimal(1), online_share=0.9)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_what_if(
            reform=reform, user=admin_anh, subject="Rà soát năm 2026", proposal_id=5
        )
    run.refresh_from_db()
    assert run.status == WhatIfStatus.DONE, run.error
    assert run.requested_by == admin_anh and run.proposal_id == 5
    assert Reform.from_json(run.reform) == reform
    assert run.result is not None
    result = WhatIf.from_json(run.result)
    assert result.procedure_id == procedure.pk and result.assumptions
    assert run.started_at is not None and run.finished_at is not None
    # Delivered twice, it does nothing the second time.
    assert run_what_if.call(run.pk) == "skipped"


@pytest.mark.django_db
def test_a_failed_what_if_keeps_its_error(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        run = start_what_if(reform=Reform(procedure_id=999_999_999), user=None, subject="")
    run.refresh_from_db()
    assert run.status == WhatIfStatus.FAILED
    assert "Không có thủ tục" in run.error


@pytest.mark.django_db
def test_the_operators_command_prints_the_figures_and_the_assumptions() -> None:
    procedure = Procedure.objects.filter(methods__time_value__isnull=False).first()
    assert procedure is not None
    out = StringIO()
    call_command("what_if", "--procedure", procedure.code, "--time", "1", "--end", "2026-03-13",
                 "--online-share", "0.5", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "Tỷ lệ đúng hạn" in text and "Giả định:" in text and "13/03/2026" in text
    with pytest.raises(CommandError, match="Không có thủ tục"):
        call_command("what_if", "--procedure", "không-có", stdout=StringIO())
    with pytest.raises(CommandError, match="0 đến 1"):
        call_command(
            "what_if", "--procedure", procedure.code, "--online-share", "2", stdout=StringIO()
        )


def test_parameters_are_checked() -> None:
    with pytest.raises(ValueError, match=r"\w"):
        Parameters(pace_limit=1.0).validate()
    assert dataclasses.replace(Parameters(), desk_trip_hours=1).validate().desk_trip_hours == 1
