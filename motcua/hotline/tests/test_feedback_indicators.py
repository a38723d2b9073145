"""The feedback indicators (docs/rules/indicators.md "Feedback indicators"): declining and
asking for details, who may, what the citizen is told, and each of the four rules measured in
the acting agency's working days, kept in the counters and agreeing with a recount."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from motcua.core.actions import ActionError
from motcua.dossiers.tests.fixtures import at, clock
from motcua.hotline import counters
from motcua.hotline.actions import (
    answer_ticket,
    ask_for_details,
    decline_ticket,
    publish_answer,
    receive_message,
    route_ticket,
)
from motcua.hotline.inbound import InboundMessage
from motcua.hotline.models import (
    Delivery,
    Direction,
    Ticket,
    TicketDayCounter,
    TicketMonthCounter,
)
from motcua.hotline.models.counters import FEEDBACK_FIELDS
from motcua.hotline.status import DeclineReason, TicketKind, TicketStatus
from motcua.workcalendar.models import CalendarOverride, OverrideKind

pytestmark = pytest.mark.django_db

FRIDAY = at(2026, 3, 6, 16, 0)  # received: one working hour left on Friday
MONDAY = dt.date(2026, 3, 9)
HOUR = 3600
_sent = 0


def feedback(text: str = "Phản ánh cán bộ hướng dẫn hồ sơ chưa rõ", **extra: Any) -> Ticket:
    """A feedback message on Zalo, received now."""
    global _sent
    _sent += 1
    message = InboundMessage(
        channel="zalo",
        external_id=f"fb-{_sent}",
        sender_id=extra.pop("sender", "zalo-fb-1"),
        sender_name="Trần Thị Bích",
        text=text,
        **extra,
    )
    return receive_message(message=message, kind=extra.pop("kind", TicketKind.FEEDBACK)).ticket


def received_friday(operator: Any, agency: Any, *, kind: str = TicketKind.FEEDBACK) -> Ticket:
    global _sent
    _sent += 1
    with clock(FRIDAY):
        message = InboundMessage(
            channel="zalo",
            external_id=f"fb-{_sent}",
            sender_id=f"zalo-fb-{_sent}",
            sender_name="Trần Thị Bích",
            text="Phản ánh thời gian giải quyết hồ sơ",
        )
        ticket = receive_message(message=message, kind=kind).ticket
        route_ticket(ticket=ticket, user=operator, agency=agency)
    return ticket


def monday_off(agency: Any) -> None:
    CalendarOverride.objects.create(
        day=MONDAY, kind=OverrideKind.DAY_OFF, name="Nghỉ của cơ quan", agency=agency
    )


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def feedback_counts(agency_id: int | None, day: dt.date) -> dict[str, int]:
    """The feedback figures of one agency on one day; the month's rows say the same."""
    found: dict[str, int] = {}
    for model, period in ((TicketDayCounter, day), (TicketMonthCounter, day.replace(day=1))):
        rows = model.objects.filter(agency_id=agency_id, **{model.KEY[0]: period})
        sums = {f: sum(getattr(r, f) for r in rows) for f in FEEDBACK_FIELDS}
        assert not found or sums == found
        found = sums
    assert counters.differences() == []
    return {name: n for name, n in found.items() if n}


# ---- rule (b): declined within 2 working days -----------------------------------------------


@pytest.mark.parametrize(
    ("declined", "seconds", "in_time"),
    [
        (at(2026, 3, 10, 16, 0), 16 * HOUR, True),  # Fri 1 h + Mon 8 h + Tue 7 h: the limit
        (at(2026, 3, 10, 16, 30), int(16.5 * HOUR), False),
    ],
)
def test_a_decline_within_two_working_days(
    operator_ha, justice, justice_lam, declined, seconds, in_time
):
    ticket = received_friday(operator_ha, justice)
    with clock(declined):
        decline_ticket(
            ticket=ticket,
            user=justice_lam,
            reason=DeclineReason.ANONYMOUS,
            note="Đề nghị gửi lại kèm họ tên, địa chỉ.",
        )
    ticket = fresh(ticket)
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.decline_seconds == seconds and ticket.declined_at == declined
    expected = {"declined": 1, **({"declined_in_time": 1} if in_time else {})}
    assert feedback_counts(justice.pk, FRIDAY.date()) == expected
    # The citizen is told on Zalo, as an answer would be, with the legal reason.
    (told,) = ticket.messages.filter(direction=Direction.OUTBOUND)
    assert told.channel == "zalo" and told.delivery == Delivery.PENDING
    assert str(DeclineReason.ANONYMOUS.label) in told.body and "họ tên, địa chỉ" in told.body
    event = ticket.events.get(kind="decline")
    assert event.data["reason"] == DeclineReason.ANONYMOUS and event.to_status == "closed"
    assert ticket.outcome == "" and ticket.answered_at is None


