"""What the citizen pages read from the catalogue about one procedure.

The expected return dates use the same functions as the catalogue API
(``catalog/api.py``: the competent agency's ``calendar_for`` and ``compute_due_at``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from motcua.catalog.deadlines import method_due_at
from motcua.catalog.models import OnlineMode, Procedure, RequiredDocument, TimeUnit
from motcua.core.text import fold
from motcua.org.models import Desk, DeskKind, UnitLevel
from motcua.workcalendar.store import calendar_for

# Words that make a listed document conditional ("Trường hợp…", "… nếu …"): the national
# data marks nearly every entry mandatory, so these are offered, not demanded.
CONDITIONAL = ("truong hop", "neu ")


@dataclass(frozen=True)
class ChannelFacts:
    channel: str
    label: str
    time: str
    fees: list[tuple[str, int]] = field(default_factory=list)
    fee_text: str = ""
    expected: dt.datetime | None = None


@dataclass(frozen=True)
class Slot:
    """A required document the applicant may upload."""

    document: RequiredDocument
    required: bool

    @property
    def key(self) -> str:
        return f"doc_{self.document.pk}"


def number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def time_text(value: Decimal | None, unit: str, published: str) -> str:
    if value is None or not unit:
        return published
    return f"{number(value)} {TimeUnit(unit).label}"


def channel_facts(procedure: Procedure, now: dt.datetime | None = None) -> list[ChannelFacts]:
    """Time, fees and the expected return date per channel, if submitted ``now``."""
    moment = timezone.localtime(now or timezone.now())
    calendar = calendar_for(procedure.competent_agency_id)
    out = []
    for method in procedure.methods.all():
        due = method_due_at(procedure, method, received_at=moment, calendar=calendar)
        expected = timezone.localtime(due) if due else None
        out.append(
            ChannelFacts(
                channel=method.channel,
                label=str(method.get_channel_display()),
                time=time_text(method.time_value, method.time_unit, method.time_text),
                fees=[(fee.name, fee.amount_vnd) for fee in method.fees.all()],
                fee_text=method.fee_text,
                expected=expected,
            )
        )
    order = {"online": 0, "direct": 1, "postal": 2}
    return sorted(out, key=lambda facts: order.get(facts.channel, 9))


def is_note(document: RequiredDocument) -> bool:
    return fold(document.group).startswith("luu y")


def is_conditional(document: RequiredDocument) -> bool:
    text = f" {fold(document.name)} "
    return any(word in text for word in CONDITIONAL)


def upload_slots(procedure: Procedure) -> list[Slot]:
    """Each document to hand in (a note or a zero-count entry is not one); required when
    the catalogue says mandatory and nothing in its wording makes it conditional."""
    return [
        Slot(doc, required=doc.mandatory and not is_conditional(doc))
        for doc in procedure.documents.all()
        if doc.withdrawn_from is None and not is_note(doc) and (doc.originals or doc.copies)
    ]


def notes(procedure: Procedure) -> list[RequiredDocument]:
    return [
        doc
        for doc in procedure.documents.all()
        if doc.withdrawn_from is None and (is_note(doc) or not doc.originals + doc.copies)
    ]


def is_commune_procedure(procedure: Procedure) -> bool:
    """Decided by the people's committee of the commune where it is submitted."""
    return procedure.competent_agency_id is None and procedure.at_commune


def accepting_desks(procedure: Procedure) -> list[Desk]:
    """Where an online application can be sent: the desks that accept the procedure (not a
    post office, which only carries paper); for a commune procedure, the communes'."""
    desks = (
        procedure.desks.filter(active=True)
        .exclude(kind=DeskKind.POST_OFFICE)
        .select_related("unit", "agency")
    )
    if is_commune_procedure(procedure):
        desks = desks.filter(unit__level=UnitLevel.COMMUNE)
    return list(desks.order_by("kind", "name"))


def applies_online(procedure: Procedure) -> bool:
    return procedure.online_mode in (OnlineMode.FULL, OnlineMode.PARTIAL)
