"""Refusing at reception (Form 03): an online submission the desk will not accept, and a
dossier refused at the desk, kept under a code so the applicant has a written answer
(docs/architecture.md rules 1–2)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.actions import User, invalid, now
from motcua.dossiers.actions.application import Application
from motcua.dossiers.actions.reception import _create
from motcua.dossiers.actions.transitions import append_event, ensure, lock
from motcua.dossiers.counters import bump_daily
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import authorise, authorise_reception
from motcua.dossiers.status import DossierStatus


@transaction.atomic
def refuse_submission(*, dossier: Dossier, officer: User, reason: str) -> Dossier:
    """Refuse an online submission at reception (Form 03), with the reasons."""
    if not reason.strip():
        raise invalid("reason_required", _("Cần nêu lý do từ chối."))
    dossier = lock(dossier)
    target = ensure(dossier, "refuse")
    authorise(dossier, officer, "refuse")
    at = now()
    previous = dossier.status
    dossier.status = target or dossier.status
    dossier.save(update_fields=["status", "updated_at"])
    append_event(
        dossier,
        kind="refuse",
        actor=officer,
        at=at,
        from_status=previous,
        to_status=dossier.status,
        reason=reason.strip(),
    )
    bump_daily(dossier, "refused", at)
    return dossier


@transaction.atomic
def refuse_at_desk(*, application: Application, officer: User, reason: str) -> Dossier:
    """Refuse at the desk a dossier that cannot be accepted (Form 03); the refusal is kept
    under a code so the applicant has a written answer."""
    if not reason.strip():
        raise invalid("reason_required", _("Cần nêu lý do từ chối."))
    authorise_reception(application.desk, officer)
    at = now()
    dossier = _create(application, status=DossierStatus.REFUSED, actor=officer, at=at)
    append_event(
        dossier,
        kind="refuse",
        actor=officer,
        at=at,
        to_status=DossierStatus.REFUSED,
        reason=reason.strip(),
    )
    bump_daily(dossier, "refused", at)
    return dossier


__all__ = ["refuse_at_desk", "refuse_submission"]
