"""What the National Public Service Portal has been sent, and what is still to send
(docs/national-portal.md).

``NationalSyncChange`` is the outbox: one row per change of a dossier the portal shows,
written in the action's transaction. A send carries the dossier's state at send time, so one
send covers every change before it (``covered_by``). ``NationalSyncState`` is what we know of
the dossier on the portal: whether the portal holds it, the last change it accepted, and how
far its progress steps have gone. ``NationalRatingSync`` is the monthly rating summary of one
procedure; ``NationalSyncCounter`` counts, per reception day × unit × agency, the received
dossiers due to be synced and those the portal accepted (Decision 766's sync rate).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.outbox.models import OutboxRow
from motcua.dossiers.models.dossier import Dossier
from motcua.org.models import AdministrativeUnit, Agency

UNSENT = ["pending", "sending"]


class NationalSyncChange(OutboxRow):
    """A change of a dossier, to be carried to the portal by the next send of the dossier."""

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="national_changes",
    )
    # The dossier's event that made the change: its place in the dossier's history.
    seq = models.PositiveIntegerField(_("số thứ tự sự kiện"))
    kind = models.CharField(_("thay đổi"), max_length=40)
    created_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)
    # The change whose send carried this one (empty for a change sent on its own turn).
    covered_by = models.ForeignKey(
        "self",
        verbose_name=_("được gửi cùng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("thay đổi cần đồng bộ lên Cổng DVC quốc gia")
        verbose_name_plural = _("thay đổi cần đồng bộ lên Cổng DVC quốc gia")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="national_change_once")
        ]
        indexes = [
            # The sync worker's sweep, and the screen's "oldest unsent change": partial, so
            # the history of sent changes costs them nothing.
            models.Index(
                fields=["next_attempt_at"],
                name="national_change_due",
                condition=models.Q(status__in=UNSENT),
            ),
            # A dossier's changes in order: the head of its queue, and coalescing.
            models.Index(
                fields=["dossier", "seq"],
                name="national_change_queue",
                condition=models.Q(status__in=[*UNSENT, "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.kind}"


class NationalSyncState(models.Model):
    dossier = models.OneToOneField(
        Dossier,
        verbose_name=_("hồ sơ"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="national_sync",
    )
    # Whether the portal holds the dossier (None: not known; TraCuuHoSo or an insert tells).
    on_portal = models.BooleanField(_("Cổng đã có hồ sơ"), null=True)
    accepted_seq = models.PositiveIntegerField(_("thay đổi được Cổng nhận gần nhất"), default=0)
    accepted_at = models.DateTimeField(_("Cổng nhận lần gần nhất lúc"), null=True, blank=True)
    # When the portal first accepted the dossier as received: what the "synced" counter counts.
    counted_at = models.DateTimeField(_("tính là đã đồng bộ lúc"), null=True, blank=True)
    # Progress steps: the portal holds the steps of events up to ``progress_seq``. The chunk
    # being sent is written here first, as sent ([{"seq", "fields"}]): if its answer is lost,
    # the next send asks the portal which of them it holds and sends the others as they were.
    progress_seq = models.PositiveIntegerField(default=0)
    progress_in_flight = models.JSONField(default=list, blank=True)
    # Reconciling found steps missing: the next send asks the portal which it holds first.
    progress_unsure = models.BooleanField(default=False)
    # The portal's answer to the last refused send (cleared by the next accepted one).
    rejection = models.TextField(_("Cổng từ chối"), blank=True)

    class Meta:
        verbose_name = _("trạng thái đồng bộ hồ sơ")
        verbose_name_plural = _("trạng thái đồng bộ hồ sơ")
        indexes = [
            # The sync screen's "last accepted": the newest entry, not a scan of every dossier.
            models.Index(fields=["accepted_at"], name="national_state_accepted"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.accepted_seq}"


class NationalRatingSync(OutboxRow):
    """A procedure's satisfaction summary for one month (``DongBoDanhGia``), built from the
    rating counters when it is sent."""

    month = models.DateField(_("tháng"))  # its first day
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tổng hợp đánh giá gửi Cổng DVC quốc gia")
        verbose_name_plural = _("tổng hợp đánh giá gửi Cổng DVC quốc gia")
        constraints = [
            models.UniqueConstraint(fields=["month", "procedure"], name="national_rating_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="national_rating_due",
                condition=models.Q(status__in=UNSENT),
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.procedure_id}"


class NationalSyncCounter(models.Model):
    """Per reception day × unit × agency: dossiers received (due to sync) and those the
    portal accepted (synced), kept by reception and by the sync worker."""

    day = models.DateField(_("ngày tiếp nhận"))
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due = models.PositiveIntegerField(_("cần đồng bộ"), default=0)
    synced = models.PositiveIntegerField(_("đã đồng bộ"), default=0)

    KEY: ClassVar[tuple[str, ...]] = ("day", "unit_id", "agency_id")

    class Meta:
        verbose_name = _("số liệu đồng bộ theo ngày")
        verbose_name_plural = _("số liệu đồng bộ theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "agency"], name="national_sync_counter_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agency_id}: {self.synced}/{self.due}"
