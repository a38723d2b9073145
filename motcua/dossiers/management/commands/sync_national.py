"""``manage.py sync_national``: the sync with the National Public Service Portal
(docs/national-portal.md).

- no option: send every change due now (dossiers, then monthly ratings) and stop;
- ``--every SECONDS``: the sync worker: send, wait, send … until stopped (SIGTERM or
  Ctrl-C end it between two rounds); ``make run`` and ``run_platform`` start it when
  ``NATIONAL_PORTAL_ENABLED``;
- ``--reconcile [--since DATE]``: ask the portal for each dossier changed since the date
  and queue again those it lacks or holds otherwise;
- ``--ratings [--month MM/YYYY]``: queue a month's satisfaction summaries (by default the
  previous month; the worker also queues it by itself once the month is over);
- ``--retry-failed``: give the failed changes (and rating summaries) a fresh round of
  attempts;
- ``--catalogue [--since DATE]``: refresh the procedure catalogue from the portal, through
  the same importer as the export file, and print the same report.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import NationalRatingSync, NationalSyncChange
from motcua.dossiers.national import ratings
from motcua.dossiers.national.reconcile import reconcile
from motcua.dossiers.national.worker import CHANGES, RoundReport, SyncWorker
from motcua.integrations.national_portal import NationalPortalClient, PortalError

MIN_EVERY, MAX_EVERY = 0.05, 3600.0


def _date(text: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    raise CommandError(_("Ngày %(text)s không đúng dạng dd/mm/yyyy.") % {"text": text})


def _month(text: str) -> dt.date:
    try:
        month = dt.datetime.strptime(text, "%m/%Y").date()  # noqa: DTZ007 (a month only)
    except ValueError as exc:
        raise CommandError(_("Tháng %(text)s không đúng dạng mm/yyyy.") % {"text": text}) from exc
    if not 2000 <= month.year <= 2100:
        raise CommandError(_("Tháng %(text)s không đúng dạng mm/yyyy.") % {"text": text})
    return month


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and MIN_EVERY <= seconds <= MAX_EVERY):
        raise CommandError(
            _("--every: từ %(least)s đến %(most)s giây.") % {"least": MIN_EVERY, "most": MAX_EVERY}
        )
    return seconds


class Command(BaseCommand):
    help = "Đồng bộ hồ sơ, tiến độ, đánh giá và danh mục thủ tục với Cổng DVC quốc gia."

    def add_arguments(self, parser: CommandParser) -> None:
        work = parser.add_mutually_exclusive_group()
        work.add_argument("--every", type=_seconds, metavar="SECONDS", help="chạy liên tục")
        work.add_argument("--reconcile", action="store_true", help="đối soát với Cổng")
        work.add_argument("--ratings", action="store_true", help="đưa đánh giá tháng vào hàng đợi")
        work.add_argument("--retry-failed", action="store_true", help="gửi lại các thay đổi lỗi")
        work.add_argument("--catalogue", action="store_true", help="cập nhật danh mục thủ tục")
        parser.add_argument("--since", type=_date, metavar="DD/MM/YYYY")
        parser.add_argument("--month", type=_month, metavar="MM/YYYY")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        if not settings.NATIONAL_PORTAL_ENABLED:
            raise CommandError(
                _("Chưa bật đồng bộ với Cổng DVC quốc gia (NATIONAL_PORTAL_ENABLED).")
            )
        if options["ratings"]:
            self.queue_ratings(options["month"] or ratings.previous_month())
        elif options["retry_failed"]:
            ids = CHANGES.reset_failed(NationalSyncChange.objects.all())
            months = ratings.RATINGS.reset_failed(NationalRatingSync.objects.all())
            self.stdout.write(
                _("%(n)s thay đổi hồ sơ và %(m)s tổng hợp đánh giá được gửi lại.")
                % {"n": len(ids), "m": len(months)}
            )
        elif options["reconcile"]:
            self.reconcile(options["since"])
        elif options["catalogue"]:
            self.catalogue(options["since"])
        elif options["every"] is not None:
            self.run_worker(options["every"])
        else:
            worker = SyncWorker()
            try:
                report = worker.drain()
                rated = ratings.drain(worker.client)
            finally:
                worker.close()
            self.print_round(report)
            self.stdout.write(json.dumps({"ratings": rated.as_dict()}))

    def queue_ratings(self, month: dt.date) -> None:
        try:
            added = ratings.queue_month(month)
        except ValueError as exc:
            raise CommandError(
                _("Tháng %(month)s chưa kết thúc.") % {"month": f"{month:%m/%Y}"}
            ) from exc
        self.stdout.write(
            _("Tháng %(month)s: %(n)s thủ tục có đánh giá được đưa vào hàng đợi.")
            % {"month": f"{month:%m/%Y}", "n": added}
        )

    def reconcile(self, since: dt.date | None) -> None:
        try:
            report = reconcile(NationalPortalClient.from_settings(), since=since)
        except PortalError as exc:
            raise CommandError(_("Không đối soát được: %(error)s") % {"error": exc}) from exc
        self.stdout.write(
            _(
                "Đã đối soát %(checked)s hồ sơ: %(matching)s khớp, %(missing)s Cổng chưa có, "
                "%(differing)s khác trạng thái, %(steps)s thiếu bước xử lý; %(queued)s hồ sơ "
                "được đưa vào hàng đợi gửi lại."
            )
            % {
                "checked": report.checked,
                "matching": report.matching,
                "missing": report.missing,
                "differing": report.differing,
                "steps": report.steps_missing,
                "queued": len(report.queued),
            }
        )
        self.stdout.write(json.dumps(report.as_dict()))

    def catalogue(self, since: dt.date | None) -> None:
        from motcua.catalog.national import pull_catalogue

        try:
            pull = pull_catalogue(NationalPortalClient.from_settings(), only_changed_since=since)
        except PortalError as exc:
            raise CommandError(
                _("Không lấy được danh mục từ Cổng, chưa ghi gì: %(error)s") % {"error": exc}
            ) from exc
        for line in pull.lines(warn=self.style.WARNING):
            self.stdout.write(line)

    def run_worker(self, every: float) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        worker = SyncWorker()
        self.stdout.write(
            _("Đồng bộ Cổng DVC quốc gia: %(workers)s luồng, kiểm tra mỗi %(every)s giây.")
            % {"workers": worker.workers, "every": every}
        )
        try:
            worker.run(every=every, stop=stop, on_round=self.print_round)
        finally:
            worker.close()

    def print_round(self, report: RoundReport) -> None:
        if report.ids or report.abandoned or self.verbosity > 1:
            at = timezone.localtime().strftime("%H:%M:%S")
            self.stdout.write(f"{at} {json.dumps(report.as_dict())}")
