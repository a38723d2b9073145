"""Who the citizen is and which dossiers are theirs: the portal's one door.

A dossier belongs to a citizen when they submitted it (``created_by``) or when it was made
out to their ID number and that number is verified on their profile (a dossier received at
a desk for them). Anything else is the same 404 as a dossier that does not exist.

Profiles come from ``motcua.accounts.profiles`` (``profile_for(user)``, ``prefill(user)``);
until that module exists the user's own fields stand in. A profile's ID number counts for
access only when ``profile.id_verified`` is true.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from motcua.dossiers.models import Dossier

APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address")


def _profiles() -> ModuleType | None:
    try:
        return import_module("motcua.accounts.profiles")
    except ImportError:
        return None


def prefill(user: Any) -> dict[str, str]:
    """The applicant fields (name, id_number, phone, email, address) known for the user."""
    profiles = _profiles()
    known: dict[str, Any] = {}
    if profiles is not None and hasattr(profiles, "prefill"):
        known = dict(profiles.prefill(user) or {})
    if not known.get("name"):
        known["name"] = user.get_full_name() or ""
    if not known.get("email"):
        known["email"] = getattr(user, "email", "") or ""
    return {key: str(known.get(key) or "") for key in APPLICANT_FIELDS}


def verified_id_number(user: Any) -> str:
    profiles = _profiles()
    if profiles is None or not hasattr(profiles, "profile_for"):
        return ""
    profile = profiles.profile_for(user)
    if profile is None or not getattr(profile, "id_verified", False):
        return ""
    return str(getattr(profile, "id_number", "") or "").strip()


def citizen_dossiers(user: Any) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    mine = Q(created_by_id=user.pk)
    number = verified_id_number(user)
    if number:
        mine |= Q(applicant_id_number=number)
    return Dossier.objects.filter(mine)


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
