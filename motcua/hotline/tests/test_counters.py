"""The hotline counters follow each ticket through the real actions, agree with a recount from
the tickets after every step, and are put right by a rebuild."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import counters
from motcua.hotline.actions import (
    answer_ticket,
    classify_ticket,
    close_ticket,
    escalate_ticket,
    merge_ticket,
    rate_ticket,
    reopen_ticket,
    return_to_hotline,
    route_ticket,
)
from motcua.hotline.counters import bucket_of
from motcua.hotline.deadlines import flag_tickets
from motcua.hotline.models import (
    AnswerHoursDayCounter,
    AnswerHoursMonthCounter,
    Ticket,
    TicketDayCounter,
    TicketMonthCounter,
)
from motcua.hotline.tests.fixtures import chat

pytestmark = pytest.mark.django_db

MARCH_2 = dt.date(2026, 3, 2)


def figures(agency_id: int | None, day: dt.date = MARCH_2) -> dict[str, int]:
    """The day's counters of one agency (None: at 1022), summed over channels and kinds; the
    month's must say the same."""
    found: dict[str, int] = {}
    for model, period in ((TicketDayCounter, day), (TicketMonthCounter, day.replace(day=1))):
        rows = model.objects.filter(agency_id=agency_id, **{model.KEY[0]: period})
        sums = {f: sum(getattr(r, f) for r in rows) for f in counters.TICKET_FIELDS}
        assert not found or sums == found
        found = sums
    return {name: n for name, n in found.items() if n}


def agrees() -> bool:
    assert counters.differences() == []
    return True


def test_a_ticket_moves_between_agencies_and_classes(operator_ha, justice, police, justice_chi):
    with clock(at(2026, 3, 2, 8, 0)):
        ticket = chat("Hỏi chứng thực bản sao")  # a question, due in working hours
    assert figures(None) == {"received": 1, "open_within": 1} and agrees()
    with clock(at(2026, 3, 2, 8, 30)):
        route_ticket(ticket=ticket, user=operator_ha, agency=justice)
    assert figures(None) == {}
    assert figures(justice.pk) == {"received": 1, "open_within": 1} and agrees()
    with clock(at(2026, 3, 2, 9, 0)):
        classify_ticket(ticket=ticket, user=operator_ha, kind="complaint")
    assert agrees()
    with clock(at(2026, 3, 2, 10, 0)):
        answer_ticket(ticket=ticket, user=justice_chi, body="Đã trả lời.", in_person=True)
    ticket.refresh_from_db()
    assert ticket.first_answer_seconds == 2 * 3600  # 08:00–10:00, all working time
    assert figures(justice.pk) == {"received": 1, "answered_on_time": 1} and agrees()
    day_hours = AnswerHoursDayCounter.objects.get(agency=justice, day=MARCH_2)
    month_hours = AnswerHoursMonthCounter.objects.get(agency=justice, month=dt.date(2026, 3, 1))
    assert (day_hours.bucket, day_hours.answers, day_hours.seconds) == (20, 1, 7200)
    assert (month_hours.bucket, month_hours.answers, month_hours.seconds) == (20, 1, 7200)
    with clock(at(2026, 3, 3, 8, 0)):
        rate_ticket(ticket=ticket, rating=5)
    assert figures(justice.pk)["rating_sum"] == 5 and agrees()

    # Reopened and sent on: the first answer's timeliness and hours go with it.
    with clock(at(2026, 3, 4, 8, 0)):
        reopen_ticket(ticket=ticket, user=operator_ha, reason="Hỏi thêm")
        route_ticket(ticket=ticket, user=operator_ha, agency=police)
    assert figures(justice.pk) == {}
    assert figures(police.pk) == {
        "received": 1,
        "answered_on_time": 1,
        "rated": 1,
        "rating_sum": 5,
        "rated_high": 1,
    }
    assert AnswerHoursDayCounter.objects.get(agency=police).answers == 1 and agrees()
    with clock(at(2026, 3, 4, 9, 0)):
        answer_ticket(ticket=ticket, user=operator_ha, body="Trả lời lần hai.", in_person=True)
    assert figures(police.pk)["answered_on_time"] == 1 and agrees()


