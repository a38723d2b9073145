"""The desk queue under concurrency (docs/appointments.md "Desk queue"), each caller on a
connection of its own: thirty numbers taken at once at one desk are numbers 1 to 30, once
each; two clerks pressing "call next" together, again and again, never get the same number.
PostgreSQL only: SQLite runs one writer at a time, so it proves nothing here."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from motcua.appointments import queue
from motcua.appointments.models import DeskQueue, QueueDay, QueueTicket, TicketState
from motcua.appointments.queue_days import ensure_windows
from motcua.core.actions import ActionError
from motcua.dossiers.tests.fixtures import at, clock
from motcua.org.models import Desk, DeskKind, Membership, Role

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PEOPLE = 30


def together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs at the same moment, each in a thread with its own connection."""
    start = threading.Barrier(len(jobs))
    outcomes: list[Any] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        try:
            start.wait()
            try:
                result = job()
            except ActionError as exc:
                result = (exc.code, exc.status)
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")


def test_thirty_numbers_taken_at_once_are_one_to_thirty():
    needs_postgres()
    desk = Desk.objects.get(kind=DeskKind.CENTRE)
    clerk = get_user_model().objects.get(username="tiepnhan")
    with clock(at(2026, 12, 1, 8, 0)):
        ensure_windows(desk, at(2026, 12, 1).date())

        def walk_in(n: int) -> Callable[[], Any]:
            return lambda: (
                queue.issue_walk_in(desk=desk, sector=None, phone=f"09{n:08d}", actor=clerk).number
            )

        outcomes = together([walk_in(n) for n in range(PEOPLE)])
    assert sorted(outcomes) == list(range(1, PEOPLE + 1))
    assert QueueDay.objects.get(desk=desk).last_number == PEOPLE


def test_two_clerks_calling_at_once_never_get_the_same_number():
    needs_postgres()
    desk = Desk.objects.get(kind=DeskKind.CENTRE)
    clerk = get_user_model().objects.get(username="tiepnhan")
    other = get_user_model().objects.create_user(username="tiepnhan2", first_name="An")
    Membership.objects.create(user=other, agency=desk.agency, role=Role.RECEPTIONIST, desk=desk)
    # Every number in the first window, so all of them may be called at 08:00.
    DeskQueue.objects.create(desk=desk, numbers_per_window=PEOPLE)
    with clock(at(2026, 12, 1, 8, 0)):
        for n in range(PEOPLE):
            queue.issue_walk_in(desk=desk, sector=None, phone=f"09{n:08d}", actor=clerk)
        called: list[int] = []
        for _round in range(PEOPLE // 2 + 1):
            outcomes = together(
                [
                    lambda: queue.call_next_number(desk=desk, counter="1", actor=clerk),
                    lambda: queue.call_next_number(desk=desk, counter="2", actor=other),
                ]
            )
            numbers = [t.number for t in outcomes if t is not None]
            assert len(set(numbers)) == len(numbers)
            called += numbers
    assert sorted(called) == list(range(1, PEOPLE + 1))
    assert QueueTicket.objects.filter(desk=desk, state=TicketState.CALLED).count() == PEOPLE
