"""Where the time goes (docs/rules/indicators.md): the step actions measure each step's
waiting and working time and each dossier's processing time in working hours, at fixed
moments, and keep the counters a recount proves.

The provincial calendar: 07:00–11:30 and 13:30–17:00, Monday to Friday (8 working hours)."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.core import counters as core_counters
from motcua.core.histogram import bucket_of
from motcua.dossiers.actions import (
    complete_supplement,
    forward_dossier,
    mark_result_ready,
    record_step,
    request_supplement,
    return_result,
)
from motcua.dossiers.counters import differences, rebuild
from motcua.dossiers.models import (
    Dossier,
    Outcome,
    ProcessingTimeDayCounter,
    ProcessingTimeMonthCounter,
    StepTimeDayCounter,
    StepTimeMonthCounter,
)
from motcua.dossiers.tests.fixtures import at, clock, holder

pytestmark = pytest.mark.django_db
HOUR = 3600


def walk(received: Any, clerk_binh: Any) -> Dossier:
    """1.000426 (5 working days), received Monday 02/03 08:00. Step 1 (reception, 4 h) is
    handed over at 10:00; step 2 (appraisal, 22 h) gets an opinion at 11:00, asks for a
    supplement at 14:00 that comes back Tuesday 14:00 (8 working hours paused), and is
    handed over Friday 06/03 17:00; step 3 (approval, 10 h) decides Monday 09/03 09:00; the
    result is returned at 10:00."""
    dossier = received()
    with clock(at(2026, 3, 2, 10, 0)):
        dossier = forward_dossier(dossier=dossier, officer=holder(dossier))
    appraiser = holder(dossier)
    with clock(at(2026, 3, 2, 11, 0)):
        dossier = record_step(dossier=dossier, officer=appraiser, note="Đủ thành phần")
    with clock(at(2026, 3, 2, 14, 0)):
        dossier = request_supplement(
            dossier=dossier, officer=appraiser, reason="Thiếu", items=["Bản sao CCCD"]
        )
    with clock(at(2026, 3, 3, 14, 0)):
        dossier = complete_supplement(dossier=dossier, officer=clerk_binh)
    with clock(at(2026, 3, 6, 17, 0)):
        dossier = forward_dossier(dossier=dossier, officer=appraiser)
    with clock(at(2026, 3, 9, 9, 0)):
        dossier = mark_result_ready(dossier=dossier, officer=holder(dossier))
    with clock(at(2026, 3, 9, 10, 0)):
        dossier = return_result(dossier=dossier, officer=holder(dossier))
    return dossier


def test_each_step_is_measured_in_working_hours_pauses_left_out(
    received: Any, clerk_binh: Any
) -> None:
    dossier = walk(received, clerk_binh)
    steps = {s.position: s for s in dossier.steps.all()}
    # Reception: 08:00 → 10:00, nobody acted before the hand-over.
    assert (steps[1].working_seconds, steps[1].waiting_seconds) == (2 * HOUR, 2 * HOUR)
    # Appraisal: Monday 10:00 → Friday 17:00 is 37 working hours, 8 of them paused; the
    # opinion at 11:00 ended its waiting after one hour.
    assert steps[2].paused_seconds == 8 * HOUR
    assert steps[2].working_seconds == 29 * HOUR
    assert steps[2].waiting_seconds == HOUR
    assert steps[2].outcome == Outcome.LATE  # due Friday 08:00 (22 h + the pause)
    # Approval: Friday 17:00 → Monday 09:00, two working hours; the return: one.
    assert steps[3].working_seconds == 2 * HOUR
    assert steps[4].working_seconds == HOUR
    # The dossier: 41 working hours from reception to result, 8 paused: 33.
    event = dossier.events.get(kind="mark_result_ready")
    assert event.data["working_seconds"] == 33 * HOUR


def test_the_counters_hold_each_step_in_its_bucket(received: Any, clerk_binh: Any) -> None:
    dossier = walk(received, clerk_binh)
    appraisal = StepTimeDayCounter.objects.get(day="2026-03-06")
    assert appraisal.bucket == bucket_of(29 * HOUR) == 290  # 29 h: the 29–30 h bucket
    assert (appraisal.agency_id, appraisal.procedure_id) == (
        dossier.competent_agency_id,
        dossier.procedure_id,
    )
    assert (appraisal.position, appraisal.name, appraisal.role) == (
        2,
        "Thẩm định hồ sơ",
        "specialist",
    )
    assert (appraisal.steps, appraisal.late, appraisal.seconds) == (1, 1, 29 * HOUR)
    assert appraisal.over_seconds == 7 * HOUR  # 29 h worked against 22 h allotted
    assert appraisal.waiting_seconds == HOUR
    month = StepTimeMonthCounter.objects.filter(month="2026-03-01")
    assert sorted(month.values_list("position", "bucket", "steps", "late", "seconds")) == [
        (1, 20, 1, 0, 2 * HOUR),
        (2, 290, 1, 1, 29 * HOUR),
        (3, 20, 1, 0, 2 * HOUR),
        (4, 10, 1, 0, HOUR),
    ]
    processing = ProcessingTimeDayCounter.objects.get()
    assert (processing.day.isoformat(), processing.bucket) == ("2026-03-09", 330)
    assert (processing.dossiers, processing.seconds) == (1, 33 * HOUR)
    assert ProcessingTimeMonthCounter.objects.get().seconds == 33 * HOUR
    assert differences() == []


def test_the_recount_finds_a_wrong_step_counter_and_repairs_it(
    received: Any, clerk_binh: Any
) -> None:
    walk(received, clerk_binh)
    row = StepTimeMonthCounter.objects.get(position=2)
    core_counters.add(StepTimeMonthCounter, {tuple(getattr(row, k) for k in row.KEY): {"late": 1}})
    core_counters.add(
        ProcessingTimeDayCounter,
        {(at(2026, 3, 9, 0, 0).date(), row.agency_id, row.procedure_id, 330): {"seconds": -5}},
    )
    found = differences()
    assert len(found) == 2
    assert any(line.startswith("step_time_month") and "'late': 2" in line for line in found)
    assert any(line.startswith("processing_time_day") for line in found)
    rebuild()
    assert differences() == []
    assert StepTimeMonthCounter.objects.get(position=2).late == 1
