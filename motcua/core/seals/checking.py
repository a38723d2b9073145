"""Checking the seals: ``manage.py verify_audit`` (docs/decisions/audit.md "Seals").

Each seal in the folder is read, its digest recomputed, its signature checked against the
known public keys and its link to the previous seal followed; each head it sealed is checked
against the database. The first seal's legacy bounds go to the chain check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.utils.translation import gettext

from motcua.core.chain import GENESIS, Problem, record_model
from motcua.core.seals.files import BATCH, Head, Seal, SealError, read_seal, seal_files
from motcua.core.seals.keys import public_keys


@dataclass
class SealCheck:
    """What the seal check found: problems, how many seals, the newest one, and the legacy
    bounds of the first seal (for the chain check)."""

    problems: list[Problem] = field(default_factory=list)
    seals: int = 0
    heads: int = 0
    latest: Seal | None = None
    legacy_up_to: dict[str, int] | None = None


class _HeadChecker:
    """Checks sealed heads against the database in batches: the record still there, its event
    at the sealed seq still there with the sealed hash."""

    def __init__(self, check: SealCheck) -> None:
        self.check = check
        self.batch: list[Head] = []
        self.number = 0
        self.reported: set[tuple[str, int, int | None]] = set()

    def add(self, head: Head) -> None:
        self.batch.append(head)
        if len(self.batch) >= BATCH:
            self.flush()

    def _report(self, head: Head, seq: int | None, message: str) -> None:
        key = (head.model, head.record_id, seq)
        if key not in self.reported:
            self.reported.add(key)
            self.check.problems.append(Problem(head.code, seq, None, message))

    def flush(self) -> None:
        by_model: dict[str, list[Head]] = {}
        for head in self.batch:
            by_model.setdefault(head.model, []).append(head)
        self.batch = []
        for label, heads in by_model.items():
            self._check(label, heads)

    def _check(self, label: str, heads: list[Head]) -> None:
        self.check.heads += len(heads)
        try:
            event_model = apps.get_model(label)
        except (LookupError, ValueError):
            for head in heads:
                self._report(head, None, gettext("loại nhật ký «%(m)s» không còn") % {"m": label})
            return
        record_id = f"{event_model.record_field}_id"
        ids = {head.record_id for head in heads}
        present = set(
            record_model(event_model)
            ._default_manager.filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        current = {
            (record, seq): digest
            for record, seq, digest in event_model._default_manager.filter(
                **{f"{record_id}__in": ids}, seq__in={head.seq for head in heads}
            ).values_list(record_id, "seq", "hash")
        }
        for head in heads:
            sealed = {"n": self.number, "seq": head.seq}
            if head.record_id not in present:
                self._report(
                    head,
                    None,
                    gettext(
                        "không còn trong cơ sở dữ liệu (bị xóa); niêm phong #%(n)s ghi nhận đến"
                        " sự kiện #%(seq)s"
                    )
                    % sealed,
                )
            elif (head.record_id, head.seq) not in current:
                self._report(
                    head,
                    head.seq,
                    gettext("sự kiện đã niêm phong (#%(n)s) không còn (bị xóa)") % sealed,
                )
            elif current[(head.record_id, head.seq)] != head.hash:
                self._report(
                    head,
                    head.seq,
                    gettext(
                        "khác bản đã niêm phong #%(n)s: chuỗi đã bị tính lại sau khi niêm phong"
                    )
                    % sealed,
                )


def verify_seals(directory: Path) -> SealCheck:
    """Every seal in ``directory``: readable, its digest, its signature, its link to the
    previous seal, numbers without gaps, and each sealed head against the database."""
    check = SealCheck()
    files = seal_files(directory)
    if not files:
        return check
    keys = public_keys()
    if not keys:
        check.problems.append(
            Problem(
                "AUDIT_SEAL_DIR",
                None,
                None,
                gettext(
                    "không có khóa công khai để kiểm tra chữ ký niêm phong"
                    " (AUDIT_SEAL_KEY_FILE hoặc AUDIT_SEAL_PUBLIC_KEY_FILE)"
                ),
            )
        )
    checker = _HeadChecker(check)
    previous_digest, expected = GENESIS, 1
    for number, path in files:
        name = gettext("niêm phong %(name)s") % {"name": path.name}
        if number != expected:
            missing = (
                gettext("thiếu niêm phong #%(a)s (chuỗi niêm phong bị đứt)")
                if number - 1 == expected
                else gettext("thiếu niêm phong #%(a)s–#%(b)s (chuỗi niêm phong bị đứt)")
            )
            check.problems.append(
                Problem(name, None, None, missing % {"a": expected, "b": number - 1})
            )
        checker.number = number
        try:
            found = read_seal(path, visit=checker.add)
        except SealError as exc:
            check.problems.append(
                Problem(name, None, None, gettext("không đọc được: %(e)s") % {"e": exc})
            )
            previous_digest, expected = "", number + 1
            continue
        checker.flush()
        check.seals += 1
        check.latest = found
        if found.number != number:
            check.problems.append(
                Problem(name, None, None, gettext("số trong tệp khác tên tệp (bị đổi tên)"))
            )
        if not found.intact:
            check.problems.append(
                Problem(name, None, None, gettext("nội dung không khớp mã của nó (bị sửa)"))
            )
        signed = found.signed_by(keys)
        if keys and not signed:
            check.problems.append(
                Problem(name, None, None, gettext("chữ ký không hợp lệ (bị sửa hoặc giả)"))
            )
        # A gap in the numbers was reported above; a seal that follows its predecessor's
        # number must also carry its digest.
        if number == expected and found.previous != previous_digest:
            check.problems.append(
                Problem(
                    name,
                    None,
                    None,
                    gettext("không nối với niêm phong liền trước (chuỗi niêm phong bị đứt)"),
                )
            )
        if number == 1 and found.intact and signed:
            tables = found.state.get("tables", {})
            check.legacy_up_to = {
                label: int(table.get("legacy_up_to", 0)) for label, table in tables.items()
            }
        previous_digest, expected = found.digest, number + 1
    return check
