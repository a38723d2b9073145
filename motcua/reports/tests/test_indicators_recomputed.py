"""Every Decision 766 indicator of a simulated year, recomputed the slow, obvious way from the
dossiers, their events and the tickets, equals the engine's, read from counters
(docs/rules/indicators.md "Decision 766 indicators").

The obvious way walks each dossier's history: its status after every event, its due moment
as the events state it, its pauses; it judges a dossier when it stops being in progress, as
the national rule says, and finds the stock at a period's end from the last event before
it. It shares no code with the counters (``dossiers/tally.py``) beyond the working calendar.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.utils import timezone

from motcua.catalog.models import Fee, OnlineMode, Procedure
from motcua.dossiers.clock import calendar_of
from motcua.dossiers.models import Dossier, DossierEvent, NationalSyncState, Rating
from motcua.dossiers.status import ACTIVE, PAUSED
from motcua.hotline.models import Ticket
from motcua.hotline.status import FEEDBACK_KINDS, TicketStatus
from motcua.org.models import Agency
from motcua.reports.indicators.definitions import INDICATORS
from motcua.reports.indicators.engine import scope_for, score
from motcua.reports.indicators.periods import IndicatorPeriod, of_kind, parse_period
from motcua.simulate.profile import Profile
from motcua.simulate.runs import simulate
from motcua.workcalendar.hours import working_hours_between

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

START = dt.date(2025, 1, 1)
YEAR = Profile(
    arrivals_per_day=3,
    tickets_per_day=1.5,
    supplement_share=0.4,
    payment_share=0.3,
    late_share=0.3,
    refusal_share=0.1,
    withdrawal_share=0.1,
    rating_share=0.6,
    pickup_hours=4,
    ticket_kinds={"question": 0.4, "feedback": 0.4, "petition": 0.2},
    ticket_decline_share=0.25,
    ticket_ask_share=0.3,
    ticket_publish_share=0.8,
)
DAY_SECONDS = 8 * 3600


@pytest.fixture(scope="module")
def year(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """A year of history, written once for the module and removed after it."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            simulate(mode="bulk", start=START, days=365, seed=7, profile=YEAR)
            yield
            transaction.set_rollback(True)


def local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def end_of(day: dt.date) -> dt.datetime:
    zone = timezone.get_default_timezone()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)


