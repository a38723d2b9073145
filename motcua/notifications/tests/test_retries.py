"""A gateway failure is retried with exponential backoff; a permanent one is not; attempts
are capped; a row left "sending" by a dead worker is picked up again once its lease ends."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.outbox.engine import backoff
from motcua.core.outbox.models import OutboxStatus as S
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.tests.conftest import at, clock
from motcua.notifications.delivery import OUTBOX, deliver, drain

pytestmark = pytest.mark.django_db

T0 = at(2026, 3, 2, 8, 0)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def sms(received, sms_only):
    with clock(T0):
        [row] = notify_applicant(dossier=received(), kind="receipt")
    return row


def test_backoff_doubles_from_one_minute_up_to_an_hour():
    assert [backoff(n) / MINUTE for n in (1, 2, 3, 4, 7, 8, 20)] == [1, 2, 4, 8, 60, 60, 60]


def test_a_rate_limited_message_is_retried_with_backoff_and_then_sent(sms, sms_only):
    sms_only.fail_next(1, code="99")
    sms_only.fail_next(1, http_status=503)
    with clock(T0):
        assert deliver(sms.pk).status == "retrying"
        assert deliver(sms.pk).status == "skipped"  # not due yet
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.next_attempt_at) == (S.PENDING, 1, T0 + MINUTE)
    assert "'99'" in sms.last_error

    with clock(T0 + MINUTE):
        assert drain().retrying == 1
    sms.refresh_from_db()
    assert (sms.attempts, sms.next_attempt_at) == (2, T0 + 3 * MINUTE)
    assert "HTTP 503" in sms.last_error

    with clock(T0 + 3 * MINUTE):
        assert drain().sent == 1
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.last_error) == (S.SENT, 3, "")
    assert (sms_only.requests, len(sms_only.messages)) == (3, 1)


def test_a_permanent_error_fails_at_once(sms, sms_only):
    sms_only.fail_next(1, code="10")
    with clock(T0):
        assert deliver(sms.pk).status == "failed"
    with clock(T0 + dt.timedelta(days=1)):
        assert drain().ids == []
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (S.FAILED, 1)
    assert sms_only.requests == 1


def test_attempts_are_capped(sms, sms_only, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    sms_only.fail_next(10)
    moment = T0
    for _ in range(5):
        with clock(moment):
            drain()
        moment += dt.timedelta(hours=2)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (S.FAILED, 3)
    assert sms_only.requests == 3


def test_a_row_left_sending_by_a_dead_worker_is_sent_after_its_lease(sms, sms_only):
    with clock(T0):
        assert OUTBOX.claim(sms.pk) is not None  # the worker dies here, before sending
        assert drain().ids == []  # its lease still holds
    with clock(T0 + 6 * MINUTE):
        assert drain().sent == 1
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (S.SENT, 2)
    assert len(sms_only.messages) == 1


def test_a_dead_worker_on_its_last_attempt_leaves_the_row_failed(sms, sms_only, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    with clock(T0):
        OUTBOX.claim(sms.pk)
    with clock(T0 + 6 * MINUTE):
        assert drain().abandoned == 1
    sms.refresh_from_db()
    assert sms.status == S.FAILED
    assert sms_only.requests == 0
