"""A review cycle's actions (docs/reform.md "What a cycle is"): the reform office opens a
cycle listing the procedures to review, each with the agency that reviews it, and adds
procedures while the cycle is open. Each listed procedure gets a draft proposal whose history
starts with an "open" event (``reviews.WORKFLOW``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.actions import ActionError, User, invalid, now, person, require_text
from motcua.core.text import normalize
from motcua.org.models import Agency
from motcua.reform.access import ReviewAccess
from motcua.reform.actions.reviews import WORKFLOW
from motcua.reform.models import CycleStatus, Proposal, ReviewCycle

TITLE_LENGTH = 255


@transaction.atomic
def open_cycle(
    *,
    year: int,
    title: str,
    deadline: dt.date,
    items: Sequence[tuple[Procedure, Agency]],
    user: User,
    plan_number: str = "",
    scope: str = "",
) -> ReviewCycle:
    """Open a review cycle listing ``items`` (each procedure with the agency that reviews it);
    each gets a draft proposal."""
    ReviewAccess.of(user).require_office()
    title = require_text(normalize(title), "title", _("Nhập tên đợt rà soát."))
    if len(title) > TITLE_LENGTH:
        raise invalid("title", _("Tên đợt rà soát tối đa 255 ký tự."), field="title")
    if not 2000 <= year <= 2100:
        raise invalid("year", _("Năm rà soát phải từ 2000 đến 2100."), field="year")
    if len(plan_number) > 100:
        raise invalid("plan_number", _("Số kế hoạch tối đa 100 ký tự."), field="plan_number")
    try:
        with transaction.atomic():
            cycle = ReviewCycle.objects.create(
                year=year,
                title=title,
                deadline=deadline,
                plan_number=plan_number.strip(),
                scope=scope.strip(),
                created_by=person(user),
            )
    except IntegrityError:
        raise ActionError(
            "cycle_exists",
            _("Năm %(year)s đã có đợt rà soát cùng tên hoặc cùng số kế hoạch.") % {"year": year},
        ) from None
    cycle.agencies.set({agency for _procedure, agency in items})
    for procedure, agency in items:
        _add(cycle, procedure, agency, user)
    return cycle


@transaction.atomic
def add_to_cycle(
    *, cycle: ReviewCycle, procedure: Procedure, agency: Agency, user: User
) -> Proposal:
    """List one more procedure in an open cycle, reviewed by ``agency``."""
    ReviewAccess.of(user).require_office()
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise ActionError("cycle_closed", _("Đợt rà soát đã kết thúc."))
    cycle.agencies.add(agency)
    return _add(cycle, procedure, agency, user)


def _add(cycle: ReviewCycle, procedure: Procedure, agency: Agency, user: User) -> Proposal:
    number = (cycle.proposals.aggregate(last=Max("number"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                cycle=cycle,
                number=number,
                code=f"PA{cycle.year}-{cycle.pk:03d}-{number:04d}",
                procedure=procedure,
                agency=agency,
            )
    except IntegrityError:
        raise ActionError(
            "already_listed",
            _("Thủ tục %(code)s đã có trong đợt rà soát này.") % {"code": procedure.code},
        ) from None
    WORKFLOW.append_event(
        proposal,
        kind="open",
        actor=user,
        at=now(),
        to_status=proposal.status,
        procedure=procedure.code,
        agency=agency.code,
    )
    return proposal
