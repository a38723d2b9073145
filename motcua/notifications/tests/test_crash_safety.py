"""A worker that dies between handing an email to the SMTP server and recording "sent"
(docs/decisions/outbox.md): the attempt is on record before SMTP is spoken, the retry sends
the same Message-ID, and the row says the recipient may have it twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from motcua.core.outbox.engine import SENDING_LEASE
from motcua.core.outbox.models import OutboxStatus as S
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.tests.conftest import at, clock
from motcua.notifications import delivery
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db

T0 = at(2026, 3, 2, 8, 0)


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs (not an Exception, so
    no handler of ours records anything)."""


@pytest.fixture
def email_row(received, smtp_server) -> Notification:
    with clock(T0):
        rows = notify_applicant(dossier=received(), kind="receipt")
    return next(r for r in rows if r.channel == "email")


def die_after_the_transport(monkeypatch):
    real_send = delivery.send

    def send_then_die(notification):
        real_send(notification)  # the SMTP server has accepted the message…
        raise WorkerKilled  # …and the worker dies before recording it

    monkeypatch.setattr(delivery, "send", send_then_die)
    return real_send


def test_a_retry_after_a_crash_sends_the_same_message_id_and_says_so(
    email_row, smtp_server, monkeypatch
):
    real_send = die_after_the_transport(monkeypatch)
    with clock(T0), pytest.raises(WorkerKilled):
        delivery.deliver(email_row.pk)

    email_row.refresh_from_db()
    # The attempt was recorded before the server was called.
    assert (email_row.status, email_row.attempts, email_row.attempted_at) == (S.SENDING, 1, T0)
    assert not email_row.maybe_duplicate

    monkeypatch.setattr(delivery, "send", real_send)
    later = T0 + SENDING_LEASE + dt.timedelta(seconds=1)
    with clock(later):
        assert delivery.drain().sent == 1

    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"]
    email_row.refresh_from_db()
    assert (email_row.status, email_row.attempts, email_row.attempted_at) == (S.SENT, 2, later)
    assert email_row.maybe_duplicate
    assert email_row.provider_message_id == first["Message-ID"]


def test_a_row_whose_worker_lives_is_not_taken_before_its_lease_ends(
    email_row, smtp_server, monkeypatch
):
    die_after_the_transport(monkeypatch)
    with clock(T0), pytest.raises(WorkerKilled):
        delivery.deliver(email_row.pk)
    with clock(T0 + SENDING_LEASE - dt.timedelta(seconds=1)):
        assert delivery.deliver(email_row.pk).status == "skipped"
    assert len(smtp_server.messages) == 1


def test_an_ordinary_retry_is_not_a_possible_duplicate(email_row, smtp_server):
    async def busy(server, session, envelope, address, rcpt_options):
        return "451 4.3.0 Try again later"

    smtp_server.handle_RCPT = busy
    with clock(T0):
        assert delivery.deliver(email_row.pk).status == "retrying"
    del smtp_server.handle_RCPT
    with clock(T0 + dt.timedelta(minutes=2)):
        assert delivery.deliver(email_row.pk).status == "sent"
    email_row.refresh_from_db()
    assert (email_row.attempts, email_row.maybe_duplicate) == (2, False)


def test_the_attempt_is_committed_on_its_own_so_a_caller_transaction_is_refused(email_row):
    # A claim inside someone's transaction would roll back with it and leave no trace of an
    # attempt whose email did go out: refused outright.
    with pytest.raises(RuntimeError), transaction.atomic():
        delivery.deliver(email_row.pk)