def test_the_acting_agencys_day_off_does_not_count(operator_ha, justice, justice_lam):
    monday_off(justice)
    ticket = received_friday(operator_ha, justice)
    with clock(at(2026, 3, 10, 16, 30)):
        decline_ticket(ticket=ticket, user=justice_lam, reason=DeclineReason.ALREADY_SETTLED)
    assert fresh(ticket).decline_seconds == int(8.5 * HOUR)  # Fri 1 h + Tue 7.5 h
    assert feedback_counts(justice.pk, FRIDAY.date()) == {"declined": 1, "declined_in_time": 1}


def test_at_1022_the_provinces_calendar_counts(operator_ha, justice):
    monday_off(justice)  # not the province's: 1022 works that Monday
    with clock(FRIDAY):
        ticket = feedback()
    with clock(at(2026, 3, 10, 16, 30)):
        decline_ticket(ticket=ticket, user=operator_ha, reason=DeclineReason.NOT_FEEDBACK)
    assert fresh(ticket).decline_seconds == int(16.5 * HOUR)
    assert feedback_counts(None, FRIDAY.date()) == {"declined": 1}


# ---- rule (c): asked for details within 5 working days --------------------------------------


def test_the_first_request_for_details_counts_and_the_citizen_continues(
    operator_ha, justice, justice_chi
):
    ticket = received_friday(operator_ha, justice)
    # Fri 1 h, Mon–Thu 32 h, Fri 11/03… : 5 working days = 40 h, reached Fri 13/03 16:00.
    with clock(at(2026, 3, 13, 16, 0)):
        ask_for_details(ticket=ticket, user=justice_chi, body="Đề nghị cho biết số hồ sơ.")
    with clock(at(2026, 3, 16, 9, 0)):
        ask_for_details(ticket=ticket, user=justice_chi, body="Đề nghị gửi ảnh giấy hẹn.")
    ticket = fresh(ticket)
    assert ticket.status == TicketStatus.ROUTED  # still open, in the agency's queue
    assert ticket.ask_seconds == 40 * HOUR and ticket.asked_at == at(2026, 3, 13, 16, 0)
    assert [e.data["first"] for e in ticket.events.filter(kind="ask_details")] == [True, False]
    assert feedback_counts(justice.pk, FRIDAY.date()) == {"asked": 1, "asked_in_time": 1}
    # The citizen's next message on the channel continues the same ticket.
    with clock(at(2026, 3, 16, 10, 0)):
        message = InboundMessage(
            channel="zalo",
            external_id="fb-reply-1",
            sender_id=ticket.contact.identities.get().external_id,
            sender_name="Trần Thị Bích",
            text="Số hồ sơ là 000.00.12.H20-260301-0001",
        )
        assert receive_message(message=message).ticket.pk == ticket.pk


def test_a_request_after_five_working_days_is_late(operator_ha, justice, justice_chi):
    ticket = received_friday(operator_ha, justice)
    with clock(at(2026, 3, 13, 16, 30)):
        ask_for_details(ticket=ticket, user=justice_chi, body="Đề nghị cho biết số hồ sơ.")
    assert feedback_counts(justice.pk, FRIDAY.date()) == {"asked": 1}


# ---- rule (a): handled within 15 working days; rule (d): published within 2 -----------------


