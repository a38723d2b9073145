"""Which dossiers are a citizen's: the door for the applicant themself (docs/architecture.md
rule 5).

Only a citizen passes it (``accounts.access.is_citizen``: an active account that holds no
role at any agency, active or not, and is not staff): an officer who receives dossiers at a
desk is never their owner, even when she keeps a portal session open.

A dossier belongs to a citizen when they submitted it online (``applicant_account``) or when
it was received at a desk for their ID number and that number is verified on their profile.
Typing someone else's ID number into an online application makes no dossier theirs. Anything
else is the same 404 as a dossier that does not exist. The portal's pages and the apps that
serve the applicant beside it (the postal service) ask this one rule.
See docs/security.md "Nobody sees or changes what is not theirs".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from motcua.accounts import profiles
from motcua.accounts.access import is_citizen
from motcua.dossiers.models import Dossier

__all__ = ["citizen_dossiers", "dossier_for_citizen", "owns", "verified_id_number"]


def verified_id_number(user: Any) -> str:
    profile = profiles.profile_for(user)
    if profile is None or not profile.id_verified:
        return ""
    return profile.id_number.strip()


def citizen_dossiers(user: Any) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False) or not is_citizen(user):
        return Dossier.objects.none()
    mine = Q(applicant_account_id=user.pk)
    number = verified_id_number(user)
    if number:
        # Made out to the number at a desk (no account filed it): the desk checked who the
        # applicant is. An online submission typing someone else's number stays its filer's.
        mine |= Q(applicant_id_number=number, applicant_account__isnull=True)
    return Dossier.objects.filter(mine)


def owns(user: Any, dossier: Dossier) -> bool:
    """Whether ``dossier`` is the citizen ``user``'s own."""
    return citizen_dossiers(user).filter(pk=dossier.pk).exists()


def dossier_for_citizen(user: Any, code: str, *, for_update: bool = False) -> Dossier:
    """The citizen's dossier, or Http404 for missing and someone else's alike. ``for_update``
    locks the row (inside the caller's transaction)."""
    dossiers = citizen_dossiers(user).select_related("procedure", "desk", "current_agency")
    if for_update:
        dossiers = dossiers.select_for_update(of=("self",))
    dossier = dossiers.filter(code=code).first()
    if dossier is None:
        raise Http404(code)
    return dossier
