"""Which key signs."""

from __future__ import annotations

from motcua.signing.models import SigningKey, SigningPurpose


def active_key(agency_id: int, purpose: str = SigningPurpose.AGENCY) -> SigningKey | None:
    """The agency's key in use for ``purpose``, if it has one."""
    return SigningKey.objects.filter(agency_id=agency_id, purpose=purpose, active=True).first()


def personal_key(user_id: int | None) -> SigningKey | None:
    """The person's own key in use (docs/signatures.md "A leader's personal signature")."""
    if user_id is None:
        return None
    return SigningKey.objects.filter(
        user_id=user_id, purpose=SigningPurpose.PERSONAL, active=True
    ).first()
