"""``manage.py seal_audit [--every SECONDS]``: write the next signed seal of the event chains'
heads into ``AUDIT_SEAL_DIR`` (docs/decisions/audit.md); hourly from cron, or as a service."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.commands import PeriodicCommand
from motcua.core.seals import SealError, seal


class Command(PeriodicCommand):
    help = _(
        "Niêm phong nhật ký: ghi bản tóm tắt có chữ ký số của các đầu chuỗi vào AUDIT_SEAL_DIR."
    )

    def run_once(self) -> str:
        try:
            result = seal()
        except SealError as exc:
            raise CommandError(str(exc)) from exc
        if result is None:
            return _("Niêm phong đang tắt: chưa đặt AUDIT_SEAL_DIR.")
        return _("Niêm phong #%(n)s lúc %(at)s: %(heads)s đầu chuỗi, mã %(digest)s.") % {
            "n": result.number,
            "at": timezone.localtime(result.sealed_at).strftime("%d/%m/%Y %H:%M"),
            "heads": result.heads,
            "digest": result.digest,
        }
