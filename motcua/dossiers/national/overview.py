"""What the sync with the national portal looks like from here: the operator's sync screen
(``views/national_sync.py``) and the line on the dossier page.

Every read is bounded by what is still to do, never by the number of dossiers
(docs/architecture.md rule 9): the changes waiting, being sent or failed are found through
the outbox's partial indexes (``national_change_due``, ``national_change_queue``), the last
acceptance through the index on ``NationalSyncState.accepted_at``, and the month's sync rate
from ``NationalSyncCounter`` (one row per reception day × unit × agency).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Max, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox.models import OutboxStatus
from motcua.dossiers.models import NationalSyncChange, NationalSyncCounter, NationalSyncState
from motcua.dossiers.models.national import UNSENT

OPEN = [*UNSENT, OutboxStatus.FAILED]

# What each change did to the dossier, as the screen names it (the kinds ``changes`` writes,
# and the one ``reconcile`` writes).
KIND_LABELS: dict[str, str | Promise] = {
    "submit": _("Nộp trực tuyến"),
    "receive": _("Tiếp nhận"),
    "refuse": _("Từ chối tiếp nhận"),
    "forward": _("Chuyển bước xử lý"),
    "record_step": _("Cập nhật quá trình xử lý"),
    "request_supplement": _("Yêu cầu bổ sung"),
    "complete_supplement": _("Nhận hồ sơ bổ sung"),
    "request_payment": _("Yêu cầu nộp phí, lệ phí"),
    "record_payment": _("Ghi nhận nộp phí, lệ phí"),
    "apologise": _("Xin lỗi, hẹn lại"),
    "stop": _("Dừng xử lý"),
    "withdraw": _("Rút hồ sơ"),
    "mark_result_ready": _("Có kết quả"),
    "return_result": _("Trả kết quả"),
    "revoke_result": _("Thu hồi kết quả"),
    "reconcile": _("Gửi lại sau đối soát"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


# ---- the sync screen -------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One agency's dossiers due to be synced this month, and those the portal accepted
    (``agency`` empty: the total)."""

    agency: str
    due: int
    synced: int

    @property
    def percent(self) -> float | None:
        return 100 * self.synced / self.due if self.due else None


@dataclass(frozen=True)
class Overview:
    at: dt.datetime  # when the figures were read
    enabled: bool
    waiting: int  # pending: a first send or a retry not yet due
    sending: int  # claimed by the sync worker now
    failed: int
    oldest: NationalSyncChange | None  # the oldest change not sent yet
    last_accepted_at: dt.datetime | None
    month: dt.date  # its first day
    today: dt.date
    shares: list[Share]
    total: Share

    @property
    def pending(self) -> int:
        return self.waiting + self.sending

    @property
    def oldest_kind(self) -> str:
        return kind_label(self.oldest.kind) if self.oldest is not None else ""

    @property
    def oldest_waited(self) -> str:
        return waited(self.at - self.oldest.created_at) if self.oldest is not None else ""


def waited(span: dt.timedelta) -> str:
    """A wait in calendar time, to the minute under a day: "2 ngày 3 giờ", "45 phút"."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(gettext("%(n)s ngày") % {"n": days})
    if hours:
        parts.append(gettext("%(n)s giờ") % {"n": hours})
    if minutes and not days:
        parts.append(gettext("%(n)s phút") % {"n": minutes})
    return " ".join(parts) or gettext("dưới 1 phút")


def overview(*, today: dt.date | None = None) -> Overview:
    """The figures at the top of the sync screen, in four queries; ``today`` (local) ends
    the month whose sync rate is shown."""
    by_status = dict(
        NationalSyncChange.objects.filter(status__in=OPEN)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    oldest = (
        NationalSyncChange.objects.filter(status__in=UNSENT)
        .select_related("dossier")
        .only("seq", "kind", "status", "created_at", "dossier__code")
        .order_by("created_at", "pk")
        .first()
    )
    last = NationalSyncState.objects.aggregate(at=Max("accepted_at"))["at"]
    today = today or timezone.localdate()
    month = today.replace(day=1)
    shares = month_shares(month, today)
    return Overview(
        at=timezone.now(),
        enabled=settings.NATIONAL_PORTAL_ENABLED,
        waiting=by_status.get(OutboxStatus.PENDING, 0),
        sending=by_status.get(OutboxStatus.SENDING, 0),
        failed=by_status.get(OutboxStatus.FAILED, 0),
        oldest=oldest,
        last_accepted_at=last,
        month=month,
        today=today,
        shares=shares,
        total=Share(
            agency="",
            due=sum(s.due for s in shares),
            synced=sum(s.synced for s in shares),
        ),
    )


def month_shares(start: dt.date, end: dt.date) -> list[Share]:
    """Per agency, the dossiers received from ``start`` to ``end`` that are due to be synced
    and those the portal accepted; the worst share first (an agency with nothing due last),
    then by name."""
    rows = (
        NationalSyncCounter.objects.filter(day__gte=start, day__lte=end)
        .values("agency_id")
        .annotate(name=F("agency__name"), due_sum=Sum("due"), synced_sum=Sum("synced"))
        .values_list("name", "due_sum", "synced_sum")
    )
    shares = [Share(agency=name, due=due or 0, synced=synced or 0) for name, due, synced in rows]
    shares.sort(key=lambda s: (s.percent is None, s.percent or 0.0, s.agency))
    return shares


def failed_changes() -> QuerySet[NationalSyncChange]:
    """The failed changes, the latest attempt first, each with its dossier's code and what
    the portal last answered about the dossier."""
    return (
        NationalSyncChange.objects.filter(status=OutboxStatus.FAILED)
        .select_related("dossier", "dossier__national_sync")
        .only(
            "seq",
            "kind",
            "status",
            "attempts",
            "attempted_at",
            "created_at",
            "last_error",
            "dossier__code",
            "dossier__national_sync__rejection",
        )
        .order_by(F("attempted_at").desc(nulls_last=True), "-pk")
    )


def portal_message(change: NationalSyncChange) -> str:
    """Why ``change`` failed: its last error, and the portal's refusal of the dossier when the
    error does not already say it."""
    state = getattr(change.dossier, "national_sync", None)
    rejection = state.rejection if state is not None else ""
    error = change.last_error
    if rejection and rejection not in error:
        return f"{error} · {rejection}" if error else rejection
    return error


# ---- the dossier page ------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierSync:
    """What the dossier page says of one dossier on the portal."""

    accepted_at: dt.datetime | None  # the portal last accepted it then; None: never
    waiting: int  # changes waiting or being sent
    failed: NationalSyncChange | None  # the latest failed change
    rejection: str  # the portal's answer to the last refused send

    @property
    def problem(self) -> str:
        if self.rejection:
            return self.rejection
        return self.failed.last_error if self.failed is not None else ""


def dossier_sync(dossier_id: int) -> DossierSync | None:
    """The dossier's sync, in two queries whatever its history; None when it was never
    queued for the portal (the sync was off, or nothing the portal shows happened yet)."""
    state = NationalSyncState.objects.filter(pk=dossier_id).only("accepted_at", "rejection").first()
    changes = list(
        NationalSyncChange.objects.filter(dossier_id=dossier_id, status__in=OPEN)
        .only("seq", "status", "last_error")
        .order_by("seq")
    )
    if state is None and not changes:
        return None
    failed = [c for c in changes if c.status == OutboxStatus.FAILED]
    return DossierSync(
        accepted_at=state.accepted_at if state else None,
        waiting=sum(1 for c in changes if c.status in UNSENT),
        failed=failed[-1] if failed else None,
        rejection=state.rejection if state else "",
    )