def parse(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class History:
    """One dossier's life, walked event by event."""

    def __init__(self, dossier: Dossier, events: list[DossierEvent]) -> None:
        self.dossier = dossier
        self.calendar = calendar_of(dossier.competent_agency_id)
        self.states: list[tuple[dt.datetime, str, Any, Any, bool]] = []
        self.judged: tuple[dt.date, bool, int, int] | None = None
        self.fee_days: list[dt.date] = []
        self.paid_online_days: list[dt.date] = []
        status, due, paused_at, apologised, supplements, paused = "", None, None, False, 0, 0
        finished = received = False
        total, paid = sum(f.amount_vnd for f in dossier.fees.all()), 0
        owing = False
        for event in events:
            before = status
            in_stock_before = before in ACTIVE and not finished
            status = event.to_status or status
            if "due_at" in event.data:
                due = parse(event.data["due_at"])
            if event.kind == "receive":
                received = True
            if event.kind == "request_supplement":
                supplements += 1
            if event.kind == "apologise":
                apologised = True
            if event.kind == "request_payment":
                total = paid + event.data["amount_vnd"]
            settled_online = False
            if event.kind == "record_payment":
                paid += event.data["amount_vnd"]
                settled_online = owing and paid >= total and event.actor_id is None
            now_owing = received and total > paid
            if now_owing and not owing:
                self.fee_days.append(local(event.at))
            if settled_online:
                self.paid_online_days.append(local(event.at))
            owing = now_owing
            if status in PAUSED and before not in PAUSED:
                paused_at = event.at
            elif before in PAUSED and status not in PAUSED:
                pause = working_hours_between(self.calendar, paused_at, event.at)
                paused += int(pause.total_seconds())
            in_stock = status in ACTIVE and not finished
            if in_stock_before and not in_stock and event.kind != "withdraw":
                moment = paused_at if before in PAUSED else event.at
                assert moment is not None
                late_paused = before in PAUSED and due is not None and moment > due
                in_time = (
                    not apologised
                    and supplements <= 1
                    and (due is None or moment <= due)
                    and not late_paused
                )
                worked = working_hours_between(self.calendar, dossier.received_at, moment)
                self.judged = (
                    local(event.at),
                    in_time,
                    max(0, int(worked.total_seconds()) - paused),
                    supplements,
                )
            if in_stock_before and not in_stock:
                finished = True
            self.states.append(
                (event.at, status if not finished else "", due, paused_at, apologised)
            )

    def standing_at(self, end: dt.datetime) -> tuple[str, bool]:
        """("open" | "paused" | "", past due) after the last event before ``end``; a dossier
        apologised for is past due from then on."""
        found = [s for s in self.states if s[0] < end]
        if not found:
            return "", False
        _at, status, due, paused_at, apologised = found[-1]
        if status not in ACTIVE:
            return "", False
        if status in PAUSED:
            return "paused", apologised or bool(due and paused_at and paused_at > due)
        return "open", apologised or bool(due and due < end)


def slow_figures(period: IndicatorPeriod, keep: Any) -> dict[str, float]:
    """Every figure the indicators divide, for the dossiers ``keep`` accepts."""
    f: Counter[str] = Counter()
    end = end_of(period.end)
    dossiers = Dossier.objects.prefetch_related("documents", "fees", "results").select_related(
        "applicant_account__citizen_profile"
    )
    synced = set(
        NationalSyncState.objects.filter(counted_at__isnull=False).values_list(
            "dossier_id", flat=True
        )
    )
    events: dict[int, list[DossierEvent]] = defaultdict(list)
    for event in DossierEvent.objects.order_by("dossier_id", "seq"):
        events[event.dossier_id].append(event)
    for dossier in dossiers:
        if not keep(dossier):
            continue
        history = History(dossier, events[dossier.pk])
        docs = list(dossier.documents.all())
        all_digitised = bool(docs) and all(d.digitised for d in docs)
        for event in events[dossier.pk]:
            day = local(event.at)
            if not period.start <= day <= period.end:
                continue
            if event.kind == "receive":
                f[f"received_{dossier.channel}"] += 1
                at_reception = [d for d in docs if d.supplement_id is None]
                if at_reception and all(d.digitised for d in at_reception):
                    f["received_digitised"] += 1
                if any(d.reused for d in at_reception):
                    f["received_reusing"] += 1
                profile = getattr(dossier.applicant_account, "citizen_profile", None)
                verified = profile is not None and profile.id_verified and profile.oidc_subject
                if verified and dossier.channel == "online":
                    f["received_vneid"] += 1
                if dossier.pk in synced:
                    f["synced"] += 1
            if event.kind == "mark_result_ready":
                f[f"finished_{event.data['outcome']}"] += 1
                if any(r.file for r in dossier.results.all()):
                    f["finished_electronic"] += 1
                    if all_digitised:
                        f["finished_digitised_electronic"] += 1
        if history.judged and period.start <= history.judged[0] <= period.end:
            _day, in_time, seconds, _supplements = history.judged
            f["judged_in_time" if in_time else "judged_late"] += 1
            f["judged_seconds"] += seconds
        standing, late = history.standing_at(end)
        if standing:
            f[f"{standing}_at_end"] += 1
            f[f"{standing}_late_at_end"] += int(late)
        f["fee_bearing"] += sum(period.start <= d <= period.end for d in history.fee_days)
        f["paid_online"] += sum(period.start <= d <= period.end for d in history.paid_online_days)
    for rating in Rating.objects.select_related("dossier"):
        if keep(rating.dossier) and period.start <= local(rating.rated_at) <= period.end:
            f[f"rated_{rating.level}"] += 1
    return {k: float(v) for k, v in f.items()}


def slow_catalogue(period: IndicatorPeriod, keep: Any) -> dict[str, float]:
    f: Counter[str] = Counter()
    with_fee = set(Fee.objects.filter(amount_vnd__gt=0).values_list("method__procedure", flat=True))
    for procedure in Procedure.objects.filter(active=True).select_related("competent_agency"):
        if not keep(procedure):
            continue
        online = procedure.online_mode in (OnlineMode.FULL, OnlineMode.PARTIAL)
        fee = procedure.pk in with_fee
        f["procedures"] += 1
        f["procedures_online"] += online
        f["procedures_fee"] += fee
        f["procedures_fee_online"] += fee and online
        if procedure.valid_from and period.start <= procedure.valid_from <= period.end:
            f["procedures_published"] += 1
            imported = procedure.imported_at
            f["procedures_published_on_time"] += bool(
                imported and local(imported) <= procedure.valid_from
            )
    return {k: float(v) for k, v in f.items()}


def slow_feedback(period: IndicatorPeriod, agencies: set[int] | None) -> dict[str, float]:
    f: Counter[str] = Counter()
    limits = {"handled": 15, "declined": 2, "asked": 5, "published": 2}
    seconds = {
        "handled": "first_answer_seconds",
        "declined": "decline_seconds",
        "asked": "ask_seconds",
        "published": "publish_seconds",
    }
    for ticket in Ticket.objects.exclude(status=TicketStatus.MERGED):
        if agencies is not None and ticket.agency_id not in agencies:
            continue
        if not period.start <= local(ticket.received_at) <= period.end:
            continue
        if ticket.rating is not None:
            f["hotline_rated"] += 1
            f["hotline_rated_high"] += ticket.rating >= 4
        if ticket.kind not in FEEDBACK_KINDS:
            continue
        for name, column in seconds.items():
            taken = getattr(ticket, column)
            if taken is not None:
                f[f"feedback_{name}"] += 1
                f[f"feedback_{name}_in_time"] += taken <= limits[name] * DAY_SECONDS
    return {k: float(v) for k, v in f.items()}


def expected(period: IndicatorPeriod, kind: str, pk: int | None) -> dict[str, float]:
    """The figures of a scope, the slow way."""
    if kind == "province":
        keep, keep_procedure, agencies = (lambda d: True), (lambda p: True), None
    elif kind == "agency":
        keep = lambda d: d.competent_agency_id == pk  # noqa: E731
        keep_procedure = lambda p: p.competent_agency_id == pk  # noqa: E731
        agencies = {pk}
    elif kind == "unit":
        keep = lambda d: d.unit_id == pk  # noqa: E731
        unit_agencies = set(Agency.objects.filter(unit_id=pk).values_list("pk", flat=True))
        keep_procedure = lambda p: p.competent_agency_id in unit_agencies  # noqa: E731
        agencies = unit_agencies
    elif kind == "sector":
        keep = lambda d: d.procedure.sector_id == pk  # noqa: E731
        keep_procedure = lambda p: p.sector_id == pk  # noqa: E731
        agencies = None
    else:
        keep = lambda d: d.procedure_id == pk  # noqa: E731
        keep_procedure = lambda p: p.pk == pk  # noqa: E731
        agencies = None
    figures = slow_figures(period, keep)
    figures.update(slow_catalogue(period, keep_procedure))
    if kind in ("province", "agency", "unit"):
        figures.update(slow_feedback(period, agencies))
    return defaultdict(float, figures)


def compare(period: IndicatorPeriod, kind: str, pk: int | None) -> list[str]:
    engine = score(period, scope_for(kind, pk))
    figures = expected(period, kind, pk)
    wrong = []
    for indicator in INDICATORS:
        value = engine.indicator(indicator.key)
        if not value.applicable:
            continue
        want = (indicator.numerator(figures), indicator.denominator(figures))
        have = (value.numerator, value.denominator)
        if any(abs(a - b) > 1e-6 for a, b in zip(have, want, strict=True)):
            wrong.append(f"{period.code} {kind} {pk} {indicator.key}: {have} ≠ {want}")
    return wrong


def test_the_year_has_what_every_indicator_judges(year):
    whole = parse_period("2025")
    figures = expected(whole, "province", None)
    for name in (
        "judged_in_time",
        "judged_late",
        "open_at_end",
        "paused_at_end",
        "received_online",
        "fee_bearing",
        "rated_satisfied",
        "feedback_handled",
        "feedback_declined",
        "feedback_asked",
        "feedback_published",
    ):
        assert figures[name] > 0, name


def test_every_indicator_of_every_month_and_the_year_for_the_province(year):
    periods = [of_kind("month", dt.date(2025, m, 15)) for m in range(1, 13)]
    periods += [parse_period(p) for p in ("2025", "2025-Q3", "2025-H1", "2025-W23")]
    periods.append(parse_period("2025-02-17..2025-05-09"))
    wrong = [line for period in periods for line in compare(period, "province", None)]
    assert wrong == []


def test_every_indicator_of_each_agency_unit_sector_and_procedure(year):
    busiest = Dossier.objects.values_list("procedure_id", flat=True).order_by("procedure_id")
    procedure = Counter(busiest).most_common(1)[0][0]
    sample = Dossier.objects.filter(procedure_id=procedure).select_related("procedure").first()
    assert sample is not None
    scopes: list[tuple[str, int | None]] = [
        ("agency", pk) for pk in set(Dossier.objects.values_list("competent_agency_id", flat=True))
    ]
    scopes += [("unit", sample.unit_id), ("sector", sample.procedure.sector_id)]
    scopes += [("procedure", procedure)]
    wrong = []
    for period in (parse_period("2025-Q2"), parse_period("2025-11")):
        for kind, pk in scopes:
            wrong += compare(period, kind, pk)
    assert wrong == []