def test_late_overdue_escalated_closed_merged(operator_ha, justice, justice_chi):
    with clock(at(2026, 3, 2, 8, 0)):
        late = chat("Hỏi lý lịch tư pháp", sender="a")
        route_ticket(ticket=late, user=operator_ha, agency=justice)
        waiting = chat("Hỏi giờ làm việc", sender="b")
        route_ticket(ticket=waiting, user=operator_ha, agency=justice)
        spam = chat("alo", sender="c")
        duplicate = chat("Hỏi lý lịch tư pháp nữa", sender="d")
    flag_tickets(at(2026, 3, 20, 8, 0))  # both justice tickets overdue, escalated once
    assert figures(justice.pk) == {"received": 2, "open_overdue": 2, "escalated": 2}
    assert agrees()
    with clock(at(2026, 3, 20, 9, 0)):
        answer_ticket(ticket=late, user=justice_chi, body="Trả lời muộn.", in_person=True)
        escalate_ticket(ticket=waiting, user=operator_ha, reason="Nhắc lần hai")
        return_to_hotline(ticket=waiting, user=justice_chi, reason="Không thuộc thẩm quyền")
        close_ticket(ticket=spam, user=operator_ha, reason="Gọi nhầm")
        merge_ticket(ticket=duplicate, into=late, user=operator_ha)
    assert figures(justice.pk) == {"received": 1, "answered_late": 1, "escalated": 1}
    # At 1022: the returned ticket (still past due) and the closed one, both escalated by the
    # job; the merged duplicate counts nowhere.
    assert figures(None) == {"received": 2, "open_overdue": 1, "escalated": 2}
    assert agrees()


def test_a_longer_response_time_clears_the_overdue_flag(operator_ha):
    with clock(at(2026, 3, 2, 8, 0)):
        ticket = chat("Góp ý về thủ tục", sender="e")
    flag_tickets(at(2026, 3, 5, 8, 0))  # a question: due 04/03 08:00
    assert figures(None)["open_overdue"] == 1
    with clock(at(2026, 3, 5, 8, 30)):
        classify_ticket(ticket=ticket, user=operator_ha, kind="complaint")  # 30 working days
    ticket.refresh_from_db()
    assert ticket.deadline_flag == ""
    assert figures(None) == {"received": 1, "open_within": 1, "escalated": 1} and agrees()


def test_the_recount_names_a_wrong_row_and_the_rebuild_puts_it_right(operator_ha, justice):
    with clock(at(2026, 3, 2, 8, 0)):
        route_ticket(ticket=chat("Hỏi", sender="f"), user=operator_ha, agency=justice)
    TicketMonthCounter.objects.filter(agency=justice).update(received=7)
    AnswerHoursDayCounter.objects.create(day=MARCH_2, agency=justice, bucket=5, answers=1)
    found = counters.differences()
    assert len(found) == 2
    assert found[0].startswith("tickets_month") and "'received': 7" in found[0]
    assert found[1].startswith("hours_day")
    assert counters.rebuild()["tickets_month"] == 1
    assert counters.differences() == []


def test_the_migration_measures_first_answers_and_fills_the_counters(
    operator_ha, justice, justice_chi
):
    with clock(at(2026, 3, 2, 8, 0)):
        ticket = chat("Hỏi", sender="g")
        route_ticket(ticket=ticket, user=operator_ha, agency=justice)
    with clock(at(2026, 3, 3, 9, 0)):  # 8 working hours on Monday, 2 on Tuesday
        answer_ticket(ticket=ticket, user=justice_chi, body="Trả lời.", in_person=True)
    Ticket.objects.update(first_answer_seconds=None)
    for model in (TicketDayCounter, TicketMonthCounter, AnswerHoursDayCounter):
        model.objects.all().delete()
    migration = importlib.import_module("motcua.hotline.migrations.0005_fill_ticket_counters")
    AnswerHoursMonthCounter.objects.all().delete()
    migration.fill(apps, None)
    assert Ticket.objects.get().first_answer_seconds == 9 * 3600
    assert counters.differences() == []


@pytest.mark.parametrize(
    ("seconds", "bucket"),
    [
        (0, 0),
        (359, 0),
        (1800, 5),
        (35_999, 99),
        (36_000, 100),
        (47.5 * 3600, 470),
        (360_000, 1_000),
        (3_600_000, 10_000),
        (3_960_000, 11_000),
    ],
)
def test_the_histogram_buckets(seconds, bucket):
    assert bucket_of(int(seconds)) == bucket
