"""The citizen's document store, read side: whose store a dossier feeds, the door to an item,
the file an item stands for (docs/document-store.md).

A dossier feeds the store of the account that filed it online, or, for a dossier received at
a desk, of the one citizen whose verified ID number it is made out to: the same rule as
``dossiers/citizens.py`` (which dossiers are a citizen's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from motcua.accounts.access import is_citizen
from motcua.accounts.models import CitizenProfile
from motcua.dossiers.models import Dossier, StoreConsent, StoredDocument, StoredKind
from motcua.dossiers.status import DossierStatus

__all__ = [
    "StoreOffer",
    "active_consent",
    "citizen_store",
    "owner_by_id_number",
    "revoked",
    "signature_of",
    "store_offer",
    "store_owner",
    "stored_file",
    "stored_for_citizen",
]


def owner_by_id_number(number: str) -> int | None:
    """The account whose verified ID number this is; None for none, or for several (then
    nobody's store is fed by a desk's dossier: which is theirs is not known)."""
    number = number.strip()
    if not number:
        return None
    users = list(
        CitizenProfile.objects.filter(id_number=number, id_verified=True).values_list(
            "user_id", flat=True
        )[:2]
    )
    return users[0] if len(users) == 1 else None


def store_owner(dossier: Dossier) -> int | None:
    """The account whose store the dossier feeds, None for none."""
    if dossier.applicant_account_id is not None:
        return int(dossier.applicant_account_id)
    return owner_by_id_number(dossier.applicant_id_number)


def citizen_store(user: Any) -> QuerySet[StoredDocument]:
    """The citizen's live items (deleted ones left out), newest first."""
    if not getattr(user, "is_authenticated", False) or not is_citizen(user):
        return StoredDocument.objects.none()
    return (
        StoredDocument.objects.filter(owner_id=user.pk, deleted_at__isnull=True)
        .select_related("dossier__procedure", "result", "document")
        .order_by("-added_at", "-pk")
    )


def stored_for_citizen(user: Any, item_id: int) -> StoredDocument:
    """The door to one item of the store: the citizen's own live item, else Http404 for
    missing, deleted and someone else's alike (docs/architecture.md rule 5)."""
    item = citizen_store(user).filter(pk=item_id).first()
    if item is None:
        raise Http404(str(item_id))
    return item


def stored_file(item: StoredDocument) -> Any:
    """The file the item stands for: the document's digitised copy, or the result's published
    file (the signed copy; None while the signature is awaited, or once revoked)."""
    if item.kind == StoredKind.RESULT and item.result is not None:
        if revoked(item):
            return None
        return item.result.published_file
    if item.document is not None and item.document.file:
        return item.document.file
    return None


def revoked(item: StoredDocument) -> bool:
    """Whether the result was revoked. Today a revocation is the dossier's (status 'revoked');
    a result's own revocation, when the model has one, is read here too."""
    if item.kind != StoredKind.RESULT:
        return False
    if getattr(item.result, "revoked_at", None) is not None:
        return True
    return item.dossier.status == DossierStatus.REVOKED


def signature_of(item: StoredDocument) -> dict[str, Any]:
    """What the store page says of the item's signature: signed (by whom, when), awaited,
    none; revoked."""
    result = item.result
    return {
        "signed": bool(result and result.signed_at),
        "signed_by": result.signed_by if result else "",
        "signed_at": result.signed_at if result else None,
        "awaiting": bool(result and result.awaiting_signature),
        "revoked": revoked(item),
    }


@dataclass(frozen=True)
class StoreOffer:
    """What a reception desk may attach from the store of the citizen with an ID number:
    nothing unless that citizen's consent is in force."""

    consent: StoreConsent | None
    items: list[StoredDocument]


def store_offer(id_number: str, at: dt.datetime) -> StoreOffer:
    owner_id = owner_by_id_number(id_number)
    consent = active_consent(owner_id, at) if owner_id is not None else None
    if consent is None:
        return StoreOffer(None, [])
    items = (
        StoredDocument.objects.filter(owner_id=owner_id, deleted_at__isnull=True)
        .select_related("dossier", "document", "result")
        .order_by("-added_at", "-pk")
    )
    return StoreOffer(consent, [item for item in items if stored_file(item)])


def active_consent(owner_id: int, at: dt.datetime) -> StoreConsent | None:
    """The citizen's consent in force at ``at`` for the desks to use their store."""
    return (
        StoreConsent.objects.filter(
            owner_id=owner_id, granted_at__lte=at, expires_at__gt=at, withdrawn_at__isnull=True
        )
        .order_by("-expires_at")
        .first()
    )
