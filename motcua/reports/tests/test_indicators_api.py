"""``GET /api/v1/indicators``, the periods it reads, the rule sets and the weekly snapshots
(docs/rules/api.md "Indicators (Decision 766)", docs/rules/indicators.md)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from motcua.dossiers.tests.fixtures import at, clock, leader_of, ready
from motcua.dossiers.tokens import create_token
from motcua.reports.indicators.engine import ranking, scope_for, score
from motcua.reports.indicators.periods import PeriodError, parse_period
from motcua.reports.models import RuleSet, RuleValue, ScoreSnapshot

pytestmark = pytest.mark.django_db

REQUIRED = {
    "on_time_rate",
    "average_processing_days",
    "online_dossier_rate",
    "online_payment_rate",
    "digitised_rate",
    "reuse_rate",
    "electronic_result_rate",
    "sync_rate",
    "satisfaction_rate",
    "feedback_on_time_rate",
}


@pytest.fixture
def march(received):
    """Two dossiers of 1.000426 (Department of Justice), one finished in time, one late."""
    with clock(at(2026, 3, 5, 9, 0)):
        ready(received())
    late = received()
    with clock(at(2026, 3, 12, 9, 0)):
        ready(late)
    return late


def get(client: Client, **query: str) -> tuple[int, dict]:
    response = client.get("/api/v1/indicators", query)
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-W10", dt.date(2026, 3, 2), dt.date(2026, 3, 8)),
        ("2026-03", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-H2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-01-05..2026-02-10", dt.date(2026, 1, 5), dt.date(2026, 2, 10)),
        ("2020-W53", dt.date(2020, 12, 28), dt.date(2021, 1, 3)),
    ],
)
def test_periods_read_as_the_api_writes_them(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end, period.code) == (start, end, text)
    assert period.previous().end == start - dt.timedelta(days=1)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-W54", "2026-Q5", "1999", "2026-02-10..2026-01-05", "tháng 3", ""]
)
def test_a_bad_period_says_so(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_the_province_is_public_with_every_indicator_the_contract_names(march):
    status, body = get(Client(), period="2026-03")
    assert status == 200
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert body["scope"]["kind"] == "province" and body["scope"]["id"] is None
    keys = {i["key"] for g in body["groups"] for i in g["indicators"]}
    assert keys >= REQUIRED
    assert [g["key"] for g in body["groups"]] == [
        "transparency",
        "progress",
        "digitisation",
        "online",
        "satisfaction",
    ]
    assert body["max_score"] == 100
    on_time = next(i for g in body["groups"] for i in g["indicators"] if i["key"] == "on_time_rate")
    # One in time, one late: half of 20 points, confirmed by the decision.
    assert (on_time["numerator"], on_time["denominator"]) == (1, 2)
    assert (on_time["value"], on_time["points"], on_time["unconfirmed"]) == (0.5, 10, False)
    sync = next(i for g in body["groups"] for i in g["indicators"] if i["key"] == "sync_rate")
    assert sync["unconfirmed"] is True
    assert body["score"] == pytest.approx(sum(g["score"] for g in body["groups"]), abs=0.05)


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"period": "2026-13"}, 422, "bad_period"),
        ({"scope": "planet"}, 422, "bad_scope"),
        ({"scope": "province", "id": "3"}, 422, "bad_scope_id"),
        ({"scope": "unit"}, 422, "bad_scope_id"),
        ({"scope": "unit", "id": "999999"}, 404, "scope_not_found"),
    ],
)
def test_bad_questions_get_a_clear_answer(db, query, status, code):
    got, body = get(Client(), **query)
    assert (got, body["error"]["code"]) == (status, code)


def test_an_agency_is_for_its_own_leaders(march, justice, police):
    query = {"period": "2026-03", "scope": "agency", "id": str(justice.pk)}
    assert get(Client(), **query)[0] == 404
    other = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(leader_of(police))}")
    assert get(other, **query)[0] == 404
    own = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(leader_of(justice))}")
    status, body = get(own, **query)
    assert status == 200 and body["scope"]["name"] == justice.name
    forged = Client(HTTP_AUTHORIZATION="Bearer mc_not-a-token")
    assert get(forged, **query)[0] == 401


def test_the_hotline_indicators_are_left_out_of_a_procedure(march):
    procedure = march.procedure
    scope = scope_for("procedure", procedure.pk)
    found = score(parse_period("2026-03"), scope)
    assert not found.indicator("feedback_on_time_rate").applicable
    assert found.max_score == 100 - 4 - 2 - 2 - 2 - 6


def test_a_rule_set_applies_from_its_day_and_the_past_keeps_its_own(march):
    march_period = parse_period("2026-03")
    before = score(march_period, scope_for("province", None))
    newer = RuleSet.objects.create(version=1, effective_from=dt.date(2026, 4, 1))
    RuleValue.objects.create(rule_set=newer, key="on_time_rate", max_points=30, full_at=1)
    assert score(march_period, scope_for("province", None)).score == before.score
    april = score(parse_period("2026-04"), scope_for("province", None))
    assert april.rules_version == 1 and april.indicator("on_time_rate").max_points == 30
    again = score(march_period, scope_for("province", None), rules_version=1)
    assert again.indicator("on_time_rate").points == 15  # half of 30


def test_a_ranking_ranks_every_agency(march, justice):
    ranked = ranking(parse_period("2026-03"), "agency")
    assert [s.rank for s in ranked] == sorted(s.rank for s in ranked)
    assert justice.pk in {s.scope.id for s in ranked}


def test_the_week_is_kept_once(march):
    out = io.StringIO()
    call_command("snapshot_indicators", "--week", "2026-W11", stdout=out)
    kept = ScoreSnapshot.objects.filter(period_start=dt.date(2026, 3, 9))
    province = kept.get(scope_kind="province")
    assert province.payload["period"] == {"start": "2026-03-09", "end": "2026-03-15"}
    count = kept.count()
    assert count > 1  # the units and agencies too
    call_command("snapshot_indicators", "--week", "2026-W11", stdout=out)
    assert kept.count() == count
    with pytest.raises(CommandError):
        call_command("snapshot_indicators", "--week", "2026-03", stdout=out)
