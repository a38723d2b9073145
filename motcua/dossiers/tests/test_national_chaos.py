"""Two hundred dossiers through their whole lives while the national portal misbehaves: a third
of the calls fail at random (500s, connections dropped before or after the portal kept what
they carried, answers too slow), the sessions expire twice and the portal is down for a
minute. At the end the portal holds every dossier's final state and every step once, and
never received a dossier's older state after a newer one (docs/national-portal.md)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from motcua.dossiers.actions import (
    accept_submission,
    apologise,
    complete_supplement,
    forward_dossier,
    mark_result_ready,
    receive_dossier,
    record_payment,
    refuse_at_desk,
    refuse_submission,
    request_payment,
    request_supplement,
    return_result,
    revoke_result,
    stop_processing,
    submit_online,
    withdraw_dossier,
)
from motcua.dossiers.counters import differences
from motcua.dossiers.models import Dossier, NationalSyncChange, NationalSyncCounter
from motcua.dossiers.tests.conftest import (
    application,
    at,
    clock,
    holder,
    leader_of,
    to_deciding_step,
)
from motcua.dossiers.tests.national import as_sent, expected, settle

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DOSSIERS = 200
PROCEDURE = "1.000426"  # Department of Justice, 5 working days
Step = Callable[[], None]


class Life:
    """One dossier's story, one action at a time (``steps``), keeping the dossier."""

    def __init__(self, n: int, desk: Any, clerk: Any, moment: Callable[[], dt.datetime]) -> None:
        self.n, self.desk, self.clerk, self.moment = n, desk, clerk, moment
        self.dossier: Dossier | None = None

    @property
    def current(self) -> Dossier:
        assert self.dossier is not None
        return Dossier.objects.get(pk=self.dossier.pk)

    def act(self, do: Callable[[Dossier], Dossier]) -> Step:
        def step() -> None:
            with clock(self.moment()):
                self.dossier = do(self.current)

        return step

    def receive(self) -> Step:
        def step() -> None:
            with clock(self.moment()):
                self.dossier = receive_dossier(
                    application=application(PROCEDURE, self.desk, name=f"Người nộp {self.n}"),
                    officer=self.clerk,
                )

        return step

    def submit(self) -> Step:
        def step() -> None:
            with clock(self.moment()):
                self.dossier = submit_online(
                    application=application(PROCEDURE, self.desk, channel="online")
                )

        return step

    def forward(self) -> Step:
        return self.act(lambda d: forward_dossier(dossier=d, officer=holder(d)))

    def supplement(self) -> list[Step]:
        return [
            self.act(
                lambda d: request_supplement(
                    dossier=d, officer=holder(d), reason="Thiếu bản sao", items=["Bản sao"]
                )
            ),
            self.act(lambda d: complete_supplement(dossier=d, officer=self.clerk)),
        ]

    def payment(self) -> list[Step]:
        return [
            self.act(lambda d: request_payment(dossier=d, officer=holder(d), amount_vnd=50_000)),
            self.act(
                lambda d: record_payment(
                    dossier=d, officer=None, amount_vnd=50_000, reference=f"VNPAY-{self.n}"
                )
            ),
        ]

    def apology(self) -> Step:
        return self.act(
            lambda d: apologise(
                dossier=d,
                officer=holder(d),
                reason="Cần xác minh thêm",
                new_due_at=(d.due_at or self.moment()) + dt.timedelta(days=7),
            )
        )

    def finish(self) -> list[Step]:
        return [
            self.act(to_deciding_step),
            self.act(
                lambda d: mark_result_ready(dossier=d, officer=holder(d), results=["Giấy xác nhận"])
            ),
            self.act(lambda d: return_result(dossier=d, officer=holder(d))),
        ]

    def story(self) -> list[Step]:
        """The n-th dossier's story: every kind of life, in turn."""
        kind = self.n % 11
        if kind == 0:
            return [self.receive(), *self.finish()]
        if kind == 1:
            return [self.receive(), self.forward(), *self.supplement(), *self.finish()]
        if kind == 2:
            return [self.receive(), self.forward(), *self.payment(), *self.finish()]
        if kind == 3:
            return [self.receive(), self.forward(), self.apology(), *self.finish()]
        if kind == 4:
            return [self.refuse_at_desk()]
        if kind == 5:
            return [
                self.submit(),
                self.act(lambda d: refuse_submission(dossier=d, officer=self.clerk, reason="Sai")),
            ]
        if kind == 6:
            return [
                self.submit(),
                self.act(lambda d: accept_submission(dossier=d, officer=self.clerk)),
                *self.finish(),
            ]
        if kind == 7:
            return [
                self.receive(),
                self.forward(),
                self.act(lambda d: withdraw_dossier(dossier=d, officer=self.clerk, reason="Rút")),
            ]
        if kind == 8:
            return [
                self.receive(),
                self.forward(),
                self.act(
                    lambda d: stop_processing(dossier=d, officer=holder(d), reason="Hết hiệu lực")
                ),
            ]
        if kind == 9:
            return [
                self.receive(),
                *self.finish(),
                self.act(
                    lambda d: revoke_result(
                        dossier=d, officer=leader_of(d.competent_agency), reason="Sai thông tin"
                    )
                ),
            ]
        return [self.receive(), self.forward(), *self.supplement(), *self.supplement()]

    def refuse_at_desk(self) -> Step:
        def step() -> None:
            with clock(self.moment()):
                self.dossier = refuse_at_desk(
                    application=application(PROCEDURE, self.desk), officer=self.clerk, reason="Sai"
                )

        return step


