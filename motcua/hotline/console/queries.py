"""What the console reads: the queues, the caller behind a number, dossiers, and the
knowledge base (published answers and the procedure catalogue).

Dossiers come through ``dossiers.access.caller_dossiers``: 1022 operators find any dossier
by the applicant's phone or its code (code, procedure, status and dates only: the dossier
page itself stays behind ``dossiers.access``); agency staff find only the dossiers their own
scope shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, TimeUnit
from motcua.catalog.search import search as search_catalogue
from motcua.core.phones import phone_or_blank, stored_forms
from motcua.core.text import fold, normalize
from motcua.dossiers.access import caller_dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.templatetags.backoffice import format_vnd
from motcua.hotline.access import HotlineScope
from motcua.hotline.contacts import find_contact
from motcua.hotline.models import Contact, PublicAnswer, Ticket
from motcua.hotline.status import OPEN, TicketStatus

CALLER_TICKETS = 10
CALLER_DOSSIERS = 10
KNOWLEDGE_RESULTS = 5


def queue_rows(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The columns of a queue in one query."""
    return tickets.select_related("contact", "agency", "assignee")


def new_tickets(scope: HotlineScope) -> QuerySet[Ticket]:
    """Unclaimed, in the 1022 queue: oldest first, they wait longest."""
    return scope.visible().filter(status=TicketStatus.NEW).order_by("received_at", "id")


def my_tickets(scope: HotlineScope, user_id: int) -> QuerySet[Ticket]:
    return scope.visible().filter(status__in=OPEN, assignee_id=user_id).order_by("due_at", "id")


def routed_tickets(scope: HotlineScope) -> QuerySet[Ticket]:
    """Waiting at an agency (for agency staff: at theirs)."""
    return scope.visible().filter(status=TicketStatus.ROUTED).order_by("due_at", "id")


def overdue_tickets(scope: HotlineScope, at: dt.datetime) -> QuerySet[Ticket]:
    """Open and past due, or escalated: the most escalated, then the latest due, first."""
    return (
        scope.visible()
        .filter(status__in=OPEN)
        .filter(Q(due_at__lt=at) | Q(escalation_level__gt=0))
        .order_by("-escalation_level", "due_at", "id")
    )


def answered_tickets(scope: HotlineScope) -> QuerySet[Ticket]:
    return scope.visible().filter(status=TicketStatus.ANSWERED).order_by("-answered_at", "-id")


# The caller behind a number ------------------------------------------------------------------


@dataclass
class Caller:
    phone: str
    contact: Contact | None = None
    tickets: list[Ticket] = field(default_factory=list)
    dossiers: list[Dossier] = field(default_factory=list)


def caller(hotline: HotlineScope, user: object, typed: str) -> Caller | None:
    """Who is calling from ``typed`` (any common way of writing the number): their contact,
    earlier tickets and dossiers. None until the number is complete."""
    phone = phone_or_blank(typed)
    if not phone:
        return None
    contact = find_contact(phone=phone)
    tickets = []
    if contact is not None:
        tickets = list(
            hotline.visible()
            .filter(contact=contact)
            .select_related("agency")
            .order_by("-received_at")[:CALLER_TICKETS]
        )
    dossiers = list(
        caller_dossiers(user)
        .filter(applicant_phone__in=stored_forms(phone))
        .select_related("procedure")
        .order_by("-received_at", "-submitted_at")[:CALLER_DOSSIERS]
    )
    return Caller(phone, contact, tickets, dossiers)


def dossiers_by_codes(user: object, codes: list[str]) -> list[Dossier]:
    if not codes:
        return []
    return list(caller_dossiers(user).filter(code__in=codes))


def dossier_by_code(user: object, code: str) -> Dossier | None:
    return caller_dossiers(user).filter(code=normalize(code)).first()


