"""The what-if of a simplification proposal (``/bao-cao/gia-dinh/``; the model:
docs/simulate.md "What-if of a reform"; the review: docs/reform.md).

A proposal's page links here. The form asks what is not in the proposal (the share of
dossiers filed online after the change) and queues the computation (``start_what_if``); the
run's page shows the procedure's past year as it was and with the change, side by side, with
the assumptions beside the figures, and reloads itself until the figures are there.

Who: whoever reads the proposal (``reform.access.proposal_for``: its agency's specialists and
leaders, the reform office and those who read every proposal); a run is read through its
proposal's door. Anyone else gets the 404 of a page that does not exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.actions import ActionError
from motcua.reform.access import proposal_for
from motcua.reform.costing import CostSide
from motcua.reform.models import ChangeKind, Proposal
from motcua.simulate.models import WhatIfRun, WhatIfStatus
from motcua.simulate.whatif import Reform
from motcua.simulate.whatif.runs import start_what_if

# What the form proposes for the online share when the proposal moves the procedure online
# (a starting point the user sees and changes; the run lists it as the proposal's value).
ONLINE_SHARE_SUGGESTED = {ChangeKind.ONLINE_FULL: 60, ChangeKind.ONLINE_PARTIAL: 40}
RECENT_RUNS = 10
# A run computes in about a second; one not done after this has lost its worker (or waits
# behind a stopped one): the page stops waiting and offers to ask again.
STALLED_AFTER = dt.timedelta(minutes=10)


class WhatIfForm(forms.Form):
    online_percent = forms.DecimalField(
        label=gettext_lazy("Tỷ lệ hồ sơ nộp trực tuyến sau cải cách (%)"),
        help_text=gettext_lazy("Từ 0 đến 100; để trống: giữ tỷ lệ thực tế của năm qua."),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )


def reform_of(proposal: Proposal, online_percent: Decimal | None) -> Reform:
    """The values of ``proposal`` the what-if plays: its new time, the documents it cuts, the
    applicant's hours and the compliance cost of one execution, before and after."""
    changes = list(proposal.changes.all())
    time_value = next(
        (c.new_time_value for c in changes if c.kind == ChangeKind.SHORTEN_TIME), None
    )
    try:
        before = CostSide.from_json(proposal.cost_before).hours
        after = CostSide.from_json(proposal.cost_after).hours
    except ActionError:  # a draft never priced: no hours to compare
        before = after = Decimal(0)
    return Reform(
        procedure_id=proposal.procedure_id,
        time_value=time_value,
        online_share=None if online_percent is None else float(online_percent) / 100,
        documents_removed=sum(1 for c in changes if c.kind == ChangeKind.CUT_DOCUMENT),
        citizen_hours_before=before,
        citizen_hours_after=after,
        cost_before_vnd=proposal.per_execution_before_vnd,
        cost_after_vnd=proposal.per_execution_after_vnd,
    )


def _suggested_online(proposal: Proposal) -> int | None:
    kinds = {c.kind for c in proposal.changes.all()}
    return next((share for kind, share in ONLINE_SHARE_SUGGESTED.items() if kind in kinds), None)


def _proposal_for(request: HttpRequest, proposal_id: int) -> Proposal:
    if not 0 < proposal_id < 2**63:
        raise Http404
    return proposal_for(request.user, proposal_id)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The form, with the proposal's values and its earlier runs; POST queues a run."""
    proposal = _proposal_for(request, proposal_id)
    if request.method == "POST":
        form = WhatIfForm(request.POST)
        waiting = _waiting(request, proposal)
        if waiting is not None:
            # One run at a time per person and proposal: a second click, or an impatient
            # one, is shown the run already on its way.
            return redirect("whatif:run", run_id=waiting.pk)
        if form.is_valid():
            reform = reform_of(proposal, form.cleaned_data["online_percent"])
            try:
                run = start_what_if(
                    reform=reform,
                    user=request.user,
                    subject=_("Phương án %(code)s: %(procedure)s")
                    % {"code": proposal.code, "procedure": proposal.procedure.code},
                    proposal_id=proposal.pk,
                )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                return redirect("whatif:run", run_id=run.pk)
        status = 400
    else:
        form = WhatIfForm(initial={"online_percent": _suggested_online(proposal)})
        status = 200
    runs = WhatIfRun.objects.filter(proposal_id=proposal.pk)[:RECENT_RUNS]
    context = {
        "proposal": proposal,
        "form": form,
        "reform": reform_of(proposal, None),
        "runs": runs,
    }
    return render(request, "reports/whatif_start.html", context, status=status)


@login_required
@require_GET
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run: waiting (the page reloads itself), failed (with the reason), or its figures."""
    if not 0 < run_id < 2**63:
        raise Http404
    run = WhatIfRun.objects.filter(pk=run_id).exclude(proposal_id=None).first()
    if run is None or run.proposal_id is None:
        raise Http404
    proposal = _proposal_for(request, run.proposal_id)
    unfinished = run.status in (WhatIfStatus.QUEUED, WhatIfStatus.RUNNING)
    stalled = unfinished and run.created_at < timezone.now() - STALLED_AFTER
    result = run.result if run.status == WhatIfStatus.DONE and run.result else None
    context: dict[str, Any] = {
        "proposal": proposal,
        "run": run,
        "waiting": unfinished and not stalled,
        "stalled": stalled,
        "rows": _rows(result) if result else [],
        "start": _day(result.get("start")) if result else None,
        "end": _day(result.get("end")) if result else None,
    }
    return render(request, "reports/whatif_run.html", context)


def _waiting(request: HttpRequest, proposal: Proposal) -> WhatIfRun | None:
    """The user's run of ``proposal`` still on its way (not stalled), if any."""
    return (
        WhatIfRun.objects.filter(
            proposal_id=proposal.pk,
            requested_by_id=getattr(request.user, "pk", None),
            status__in=(WhatIfStatus.QUEUED, WhatIfStatus.RUNNING),
            created_at__gte=timezone.now() - STALLED_AFTER,
        )
        .order_by("-pk")
        .first()
    )


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures side by side: (label, before, after, difference, unit)."""
    base, changed = result["baseline"], result["changed"]

    def row(label: str, key: str, kind: str) -> dict[str, Any]:
        before, after = base[key], changed[key]
        return {
            "label": label,
            "before": before,
            "after": after,
            "diff": after - before,
            "kind": kind,
        }

    return [
        row(_("Số hồ sơ trong năm"), "dossiers", "count"),
        row(_("Tỷ lệ đúng hạn"), "on_time_rate", "rate"),
        row(_("Số hồ sơ trễ hạn"), "late", "count"),
        row(_("Thời gian xử lý bình quân (ngày làm việc)"), "average_processing_days", "days"),
        row(_("Số lần yêu cầu bổ sung hồ sơ"), "supplements", "count"),
        row(_("Hồ sơ nộp trực tuyến"), "online", "count"),
        row(_("Giờ của người dân, doanh nghiệp"), "citizen_hours", "hours"),
        row(_("Giờ hồ sơ nằm ở cán bộ xử lý"), "staff_hours", "hours"),
        row(_("Chi phí tuân thủ (đồng/năm)"), "compliance_cost_vnd", "vnd"),
    ]
