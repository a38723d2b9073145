"""``manage.py recount_counters [--repair]``: recount every counter the reports read (dossier
flows and their rollups, the in-progress stock, the hotline's tickets and answer times, the
postal orders) from the source of truth, in SQL, and name every row that differs; exits
non-zero when any does.
``--repair`` first replaces each counter table by its recount, one table at a time, each locked
against the actions while it is rebuilt (docs/rules/indicators.md "Recount and repair")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.dossiers import counters as dossier_counters
from motcua.hotline import counters as hotline_counters
from motcua.postal import counters as postal_counters

SHOWN = 50


class Command(BaseCommand):
    help = _(
        "Đếm lại các bộ đếm báo cáo từ nhật ký hồ sơ và phản ánh; nêu chỗ lệch."
        " --repair: dựng lại bộ đếm từ số đếm lại."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair", action="store_true", help=_("Dựng lại bộ đếm trước khi kiểm tra.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["repair"]:
            for rebuild in (
                dossier_counters.rebuild,
                hotline_counters.rebuild,
                postal_counters.rebuild,
            ):
                for table, rows in rebuild().items():
                    self.stdout.write(
                        _("Đã dựng lại %(table)s: %(rows)s dòng.") % {"table": table, "rows": rows}
                    )
        found = (
            dossier_counters.differences()
            + hotline_counters.differences()
            + postal_counters.differences()
        )
        for line in found[:SHOWN]:
            self.stderr.write(line)
        if found:
            raise CommandError(_("%(n)s dòng bộ đếm lệch so với số đếm lại.") % {"n": len(found)})
        self.stdout.write(_("Bộ đếm khớp với số đếm lại."))
