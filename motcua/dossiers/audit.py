"""Verification of the dossiers' tamper-evident history (DESIGN.md rule 3).

Each event's hash covers its content and the previous event's hash; the dossier keeps the
chain's head. A changed event no longer matches its hash; a removed one leaves a gap in the
sequence or a head that no event has; an inserted or reordered one breaks the links.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.models.events import GENESIS


@dataclass(frozen=True)
class Problem:
    dossier: str
    seq: int | None
    event_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"sự kiện #{self.seq} (id {self.event_id})" if self.seq is not None else "chuỗi"
        return f"{self.dossier}: {where}: {self.message}"


def verify_chain(dossier: Dossier, events: list[DossierEvent] | None = None) -> list[Problem]:
    events = events if events is not None else list(dossier.events.order_by("seq"))
    problems: list[Problem] = []
    previous_hash = GENESIS
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            problems.append(
                Problem(
                    dossier.code,
                    event.seq,
                    event.pk,
                    f"thiếu sự kiện #{expected_seq}–#{event.seq - 1} (đã bị xóa)",
                )
            )
        if event.prev_hash != previous_hash:
            problems.append(
                Problem(dossier.code, event.seq, event.pk, "không nối với sự kiện liền trước")
            )
        if event.compute_hash() != event.hash:
            problems.append(Problem(dossier.code, event.seq, event.pk, "nội dung đã bị sửa"))
        previous_hash = event.hash
        expected_seq = event.seq + 1
    if dossier.event_seq != len(events) or (events and dossier.event_head != events[-1].hash):
        problems.append(
            Problem(
                dossier.code,
                None,
                None,
                f"hồ sơ ghi {dossier.event_seq} sự kiện, còn {len(events)} (sự kiện cuối bị xóa"
                " hoặc đầu chuỗi bị sửa)",
            )
        )
    return problems


def verify_all(batch: int = 500) -> Iterator[Problem]:
    """Every dossier's chain, streaming in batches of dossiers."""
    last_id = 0
    while True:
        dossiers = list(Dossier.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not dossiers:
            return
        by_dossier: dict[int, list[DossierEvent]] = {d.pk: [] for d in dossiers}
        for event in DossierEvent.objects.filter(dossier_id__in=by_dossier).order_by(
            "dossier_id", "seq"
        ):
            by_dossier[event.dossier_id].append(event)
        for dossier in dossiers:
            yield from verify_chain(dossier, by_dossier[dossier.pk])
        last_id = dossiers[-1].pk
