"""Reads of dossiers that several screens and the API share (worklists, search)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.text import fold, normalize
from motcua.dossiers.access import Scope
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import ACTIVE, PAUSED, DossierStatus
from motcua.workcalendar.hours import add_working_hours
from motcua.workcalendar.store import calendar_for

LIST_RELATED = ("procedure", "current_agency", "current_step", "desk")


def with_list_data(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.select_related(*LIST_RELATED)


def my_steps(scope: Scope) -> QuerySet[Dossier]:
    """What the user's agencies hold now and must move on, soonest due first."""
    return with_list_data(
        Dossier.objects.filter(
            current_agency_id__in=scope.working_agencies,
            status__in=ACTIVE - PAUSED,
        ).order_by("due_at", "received_at")
    )


def desk_queue(scope: Scope) -> QuerySet[Dossier]:
    """At the user's desks: online submissions to receive and results to return."""
    return with_list_data(
        Dossier.objects.filter(
            Q(desk_id__in=scope.desks) | Q(receiving_agency_id__in=scope.reception_agencies),
            status__in=[DossierStatus.SUBMITTED, DossierStatus.RESULT_READY],
        ).order_by("status", "due_at", "submitted_at")
    )


def due_soon(scope: Scope, *, at: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Held by the user's agencies and due within one working day (not yet overdue)."""
    moment = at or timezone.now()
    horizon = add_working_hours(calendar_for(), moment, dt.timedelta(hours=8))
    return my_steps(scope).filter(due_at__gte=moment, due_at__lte=horizon)


def overdue(scope: Scope, *, at: dt.datetime | None = None) -> QuerySet[Dossier]:
    moment = at or timezone.now()
    return my_steps(scope).filter(due_at__lt=moment)


def search(scope: Scope, query: str) -> QuerySet[Dossier]:
    """By code (or its tail), applicant name (with or without diacritics), phone or ID."""
    text = normalize(query)
    visible = scope.visible()
    if not text:
        return visible.none()
    digits = "".join(ch for ch in text if ch.isdigit())
    condition = Q(code__iexact=text) | Q(code__endswith=text)
    if digits and len(digits) >= 6:
        condition |= Q(applicant_phone__endswith=digits) | Q(applicant_id_number=digits)
    condition |= Q(applicant_folded__contains=fold(text))
    return with_list_data(visible.filter(condition).order_by("-received_at"))
