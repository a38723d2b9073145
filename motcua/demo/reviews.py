"""The demo province's 2021 review of administrative procedures (with ``samples``): a cycle
of a few dozen provincial procedures reviewed by five departments, about a fifth of them
proposed for simplification and approved, each priced by the standard-cost method, so the
review pages and the cycle's report show figures of the kind provinces publish (the share
proposed, billions of đồng saved a year). Everything goes through the review actions, dated
in 2021, so the proposals carry their history. No proposal is enacted: the catalogue stays
the national one.

The volumes are the departments' own estimates (an override: the demo has no 2020 dossiers),
drawn from a seeded generator; the income is an illustrative figure, said so in its source.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Fee, OnlineMode, Procedure, RequiredDocument
from motcua.core.actions import acting_at
from motcua.org.models import Agency
from motcua.reform.actions import (
    ChangeSpec,
    VolumeOverride,
    approve_proposal,
    open_cycle,
    save_proposal,
    submit_proposal,
)
from motcua.reform.cost import Step
from motcua.reform.costing import CostSide
from motcua.reform.models import ChangeKind, IncomeRate, Proposal, ReviewCycle

PLAN_NUMBER = "15/KH-UBND"
YEAR = 2021
# The departments that review, by their demo key, with how many of their procedures.
REVIEWERS = {"tuphap": 10, "nnmt": 8, "xaydung": 8, "taichinh": 6, "noivu": 8}
PROPOSED_SHARE = 0.22
INCOME = (
    dt.date(2021, 1, 1),
    3_520_000,
    "Số liệu minh họa: thu nhập bình quân đầu người/tháng năm 2020 (Khảo sát mức sống dân cư)",
)
HOURS_PER_DOCUMENT = Decimal(2)
TRIP_HOURS = Decimal(3)  # travel and waiting at the desk, one trip
COPY_COST_VND = 10_000  # a certified copy of one document


def seed_review_cycle(seed: int = 2021) -> int:
    """The 2021 cycle (once: nothing happens if its plan is already there); returns the
    number of proposals created."""
    if ReviewCycle.objects.filter(plan_number=PLAN_NUMBER, year=YEAR).exists():
        return 0
    users = get_user_model().objects
    office = users.filter(username="chuyenvien.ubnd").first()
    if office is None:
        return 0
    IncomeRate.objects.get_or_create(
        valid_from=INCOME[0], defaults={"monthly_income_vnd": INCOME[1], "source": INCOME[2]}
    )
    items = _items()
    if not items:
        return 0
    zone = timezone.get_current_timezone()
    rng = random.Random(seed)  # noqa: S311 (a reproducible demo, not a secret)
    with transaction.atomic():
        with acting_at(dt.datetime(YEAR, 1, 20, 9, 0, tzinfo=zone)):
            cycle = open_cycle(
                year=YEAR,
                title="Rà soát, đánh giá thủ tục hành chính năm 2021",
                plan_number=PLAN_NUMBER,
                scope="Thủ tục hành chính thuộc thẩm quyền giải quyết của các sở, ngành tỉnh.",
                deadline=dt.date(YEAR, 9, 30),
                items=items,
                user=office,
            )
        proposals = list(cycle.proposals.select_related("procedure", "agency"))
        chosen = set(rng.sample(range(len(proposals)), round(len(proposals) * PROPOSED_SHARE)))
        for index, proposal in enumerate(proposals):
            day = dt.date(YEAR, 6, 1) + dt.timedelta(days=index)
            _review(proposal, simplify=index in chosen, rng=rng, day=day, office=office)
    return len(proposals)


def _items() -> list[tuple[Procedure, Agency]]:
    items = []
    for key, count in REVIEWERS.items():
        specialist, _leader = _officers(key)
        agency = Agency.objects.filter(memberships__user__username=specialist).first()
        if agency is None:
            continue
        procedures = Procedure.objects.filter(
            competent_agency=agency, active=True, documents__isnull=False
        ).distinct()
        items += [(procedure, agency) for procedure in procedures.order_by("code")[:count]]
    return items


def _review(
    proposal: Proposal, *, simplify: bool, rng: random.Random, day: dt.date, office: Any
) -> None:
    users = get_user_model().objects
    specialist_name, leader_name = _officers(_agency_key(proposal))
    specialist = users.get(username=specialist_name)
    leader = users.get(username=leader_name)
    procedure = proposal.procedure
    documents = list(RequiredDocument.objects.filter(procedure=procedure).order_by("position"))
    fees = list(Fee.objects.filter(method__procedure=procedure).order_by("method_id", "pk"))
    fee_total = sum(f.amount_vnd for f in fees if f.method_id == fees[0].method_id) if fees else 0
    before = CostSide(
        steps=(
            Step("Chuẩn bị, hoàn thiện thành phần hồ sơ", HOURS_PER_DOCUMENT * len(documents)),
            Step("Đi lại, chờ đợi tại Bộ phận một cửa (nộp hồ sơ)", TRIP_HOURS),
            Step("Đi lại, chờ đợi nhận kết quả", TRIP_HOURS),
        ),
        fees_vnd=fee_total,
        service_costs_vnd=COPY_COST_VND * len(documents),
        other_costs_vnd=0,
    )
    after = before
    changes: list[ChangeSpec] = []
    description = reason = ""
    if simplify:
        changes, after = _simplification(procedure, documents, fees, before, rng)
        description = "; ".join(change.detail for change in changes)
        reason = (
            "Khai thác dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư và cung cấp dịch vụ công "
            "trực tuyến, giảm đi lại và chi phí cho người dân, doanh nghiệp."
        )
    subjects = rng.choice((300, 800, 1_500, 3_000, 6_000, 12_000, 25_000))
    volume = VolumeOverride(
        executions_per_subject=Decimal(1),
        subjects_per_year=subjects,
        note="Ước tính của sở theo số hồ sơ tiếp nhận năm 2020",
    )
    zone = timezone.get_current_timezone()
    with acting_at(dt.datetime.combine(day, dt.time(9, 0), zone)):
        save_proposal(
            proposal=proposal,
            description=description,
            reason=reason,
            changes=changes,
            before=before,
            after=after,
            volume=volume,
            user=specialist,
        )
    with acting_at(dt.datetime.combine(day, dt.time(15, 0), zone)):
        submit_proposal(proposal=proposal, user=leader)
    with acting_at(dt.datetime.combine(day + dt.timedelta(days=30), dt.time(10, 0), zone)):
        approve_proposal(proposal=proposal, user=office)


def _simplification(
    procedure: Procedure,
    documents: list[RequiredDocument],
    fees: list[Fee],
    before: CostSide,
    rng: random.Random,
) -> tuple[list[ChangeSpec], CostSide]:
    """What a department typically proposes: take a document from the national databases
    instead of asking for it, shorten the time by a third, offer the procedure fully
    online, sometimes lower a fee."""
    changes = []
    kept = len(documents)
    if len(documents) > 1:
        cut = documents[-1]
        kept -= 1
        changes.append(
            ChangeSpec(
                ChangeKind.CUT_DOCUMENT,
                f"Bỏ yêu cầu nộp “{cut.name[:120]}”, khai thác từ cơ sở dữ liệu",
                document_id=cut.pk,
            )
        )
    method = procedure.methods.exclude(time_value=None).order_by("pk").first()
    if method is not None and method.time_value and method.time_value > 1:
        new = max(Decimal(1), (method.time_value * 2 / 3).quantize(Decimal(1)))
        if new < method.time_value:
            changes.append(
                ChangeSpec(
                    ChangeKind.SHORTEN_TIME,
                    f"Rút ngắn thời hạn giải quyết từ {method.time_value.normalize():f} "
                    f"xuống {new:f} {method.get_time_unit_display()}",
                    new_time_value=new,
                )
            )
    trips = TRIP_HOURS * 2
    if procedure.online_mode != OnlineMode.FULL:
        changes.append(
            ChangeSpec(ChangeKind.ONLINE_FULL, "Cung cấp dịch vụ công trực tuyến toàn trình")
        )
        trips = Decimal("0.5")
    fee_total = before.fees_vnd
    paying = [f for f in fees if f.method_id == fees[0].method_id and f.amount_vnd >= 20_000]
    if paying and rng.random() < 0.4:
        fee = paying[0]
        new_fee = fee.amount_vnd // 2 // 1000 * 1000
        changes.append(
            ChangeSpec(
                ChangeKind.LOWER_FEE,
                "Giảm 50% mức thu khi nộp hồ sơ trực tuyến",
                fee_id=fee.pk,
                new_fee_vnd=new_fee,
            )
        )
        fee_total -= fee.amount_vnd - new_fee
    after = CostSide(
        steps=(
            Step("Chuẩn bị, hoàn thiện thành phần hồ sơ", HOURS_PER_DOCUMENT * kept),
            Step("Nộp hồ sơ, nhận kết quả", trips),
        ),
        fees_vnd=fee_total,
        service_costs_vnd=COPY_COST_VND * kept if trips > 1 else 0,
        other_costs_vnd=0,
    )
    return changes, after


def _officers(key: str) -> tuple[str, str]:
    """The usernames of a reviewing department's specialist and leader (Justice's are the
    demo's first officers, without a suffix)."""
    if key == "tuphap":
        return "chuyenvien", "lanhdao"
    return f"chuyenvien.{key}", f"lanhdao.{key}"


def _agency_key(proposal: Proposal) -> str:
    for key in REVIEWERS:
        specialist, _leader = _officers(key)
        if proposal.agency.memberships.filter(user__username=specialist).exists():
            return key
    raise LookupError(proposal.agency.code)
