"""Who the citizen is and which dossiers are theirs: the portal's door.

Which dossiers are a citizen's is ``dossiers/citizens.py``'s rule (the postal service asks it
too); it is re-exported here for the portal's pages. See docs/security.md "Nobody sees or
changes what is not theirs".
"""

from __future__ import annotations

from typing import Any

from motcua.accounts import profiles
from motcua.dossiers.citizens import (
    citizen_dossiers,
    dossier_for_citizen,
    verified_id_number,
)

__all__ = ["citizen_dossiers", "dossier_for_citizen", "prefill", "verified_id_number"]

APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address")


def prefill(user: Any) -> dict[str, str]:
    """The applicant fields (name, id_number, phone, email, address) known for the user."""
    known = profiles.prefill(user)
    if not known.get("name"):
        known["name"] = user.get_full_name() or ""
    if not known.get("email"):
        known["email"] = getattr(user, "email", "") or ""
    return {key: str(known.get(key) or "") for key in APPLICANT_FIELDS}
