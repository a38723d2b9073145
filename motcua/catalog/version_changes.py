"""What a decision changes in a procedure (``Changes``) and how a change reads in words, for
the catalogue's history and a version's summary (docs/decisions/catalogue.md "Procedure
versions")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.models import (
    Channel,
    OnlineMode,
    Procedure,
    TimeUnit,
)


@dataclass(frozen=True)
class Changes:
    """What a decision changes in a procedure; every field left at its default is unchanged."""

    time_value: Decimal | None = None  # new processing time, in each timed method's own unit
    removed_documents: tuple[int, ...] = ()  # RequiredDocument ids no longer required
    fees: tuple[tuple[int, int], ...] = ()  # (Fee id, new amount in VND)
    online_mode: str | None = None  # an OnlineMode value
    abolished: bool = False  # the procedure is abolished from the effective date
    template_id: int | None = None  # a draft ProcessTemplate of the procedure to publish

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.time_value is not None:
            out["time_value"] = str(self.time_value)
        if self.removed_documents:
            out["removed_documents"] = list(self.removed_documents)
        if self.fees:
            out["fees"] = [[fee_id, amount] for fee_id, amount in self.fees]
        if self.online_mode is not None:
            out["online_mode"] = self.online_mode
        if self.abolished:
            out["abolished"] = True
        if self.template_id is not None:
            out["template_id"] = self.template_id
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Changes:
        time_value = data.get("time_value")
        return cls(
            time_value=Decimal(time_value) if time_value is not None else None,
            removed_documents=tuple(data.get("removed_documents", ())),
            fees=tuple((int(f), int(a)) for f, a in data.get("fees", ())),
            online_mode=data.get("online_mode"),
            abolished=bool(data.get("abolished", False)),
            template_id=data.get("template_id"),
        )

    @property
    def empty(self) -> bool:
        return not self.as_json()


def vnd(amount: int) -> str:
    """1200000 → "1.200.000" (Vietnamese writes thousands with dots)."""
    return f"{int(amount):,}".replace(",", ".")


def number_text(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def time_label(value: Decimal, unit: str) -> str:
    """10 ngày làm việc."""
    label = TimeUnit(unit).label if unit in TimeUnit.values else unit
    return f"{number_text(value)} {label}"


def channel_label(channel: str) -> str:
    return str(Channel(channel).label) if channel in Channel.values else channel


def mode_label(mode: str | None) -> str:
    return str(OnlineMode(mode).label) if mode in OnlineMode.values else (mode or "")


def summary(procedure: Procedure, changes: Changes) -> str:
    """The decision's changes in one line, for lists and the admin."""
    parts = []
    if changes.time_value is not None:
        parts.append(
            _("thời hạn giải quyết còn %(value)s") % {"value": number_text(changes.time_value)}
        )
    if changes.removed_documents:
        parts.append(_("bỏ %(n)s thành phần hồ sơ") % {"n": len(changes.removed_documents)})
    if changes.fees:
        parts.append(_("sửa %(n)s khoản phí, lệ phí") % {"n": len(changes.fees)})
    if changes.online_mode is not None:
        parts.append(
            _("dịch vụ công trực tuyến: %(mode)s")
            % {"mode": mode_label(changes.online_mode).lower()}
        )
    if changes.abolished:
        parts.append(_("bãi bỏ thủ tục"))
    if changes.template_id is not None:
        parts.append(_("áp dụng quy trình xử lý mới"))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
