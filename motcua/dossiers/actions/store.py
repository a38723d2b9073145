"""The citizen's document store ("Kho giấy tờ", docs/document-store.md): what enters it (the
results returned to the citizen, the digitised documents they submitted), what the citizen
removes from it, and their consent for the desks to use it.

Items are added in the transaction of the action that returns the result or receives the
documents, one row per (owner, source): a repeated call adds nothing, and an item the citizen
deleted never comes back. The store refers to the dossier's files; it never copies or deletes
them: the dossier's documents and results are the agency's record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.access import is_citizen
from motcua.core.actions import ActionError, User, invalid, now, person
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierResult,
    SignatureStatus,
    StoreConsent,
    StoredDocument,
    StoredKind,
    StoreEvent,
    StoreEventKind,
)
from motcua.dossiers.store import store_owner

# How long a consent given on the portal lasts unless the citizen says otherwise.
CONSENT_HOURS = 24
MAX_CONSENT_HOURS = 24 * 30


def _sha256(stored: object) -> str:
    """The SHA-256 of a stored file, "" when it cannot be read (the item still points at it)."""
    digest = hashlib.sha256()
    try:
        with stored.open("rb") as handle:  # type: ignore[attr-defined]
            for chunk in iter(lambda: handle.read(65536), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return ""
    return digest.hexdigest()


def _add(owner_id: int, items: list[StoredDocument], *, at: dt.datetime) -> list[StoredDocument]:
    """Insert the items the store lacks (a concurrent twin is ignored by the unique pairs) and
    note each new one in the store's trail."""
    if not items:
        return []
    StoredDocument.objects.bulk_create(items, ignore_conflicts=True)
    documents = [i.document_id for i in items if i.document_id]
    results = [i.result_id for i in items if i.result_id]
    new = list(
        StoredDocument.objects.filter(owner_id=owner_id, events__isnull=True).filter(
            document_id__in=documents
        )
    ) + list(
        StoredDocument.objects.filter(owner_id=owner_id, events__isnull=True).filter(
            result_id__in=results
        )
    )
    StoreEvent.objects.bulk_create(
        StoreEvent(owner_id=owner_id, kind=StoreEventKind.ADDED, at=at, item=i, dossier=i.dossier)
        for i in new
    )
    return new


def keep_documents(*, dossier: Dossier, at: dt.datetime | None = None) -> list[StoredDocument]:
    """Put the dossier's digitised documents into the applicant's store (a desk's scan or the
    citizen's upload); a copy taken from the store or an earlier dossier is there already."""
    owner_id = store_owner(dossier)
    if owner_id is None:
        return []
    at = at or now()
    known = set(
        StoredDocument.objects.filter(owner_id=owner_id, dossier_id=dossier.pk).values_list(
            "document_id", flat=True
        )
    )
    documents: Iterable[DossierDocument] = (
        DossierDocument.objects.filter(dossier_id=dossier.pk, digitised=True, reused=False)
        .exclude(file="")
        .exclude(pk__in=[k for k in known if k])
    )
    valid_from = timezone.localdate(dossier.received_at or at)
    items = [
        StoredDocument(
            owner_id=owner_id,
            kind=StoredKind.DOCUMENT,
            dossier=dossier,
            document=document,
            name=document.name,
            sha256=_sha256(document.file),
            valid_from=valid_from,
        )
        for document in documents
    ]
    return _add(owner_id, items, at=at)


def keep_results(*, dossier: Dossier, at: dt.datetime | None = None) -> list[StoredDocument]:
    """Put the dossier's electronic results into the applicant's store once returned. A result
    still awaiting its signature (returned by post) enters too; it can be downloaded once
    signed (``store.stored_file``)."""
    owner_id = store_owner(dossier)
    if owner_id is None:
        return []
    at = at or now()
    known = set(
        StoredDocument.objects.filter(owner_id=owner_id, dossier_id=dossier.pk).values_list(
            "result_id", flat=True
        )
    )
    results: Iterable[DossierResult] = (
        DossierResult.objects.filter(dossier_id=dossier.pk)
        .exclude(file="")
        .exclude(pk__in=[k for k in known if k])
    )
    items = [
        StoredDocument(
            owner_id=owner_id,
            kind=StoredKind.RESULT,
            dossier=dossier,
            result=result,
            name=result.name,
            sha256=result.signed_sha256 if result.signature == SignatureStatus.SIGNED else "",
            valid_from=timezone.localdate(result.issued_at or at),
            # The validity of a result is not in the catalogue yet: "không thời hạn" until a
            # procedure states one.
            valid_until=None,
        )
        for result in results
    ]
    return _add(owner_id, items, at=at)


def _ensure_citizen(user: User) -> int:
    """Only the citizen themself acts on their store (an officer never does): their id."""
    if not is_citizen(user) or user.pk is None:
        raise ActionError(
            "not_a_citizen", _("Chỉ công dân chủ kho mới thực hiện được."), status=403
        )
    return int(user.pk)


@transaction.atomic
def delete_stored_document(*, item: StoredDocument, citizen: User) -> StoredDocument:
    """The citizen removes an item from their store. Only the store's copy goes: the dossier's
    document or result, and its file, stay (docs/document-store.md "Deleting")."""
    owner_id = _ensure_citizen(citizen)
    item = StoredDocument.objects.select_for_update().get(pk=item.pk)
    if item.owner_id != owner_id:
        raise ActionError("not_yours", _("Giấy tờ này không thuộc kho của bạn."), status=404)
    if item.deleted_at is not None:
        raise ActionError("already_deleted", _("Giấy tờ này đã được xóa khỏi kho."), status=409)
    at = now()
    item.deleted_at = at
    item.save(update_fields=["deleted_at"])
    StoreEvent.objects.create(
        owner_id=owner_id,
        kind=StoreEventKind.DELETED,
        at=at,
        actor=person(citizen),
        item=item,
        dossier_id=item.dossier_id,
    )
    return item


@transaction.atomic
def grant_store_consent(*, citizen: User, hours: int = CONSENT_HOURS) -> StoreConsent:
    """The citizen lets the reception desks attach items of their store to a dossier made out
    to their verified ID number, for ``hours`` (at most 30 days)."""
    if not 1 <= hours <= MAX_CONSENT_HOURS:
        raise invalid("bad_hours", _("Thời hạn đồng ý từ 1 giờ đến 30 ngày."))
    at = now()
    owner_id = _ensure_citizen(citizen)
    consent = StoreConsent.objects.create(
        owner_id=owner_id, granted_at=at, expires_at=at + dt.timedelta(hours=hours)
    )
    StoreEvent.objects.create(
        owner_id=owner_id,
        kind=StoreEventKind.CONSENT_GRANTED,
        at=at,
        actor=person(citizen),
        consent=consent,
    )
    return consent


@transaction.atomic
def withdraw_store_consent(*, citizen: User) -> int:
    """The citizen withdraws every consent in force; the number withdrawn."""
    owner_id = _ensure_citizen(citizen)
    at = now()
    consents = list(
        StoreConsent.objects.select_for_update().filter(
            owner_id=owner_id, withdrawn_at__isnull=True, expires_at__gt=at
        )
    )
    for consent in consents:
        consent.withdrawn_at = at
        consent.save(update_fields=["withdrawn_at"])
        StoreEvent.objects.create(
            owner_id=owner_id,
            kind=StoreEventKind.CONSENT_WITHDRAWN,
            at=at,
            actor=person(citizen),
            consent=consent,
        )
    return len(consents)


__all__ = [
    "delete_stored_document",
    "grant_store_consent",
    "keep_documents",
    "keep_results",
    "withdraw_store_consent",
]