@pytest.mark.parametrize(
    ("answered", "in_time"),
    [(at(2026, 3, 27, 16, 0), True), (at(2026, 3, 27, 16, 30), False)],
)
def test_handled_within_fifteen_working_days(operator_ha, justice, justice_chi, answered, in_time):
    ticket = received_friday(operator_ha, justice)
    with clock(answered):  # Fri 1 h + 14 whole days + Fri 27/03 until 16:00 = 120 h
        answer_ticket(ticket=ticket, user=justice_chi, body="Đã chấn chỉnh việc hướng dẫn.")
    expected = {"handled": 1, **({"handled_in_time": 1} if in_time else {})}
    assert feedback_counts(justice.pk, FRIDAY.date()) == expected


@pytest.mark.parametrize(
    ("holiday", "in_time"), [(False, False), (True, True)], ids=["workday", "agency-holiday"]
)
def test_published_within_two_working_days_of_the_first_answer(
    operator_ha, justice, justice_chi, justice_lam, holiday, in_time
):
    if holiday:
        monday_off(justice)
    ticket = received_friday(operator_ha, justice)
    with clock(FRIDAY + dt.timedelta(minutes=30)):
        answer_ticket(ticket=ticket, user=justice_chi, body="Đã chấn chỉnh.")
    with clock(at(2026, 3, 9, 9, 0)):
        answer_ticket(ticket=ticket, user=justice_chi, body="Bổ sung trả lời.")
    with clock(at(2026, 3, 10, 17, 0)):  # from the first answer, Fri 16:30
        publish_answer(
            ticket=ticket, user=justice_lam, title="Hướng dẫn hồ sơ", question="Hỏi", answer="Đáp"
        )
    with clock(at(2026, 3, 11, 8, 0)):  # published again: the first publication stands
        publish_answer(
            ticket=ticket, user=justice_lam, title="Hướng dẫn", question="Hỏi", answer="Đáp"
        )
    seconds = fresh(ticket).publish_seconds
    assert seconds == (
        int(8.5 * HOUR) if holiday else int(16.5 * HOUR)
    )  # Fri ½ h, (Mon 8 h,) Tue 8 h
    expected = {"handled": 1, "handled_in_time": 1, "published": 1}
    if in_time:
        expected["published_in_time"] = 1
    assert feedback_counts(justice.pk, FRIDAY.date()) == expected


def test_other_kinds_count_nowhere(operator_ha, justice, justice_chi, justice_lam):
    ticket = received_friday(operator_ha, justice, kind=TicketKind.QUESTION)
    with clock(at(2026, 3, 9, 9, 0)):
        ask_for_details(ticket=ticket, user=justice_chi, body="Hỏi rõ thủ tục nào?")
        answer_ticket(ticket=ticket, user=justice_chi, body="Đã trả lời.")
        publish_answer(ticket=ticket, user=justice_lam, title="T", question="Q", answer="A")
    assert fresh(ticket).ask_seconds is not None  # measured, but not a feedback
    assert feedback_counts(justice.pk, FRIDAY.date()) == {}


# ---- who may, and refusals ----------------------------------------------------------------


def test_only_a_feedback_or_petition_is_declined(operator_ha, justice, justice_lam):
    question = received_friday(operator_ha, justice, kind=TicketKind.QUESTION)
    with pytest.raises(ActionError) as refused, clock(at(2026, 3, 9, 9, 0)):
        decline_ticket(ticket=question, user=justice_lam, reason=DeclineReason.ANONYMOUS)
    assert refused.value.code == "not_feedback" and refused.value.status == 409
    ticket = received_friday(operator_ha, justice)
    with pytest.raises(ActionError) as refused:
        decline_ticket(ticket=ticket, user=justice_lam, reason="because")
    assert refused.value.status == 422
    assert fresh(ticket).status == TicketStatus.ROUTED


def test_an_answered_ticket_is_not_declined(operator_ha, justice, justice_chi, justice_lam):
    ticket = received_friday(operator_ha, justice)
    with clock(at(2026, 3, 9, 9, 0)):
        answer_ticket(ticket=ticket, user=justice_chi, body="Đã trả lời.")
        with pytest.raises(ActionError) as refused:
            decline_ticket(ticket=ticket, user=justice_lam, reason=DeclineReason.ANONYMOUS)
        with pytest.raises(ActionError):
            ask_for_details(ticket=ticket, user=justice_chi, body="Bổ sung?")
    assert refused.value.status == 409


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, ticket: Ticket, action: str, **data: Any) -> Any:
    prefixed = {f"{action}-{name}": value for name, value in data.items()}
    return client.post(f"/tong-dai/{ticket.code}/thao-tac/{action}/", prefixed)


