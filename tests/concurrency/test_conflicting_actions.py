"""50 threads race conflicting actions on one dossier: exactly one wins per state, the rest get
409, the audit chain verifies, and the counters equal a recount from the events."""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.test import Client

from motcua.dossiers.audit import verify_chain
from motcua.dossiers.counters import differences
from motcua.dossiers.models import Dossier
from motcua.dossiers.tokens import create_token
from motcua.org.models import Desk, DeskKind

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrent writers are PostgreSQL's; SQLite serialises writers",
    ),
]

THREADS = 50


def race(calls: list[tuple[str, str, dict]]) -> Counter[int]:
    """Run every (token, url, body) POST at the same moment; count the status codes."""
    barrier = threading.Barrier(len(calls))
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def run(token: str, url: str, body: dict) -> None:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        barrier.wait()
        try:
            response = client.post(url, json.dumps(body), content_type="application/json")
            with lock:
                statuses[response.status_code] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def created_dossier(token: str, desk: Desk) -> str:
    created = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/v1/dossiers",
        json.dumps(
            {
                "procedure": "1.000426",
                "desk": desk.pk,
                "channel": "direct",
                "applicant": {"kind": "citizen", "name": "Lê Văn Tám"},
            }
        ),
        content_type="application/json",
    )
    return str(created.json()["code"])


def test_one_winner_per_state():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    clerk = create_token(users.get(username="tiepnhan"))
    specialist = create_token(users.get(username="chuyenvien"))
    leader = create_token(users.get(username="lanhdao"))
    desk = Desk.objects.get(kind=DeskKind.CENTRE)
    code = created_dossier(clerk, desk)
    base = f"/api/v1/dossiers/{code}/actions"
    assert race([(clerk, f"{base}/forward", {})]) == Counter({200: 1})
    assert race([(specialist, f"{base}/forward", {})]) == Counter({200: 1})

    # At the leader's approval step: a third of the threads (the leader) finish it, a third
    # (the desk) withdraw it, a third (the leader) stop it. Exactly one of them wins; the
    # others find it changed.
    third = THREADS // 3
    first = race(
        [(leader, f"{base}/mark_result_ready", {}) for _ in range(third)]
        + [(clerk, f"{base}/withdraw", {"reason": "Xin rút"}) for _ in range(third)]
        + [(leader, f"{base}/stop", {"reason": "Dừng"}) for _ in range(THREADS - 2 * third)]
    )
    assert first == Counter({200: 1, 409: THREADS - 1})

    dossier = Dossier.objects.get(code=code)
    if dossier.status == "result_ready":
        second = race([(clerk, f"{base}/return_result", {}) for _ in range(THREADS)])
        assert second == Counter({200: 1, 409: THREADS - 1})

    # A second dossier forwarded by everyone at once: one hand-over, to the department; the
    # rest find it no longer at their step.
    other = created_dossier(clerk, desk)
    moves = race([(clerk, f"/api/v1/dossiers/{other}/actions/forward", {}) for _ in range(THREADS)])
    assert moves == Counter({200: 1, 403: THREADS - 1})
    assert Dossier.objects.get(code=other).steps.filter(started_at__isnull=False).count() == 2
    dossier.refresh_from_db()
    assert verify_chain(dossier) == []
    assert dossier.events.count() == dossier.event_seq
    assert differences() == []


def test_concurrent_receptions_get_distinct_codes():
    from django.contrib.auth import get_user_model

    clerk = create_token(get_user_model().objects.get(username="tiepnhan"))
    desk = Desk.objects.get(kind=DeskKind.CENTRE)
    body = {
        "procedure": "1.000426",
        "desk": desk.pk,
        "channel": "direct",
        "applicant": {"kind": "citizen", "name": "Phạm Văn Đồng"},
    }
    before = Dossier.objects.count()
    statuses = race([(clerk, "/api/v1/dossiers", body) for _ in range(THREADS)])
    assert statuses == Counter({201: THREADS})
    codes = list(Dossier.objects.order_by("-pk").values_list("code", flat=True)[:THREADS])
    assert len(set(codes)) == THREADS == Dossier.objects.count() - before
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(numbers[0], numbers[0] + THREADS))
