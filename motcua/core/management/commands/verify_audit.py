"""``manage.py verify_audit``: recompute every event chain (dossiers, hotline tickets…) under
the HMAC keys, check every seal, and name what was changed, re-chained or removed
(docs/decisions/audit.md). Exits non-zero when anything is wrong."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.chain import Problem, Tally, chained_models, record_model, verify_model
from motcua.core.seals import SealCheck, SealError, seal_directory, verify_seals


class Command(BaseCommand):
    help = _(
        "Kiểm tra chuỗi nhật ký của mọi hồ sơ, phản ánh theo khóa và theo các niêm phong; nêu"
        " sự kiện bị sửa, bị tính lại hoặc bị xóa, hồ sơ bị xóa, trạng thái và hạn bị sửa."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = 0
        seals = self._check_seals()
        legacy_bounds = seals.legacy_up_to if seals is not None else None
        counts = []
        legacy = 0
        for event_model in chained_models():
            tally = Tally()
            # Unkeyed events are legacy only up to the id the operator wrote down when the key
            # came (AUDIT_LEGACY_UP_TO, outside the database), and the first seal saw.
            bound = settings.AUDIT_LEGACY_UP_TO
            if legacy_bounds is not None:
                bound = min(bound, legacy_bounds.get(event_model._meta.label_lower, 0))
            for problem in verify_model(event_model, tally=tally, legacy_up_to=bound):
                problems += 1
                self.stderr.write(str(problem))
            legacy += tally.legacy
            counts.append(f"{tally.records} {record_model(event_model)._meta.verbose_name}")
        for problem in seals.problems if seals is not None else []:
            problems += 1
            self.stderr.write(str(problem))
        if legacy:
            self.stdout.write(
                _("%(n)s sự kiện cũ chưa có khóa (SHA-256 không khóa, trước khi dùng AUDIT_KEY).")
                % {"n": legacy}
            )
        if problems:
            raise CommandError(_("%(n)s vấn đề trong nhật ký.") % {"n": problems})
        self.stdout.write(_("Nhật ký nguyên vẹn: %(counts)s.") % {"counts": ", ".join(counts)})

    def _check_seals(self) -> SealCheck | None:
        directory = seal_directory()
        if directory is None:
            self.stdout.write(_("Cảnh báo: chưa đặt AUDIT_SEAL_DIR, bỏ qua kiểm tra niêm phong."))
            return None
        try:
            check = verify_seals(directory)
        except SealError as exc:
            raise CommandError(str(exc)) from exc
        if check.latest is None:
            if any(m._default_manager.exists() for m in chained_models()):
                # Sealing is on and there is history: a folder with no seal lost them.
                check.problems.append(
                    Problem(
                        "AUDIT_SEAL_DIR",
                        None,
                        None,
                        _("không có niêm phong nào trong %(dir)s dù đã có nhật ký")
                        % {"dir": directory},
                    )
                )
            else:
                self.stdout.write(
                    _("Cảnh báo: chưa có niêm phong nào trong %(dir)s.") % {"dir": directory}
                )
        else:
            self.stdout.write(
                _(
                    "%(n)s niêm phong, %(heads)s đầu chuỗi đã đối chiếu; mới nhất #%(number)s"
                    " lúc %(at)s, mã %(digest)s."
                )
                % {
                    "n": check.seals,
                    "heads": check.heads,
                    "number": check.latest.number,
                    "at": timezone.localtime(check.latest.sealed_at).strftime("%d/%m/%Y %H:%M"),
                    "digest": check.latest.digest,
                }
            )
        return check
