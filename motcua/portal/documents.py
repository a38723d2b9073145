"""What the portal reads of the citizen's document store (``dossiers/store.py``): the store
page's rows and the items the online application offers ("Chọn từ Kho giấy tờ")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from motcua.dossiers.models import StoreConsent, StoredDocument
from motcua.dossiers.store import active_consent, citizen_store, signature_of, stored_file

# The store page shows this many items (a citizen has a handful; the rest is paged).
PER_PAGE = 30


@dataclass(frozen=True)
class StoreRow:
    item: StoredDocument
    signature: dict[str, Any]
    available: bool  # a file to download now (not awaiting a signature, not revoked)


def store_rows(items: list[StoredDocument]) -> list[StoreRow]:
    return [StoreRow(i, signature_of(i), bool(stored_file(i))) for i in items]


def store_choices(user: Any) -> list[tuple[int, str]]:
    """The items the citizen can attach to a new application: those with a file now."""
    return [
        (item.pk, f"{item.name} — {item.dossier.code}")
        for item in citizen_store(user)
        if stored_file(item)
    ]


def consent_in_force(user: Any, at: dt.datetime) -> StoreConsent | None:
    return active_consent(user.pk, at)
