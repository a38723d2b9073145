"""Reading a citizen's profile: the one door the portal uses to prefill application forms.

``profile_for(user)`` is the profile of a signed-in citizen, or None (anonymous, staff, or a
user without a profile); ``prefill(user)`` is the applicant part of a form, empty strings
where nothing is known, so a form can take it as ``initial`` as is.
"""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import CitizenProfile

PREFILL_FIELDS = ("name", "id_number", "date_of_birth", "phone", "email", "address")


def profile_for(user: Any) -> CitizenProfile | None:
    """The citizen's profile, or None for an anonymous user or one without a profile
    (officers have none)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        profile: CitizenProfile = user.citizen_profile
    except CitizenProfile.DoesNotExist:
        return None
    return profile


def prefill(user: Any) -> dict[str, str]:
    """The applicant fields of an application form from the citizen's profile:
    ``name``, ``id_number``, ``date_of_birth`` (dd/mm/yyyy), ``phone``, ``email``,
    ``address``; every key is present, "" where unknown or when there is no profile."""
    profile = profile_for(user)
    if profile is None:
        return dict.fromkeys(PREFILL_FIELDS, "")
    born = profile.date_of_birth
    return {
        "name": profile.full_name,
        "id_number": profile.id_number,
        "date_of_birth": born.strftime("%d/%m/%Y") if born else "",
        "phone": profile.phone,
        "email": profile.email,
        "address": profile.address,
    }


def find_profile(id_number: str | None = None, phone: str | None = None) -> CitizenProfile | None:
    """The citizen's profile with this ID number or else this phone number, for the desk's
    "Công dân không viết" (None when neither is given or none matches). A profile whose ID
    number the identity provider asserted comes first."""
    profiles = CitizenProfile.objects.order_by("-id_verified", "pk")
    if id_number:
        found = profiles.filter(id_number=id_number).first()
        if found is not None:
            return found
    if phone:
        return profiles.filter(phone=phone).first()
    return None