def test_console_the_specialist_asks_the_leader_declines(
    operator_ha, justice, justice_chi, justice_lam, police_officer
):
    ticket = received_friday(operator_ha, justice)
    chi, lam = login(justice_chi), login(justice_lam)
    page = chi.get(f"/tong-dai/{ticket.code}/").content.decode()
    assert "Đề nghị bổ sung, làm rõ" in page and "Từ chối tiếp nhận xử lý" not in page
    assert "Từ chối tiếp nhận xử lý" in lam.get(f"/tong-dai/{ticket.code}/").content.decode()

    refused = post(chi, ticket, "decline", reason=DeclineReason.ANONYMOUS)
    assert refused.status_code == 403 and "không có quyền" in refused.content.decode()
    assert post(login(police_officer), ticket, "ask_details", body="?").status_code == 404
    empty = post(chi, ticket, "ask_details", body="  ")
    assert empty.status_code == 422 and fresh(ticket).asked_at is None

    with clock(at(2026, 3, 9, 9, 0)):
        assert (
            post(chi, ticket, "ask_details", body="Đề nghị cho biết số hồ sơ.").status_code == 302
        )
    assert fresh(ticket).asked_at == at(2026, 3, 9, 9, 0)
    no_reason = post(lam, ticket, "decline", reason="", note="")
    assert no_reason.status_code == 422 and fresh(ticket).status == TicketStatus.ROUTED
    with clock(at(2026, 3, 9, 10, 0)):
        done = post(lam, ticket, "decline", reason=DeclineReason.BEING_SETTLED, note="")
    assert done.status_code == 302
    ticket = fresh(ticket)
    assert (ticket.status, ticket.decline_reason) == ("closed", DeclineReason.BEING_SETTLED)
    shown = lam.get(f"/tong-dai/{ticket.code}/").content.decode()
    # The thread says which messages were a request for details and a decline.
    heads = re.findall(r'<span class="muted">([^<]+)</span>', shown)
    assert "Đề nghị bổ sung, làm rõ" in heads and "Từ chối tiếp nhận xử lý" in heads
    assert "Từ chối tiếp nhận xử lý lúc" in shown and "Đề nghị bổ sung, làm rõ lúc" in shown
    assert feedback_counts(justice.pk, FRIDAY.date()) == {
        "declined": 1,
        "declined_in_time": 1,
        "asked": 1,
        "asked_in_time": 1,
    }


def test_console_offers_no_decline_for_a_question(operator_ha, justice, justice_lam):
    ticket = received_friday(operator_ha, justice, kind=TicketKind.QUESTION)
    page = login(justice_lam).get(f"/tong-dai/{ticket.code}/").content.decode()
    assert "Từ chối tiếp nhận xử lý" not in page
    refused = post(login(justice_lam), ticket, "decline", reason=DeclineReason.ANONYMOUS)
    assert refused.status_code == 409 and fresh(ticket).status == TicketStatus.ROUTED


def test_the_migration_counts_feedback_answered_before(operator_ha, justice, justice_chi):
    on_time = received_friday(operator_ha, justice)
    late = received_friday(operator_ha, justice, kind=TicketKind.PETITION)
    with clock(at(2026, 3, 9, 9, 0)):
        answer_ticket(ticket=on_time, user=justice_chi, body="Đã trả lời.")
    with clock(at(2026, 3, 30, 9, 0)):  # 15 working days ended Fri 27/03 16:00
        answer_ticket(ticket=late, user=justice_chi, body="Đã trả lời.")
    for model in (TicketDayCounter, TicketMonthCounter):
        model.objects.update(handled=0, handled_in_time=0)
    assert counters.differences() != []
    migration = importlib.import_module("motcua.hotline.migrations.0006_feedback_indicators")
    migration.count_handled(apps, None)
    assert feedback_counts(justice.pk, FRIDAY.date()) == {"handled": 2, "handled_in_time": 1}