# The knowledge base ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Knowledge:
    """One result the operator can insert into the answer."""

    title: str
    text: str
    kind: str  # "answer" (a published answer) or "procedure"
    public_answer_id: int | None = None
    code: str = ""


def answer_knowledge(pk: int) -> Knowledge | None:
    found = PublicAnswer.objects.filter(pk=pk, published=True).first()
    return Knowledge(found.title, found.answer, "answer", public_answer_id=pk) if found else None


def published_answers(text: str, limit: int = KNOWLEDGE_RESULTS) -> list[PublicAnswer]:
    words = fold(text).split()
    if not words:
        return []
    found = PublicAnswer.objects.filter(published=True)
    for word in words[:8]:
        found = found.filter(search_text__icontains=word)
    return list(found.order_by("-views", "-published_at", "-id")[:limit])


def procedure_answer(procedure: Procedure) -> str:
    """A short answer about a procedure, from the catalogue: what to bring, how long, how
    much, and where to read the rest."""
    methods = list(procedure.methods.all())
    method = next((m for m in methods if m.channel == "direct"), methods[0] if methods else None)
    parts = [
        _("Thủ tục «%(name)s» (mã %(code)s).") % {"name": procedure.name, "code": procedure.code}
    ]
    documents = getattr(procedure, "document_count", None)
    if documents:
        parts.append(_("Hồ sơ gồm %(n)s thành phần.") % {"n": documents})
    if method is not None:
        if method.time_value is not None and method.time_unit:
            amount = f"{Decimal(method.time_value).normalize():f}".replace(".", ",")
            parts.append(
                _("Thời hạn giải quyết: %(time)s.")
                % {"time": f"{amount} {TimeUnit(method.time_unit).label}"}
            )
        elif method.time_text:
            parts.append(_("Thời hạn giải quyết: %(time)s.") % {"time": method.time_text})
        fees = list(method.fees.all())
        if fees:
            listed = "; ".join(f"{fee.name}: {format_vnd(fee.amount_vnd)} đồng" for fee in fees)
            parts.append(_("Mức thu: %(fees)s.") % {"fees": listed})
        elif method.fee_text:
            parts.append(_("Phí, lệ phí: %(fees)s.") % {"fees": method.fee_text})
        else:
            parts.append(_("Không thu phí, lệ phí."))
    link = f"{settings.MOTCUA_PUBLIC_URL}/thu-tuc/{procedure.code}/"
    parts.append(_("Xem chi tiết và nộp hồ sơ tại %(link)s") % {"link": link})
    return " ".join(parts)


def _with_facts(procedures: QuerySet[Procedure]) -> QuerySet[Procedure]:
    in_force = Q(documents__withdrawn_from__isnull=True)
    return procedures.annotate(document_count=Count("documents", filter=in_force)).prefetch_related(
        "methods__fees"
    )


def procedure_knowledge(code: str) -> Knowledge | None:
    procedure = _with_facts(Procedure.objects.filter(code=normalize(code), active=True)).first()
    if procedure is None:
        return None
    return Knowledge(procedure.name, procedure_answer(procedure), "procedure", code=procedure.code)


def knowledge(text: str) -> list[Knowledge]:
    """Published answers first (they were written for citizens), then procedures."""
    text = normalize(text)[:200]
    if not text:
        return []
    found = [
        Knowledge(a.title, a.answer, "answer", public_answer_id=a.pk)
        for a in published_answers(text)
    ]
    hits = search_catalogue(text)[: KNOWLEDGE_RESULTS * 4]
    if hits:
        procedures = {
            p.pk: p
            for p in _with_facts(Procedure.objects.filter(pk__in=[h.pk for h in hits], active=True))
        }
        chosen = [procedures[h.pk] for h in hits if h.pk in procedures][:KNOWLEDGE_RESULTS]
        found.extend(
            Knowledge(procedure.name, procedure_answer(procedure), "procedure", code=procedure.code)
            for procedure in chosen
        )
    return found
