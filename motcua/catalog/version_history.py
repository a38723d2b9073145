"""A procedure's versions as the catalogue shows them: each decision, its date, and each
change as before → after (the public procedure page, the admin, the catalogue API;
docs/decisions/catalogue.md "Procedure versions")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.models import (
    ExecutionMethod,
    Fee,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
)
from motcua.catalog.version_changes import Changes, channel_label, mode_label, time_label, vnd


@dataclass(frozen=True)
class ChangeLine:
    """One change as the page and the API show it: ``before`` → ``after``."""

    kind: str  # processing_time, fee, document_removed, online_mode, abolished, process_template
    subject: str
    before: str
    after: str

    @property
    def text(self) -> str:
        subject = f"{self.subject}: " if self.subject else ""
        if not self.after:
            return f"{subject}{self.before}"
        return f"{subject}{self.before} → {self.after}"


@dataclass(frozen=True)
class VersionView:
    number: int
    decision_number: str
    effective_from: dt.date
    in_force: bool
    summary: str
    source: str
    lines: list[ChangeLine] = field(default_factory=list)

    @property
    def effective_text(self) -> str:
        return self.effective_from.strftime("%d/%m/%Y")


def history(procedure: Procedure) -> list[VersionView]:
    """The procedure's versions, first to last, each change as before → after: from what
    was recorded when it was applied, or, for one still waiting, from today's catalogue."""
    versions = list(ProcedureVersion.objects.filter(procedure=procedure).order_by("number"))
    if not versions:
        return []
    methods = {m.pk: m for m in ExecutionMethod.objects.filter(procedure=procedure)}
    fees = {f.pk: f for f in Fee.objects.filter(method__procedure=procedure)}
    documents = {d.pk: d for d in RequiredDocument.objects.filter(procedure=procedure)}
    current = _Current(procedure, methods, fees, documents)
    return [
        VersionView(
            number=v.number,
            decision_number=v.decision_number,
            effective_from=v.effective_from,
            in_force=not v.pending,
            summary=v.summary,
            source=v.source,
            lines=_lines(v, current),
        )
        for v in versions
    ]


@dataclass
class _Current:
    procedure: Procedure
    methods: dict[int, ExecutionMethod]
    fees: dict[int, Fee]
    documents: dict[int, RequiredDocument]


def _lines(version: ProcedureVersion, current: _Current) -> list[ChangeLine]:
    changes = Changes.from_json(version.changes)
    before = version.before if not version.pending else _preview(changes, current)
    lines: list[ChangeLine] = []
    if changes.time_value is not None:
        # One line per distinct change, naming the channels it holds for.
        channels: dict[tuple[str, str], list[str]] = {}
        for m in before.get("methods", []):
            was = time_label(Decimal(m["time_value"]), m["time_unit"])
            becomes = time_label(changes.time_value, m["time_unit"])
            channels.setdefault((was, becomes), []).append(channel_label(m["channel"]))
        for (was, becomes), names in channels.items():
            subject = _("Thời hạn giải quyết (%(channels)s)") % {"channels": ", ".join(names)}
            lines.append(ChangeLine("processing_time", subject, was, becomes))
    amounts = dict(changes.fees)
    for fee in before.get("fees", []):
        lines.append(
            ChangeLine(
                "fee",
                f"{fee['name']} ({channel_label(fee['channel'])})",
                f"{vnd(fee['amount_vnd'])} đồng",
                f"{vnd(amounts.get(fee['id'], fee['amount_vnd']))} đồng",
            )
        )
    for doc in before.get("documents", []):
        lines.append(ChangeLine("document_removed", _("Bỏ thành phần hồ sơ"), doc["name"], ""))
    if changes.online_mode is not None and "online_mode" in before:
        lines.append(
            ChangeLine(
                "online_mode",
                _("Dịch vụ công trực tuyến"),
                mode_label(before["online_mode"]),
                mode_label(changes.online_mode),
            )
        )
    if changes.abolished:
        lines.append(ChangeLine("abolished", _("Bãi bỏ thủ tục"), _("Đang áp dụng"), _("Bãi bỏ")))
    template = before.get("template")
    if template:
        lines.append(
            ChangeLine(
                "process_template",
                _("Quy trình xử lý"),
                _("phiên bản %(n)s") % {"n": template["from"]} if template["from"] else "—",
                _("phiên bản %(n)s") % {"n": template["to"]},
            )
        )
    elif changes.template_id is not None and version.pending:
        lines.append(
            ChangeLine("process_template", _("Quy trình xử lý"), _("áp dụng quy trình mới"), "")
        )
    return lines


def _preview(changes: Changes, current: _Current) -> dict[str, Any]:
    """What a pending version would replace, read from today's catalogue."""
    before: dict[str, Any] = {}
    if changes.time_value is not None:
        before["methods"] = [
            {"channel": m.channel, "time_value": str(m.time_value), "time_unit": m.time_unit}
            for m in sorted(current.methods.values(), key=lambda m: m.pk)
            if m.time_value is not None and m.time_unit
        ]
    before["fees"] = [
        {
            "id": fee.pk,
            "name": fee.name,
            "channel": current.methods[fee.method_id].channel
            if fee.method_id in current.methods
            else "",
            "amount_vnd": fee.amount_vnd,
        }
        for fee_id, _amount in changes.fees
        if (fee := current.fees.get(fee_id)) is not None
    ]
    before["documents"] = [
        {"id": d.pk, "name": d.name}
        for doc_id in changes.removed_documents
        if (d := current.documents.get(doc_id)) is not None
    ]
    if changes.online_mode is not None:
        before["online_mode"] = current.procedure.online_mode
    return before