def interleaved(lives: list[Life], rng: random.Random) -> Iterator[Life]:
    """The lives' steps mixed as a desk's day mixes them, each life in its own order."""
    stories = {life.n: iter(life.story()) for life in lives}
    while stories:
        n = rng.choice(sorted(stories))
        step = next(stories[n], None)
        if step is None:
            del stories[n]
            continue
        step()
        yield lives[n]


def subsequence(received: list[dict[str, Any]], states: list[dict[str, Any]]) -> bool:
    """Whether the portal's arrivals follow the dossier's states forward, never back."""
    position = 0
    for record in received:
        while position < len(states) and states[position] != record:
            position += 1
        if position == len(states):
            return False
    return True


def storm(
    portal: Any,
    lives: list[Life],
    rng: random.Random,
    *,
    after_action: Callable[[], object],
    slow_seconds: float,
) -> dict[str, list[dict[str, Any]]]:
    """Live the lives while the portal misbehaves as the sync must survive: a third of the
    calls fail at random (seeded), the sessions expire at a third and at two thirds of the
    actions, and the portal goes down for a minute at half. ``after_action`` runs after
    each action (a drain, a kill). Returns each dossier's states, in order: what the portal
    may receive, never backwards."""
    portal.fail_rate(1 / 3, seed=766, slow_seconds=slow_seconds)
    states: dict[str, list[dict[str, Any]]] = {}
    total = sum(len(life.story()) for life in lives)
    for done, life in enumerate(interleaved(lives, rng), start=1):
        record = expected(life.current)[0]
        history = states.setdefault(record["MaHoSo"], [])
        if not history or history[-1] != record:
            history.append(record)
        if done in (total // 3, 2 * total // 3):
            portal.expire_sessions()
        if done == total // 2:
            portal.go_down(60)
        after_action()
    return states


def assert_the_portal_holds_every_final_state(
    portal: Any, lives: list[Life], states: dict[str, list[dict[str, Any]]]
) -> None:
    """Every dossier's final state and each of its steps once, nothing older after newer,
    nothing failed, every received dossier counted synced."""
    assert portal.injected["down"] > 0 and portal.logins >= 3
    assert sum(portal.injected[k] for k in ("http_500", "drop_before", "drop_after", "slow"))
    assert not NationalSyncChange.objects.filter(status="failed").exists()
    assert portal.duplicate_steps() == []
    codes = set(Dossier.objects.values_list("code", flat=True))
    assert set(portal.codes()) == codes and len(codes) == len(lives)
    for life in lives:
        dossier = life.current
        record, steps = expected(dossier)
        assert portal.dossier(dossier.code) == record, dossier.code
        assert portal.progress(dossier.code) == steps, dossier.code
        arrivals = [as_sent(arrival.record) for arrival in portal.history(dossier.code)]
        assert subsequence(arrivals, states[dossier.code]), dossier.code
    counters = NationalSyncCounter.objects.all()
    assert sum(c.synced for c in counters) == sum(c.due for c in counters) > 0
    assert differences() == []


def lives_at(desk: Any, clerk: Any, count: int) -> list[Life]:
    """``count`` lives, an action every ten minutes from Monday 02/03/2026 07:00."""
    ticks = iter(range(10**6))

    def moment() -> dt.datetime:
        return at(2026, 3, 2, 7, 0) + dt.timedelta(minutes=10 * next(ticks))

    return [Life(n, desk, clerk, moment) for n in range(count)]


def test_two_hundred_lives_through_a_misbehaving_portal(portal, worker, centre, clerk_binh):
    rng = random.Random(766)
    lives = lives_at(centre, clerk_binh, DOSSIERS)
    states = storm(
        portal,
        lives,
        rng,
        after_action=lambda: rng.random() < 0.2 and worker.drain(),
        slow_seconds=0.8,  # past the tests' 0.5 s timeout
    )
    settle(worker, seconds=240)  # the outage is waited out, then the sync catches up
    assert_the_portal_holds_every_final_state(portal, lives, states)
