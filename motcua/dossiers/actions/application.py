"""What an application brings to reception (docs/decisions/dossiers.md "Actions"): the
applicant, the documents with their files, and where each file comes from: the applicant's
upload, an earlier dossier of the same applicant (``reuse_of``) or the applicant's document
store (``stored``, docs/document-store.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files import File
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.actions import User, invalid, now
from motcua.dossiers.models import (
    DossierDocument,
    ResultDelivery,
    StoreConsent,
    StoredDocument,
)
from motcua.dossiers.store import active_consent, owner_by_id_number, stored_file
from motcua.org.models import Agency, Desk


@dataclass(frozen=True)
class Applicant:
    kind: str
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class ReceivedDocument:
    name: str
    originals: int = 0
    copies: int = 0
    digitised: bool = False
    reused: bool = False
    # The earlier DossierDocument whose digitised file this one reuses (same applicant).
    reuse_of: int | None = None
    # The item of the applicant's document store (``StoredDocument``) attached instead of a
    # file: the citizen's own on the portal, or, at a desk, with the citizen's consent
    # (docs/document-store.md).
    stored: int | None = None
    # The applicant's own copy (an online submission's upload), already checked
    # (``core.uploads.check``) and named as it is to be stored.
    file: File | None = None


@dataclass(frozen=True)
class Application:
    """What the applicant asks for, as the desk or the portal collected it."""

    procedure: Procedure
    desk: Desk
    channel: str
    applicant: Applicant
    documents: list[ReceivedDocument] = field(default_factory=list)
    result_delivery: str = ResultDelivery.DESK
    delivery_address: str = ""
    summary: str = ""
    sets: int = 1
    submitter_name: str = ""
    submitter_phone: str = ""
    # For a commune procedure received outside the commune (Decree 118/2025: regardless of
    # administrative boundary): the commune's people's committee that decides.
    competent_agency: Agency | None = None
    # The home visit (appointments.Appointment id) at which an officer received the dossier
    # (docs/appointments.md "Reception at home"); kept on the dossier and in its receive event.
    origin_appointment: int | None = None


def reused_files(application: Application) -> dict[int, str]:
    """The stored file of each earlier document reused, refused unless it is a digitised
    document of a dossier of the same applicant ID number that a desk received (an online
    submission alone proves nothing about whose number it carries)."""
    ids = {doc.reuse_of for doc in application.documents if doc.reuse_of is not None}
    if not ids:
        return {}
    number = application.applicant.id_number.strip()
    found = dict(
        DossierDocument.objects.filter(
            pk__in=ids, dossier__applicant_id_number=number, dossier__received_at__isnull=False
        )
        .exclude(file="")
        .values_list("pk", "file")
    )
    if not number or set(found) != ids:
        raise invalid(
            "reuse_not_allowed", _("Chỉ dùng lại được bản số hóa của chính chủ hồ sơ này.")
        )
    return found


@dataclass(frozen=True)
class FromStore:
    """The store's items an application attaches: their files, and the consent that let a desk
    use them (None when the citizen attached their own on the portal)."""

    files: dict[int, str]
    owner_id: int | None = None
    consent: StoreConsent | None = None


def stored_files(application: Application, *, account: User | None) -> FromStore:
    """The files of the store's items attached, refused unless each is a live item of the
    submitting citizen's own store (portal) or, at a desk, of the store of the citizen whose
    verified ID number the dossier is made out to, who has consented (docs/document-store.md
    "Consent")."""
    ids = {doc.stored for doc in application.documents if doc.stored is not None}
    if not ids:
        return FromStore({})
    consent = None
    if account is not None:
        owner_id: int | None = account.pk
    else:
        owner_id = owner_by_id_number(application.applicant.id_number)
        consent = active_consent(owner_id, now()) if owner_id is not None else None
        if consent is None:
            raise invalid(
                "store_consent_required",
                _("Công dân chưa đồng ý cho sử dụng giấy tờ trong kho (hoặc đã hết hạn)."),
            )
    items = StoredDocument.objects.filter(
        pk__in=ids, owner_id=owner_id, deleted_at__isnull=True
    ).select_related("dossier", "document", "result")
    files = {item.pk: stored_file(item) for item in items}
    if set(files) != ids or not all(files.values()):
        raise invalid(
            "store_item_unavailable",
            _("Giấy tờ chọn từ kho không còn trong kho hoặc chưa dùng được."),
        )
    return FromStore({pk: str(f.name) for pk, f in files.items()}, owner_id, consent)


def file_of(doc: ReceivedDocument, reused: dict[int, str], from_store: FromStore) -> str:
    if doc.reuse_of is not None:
        return reused.get(doc.reuse_of, "")
    if doc.stored is not None:
        return from_store.files.get(doc.stored, "")
    return ""


def store_files(documents: list[DossierDocument], received: list[ReceivedDocument]) -> None:
    """Write the applicant's own copies once their rows exist (numbered 1, 2, … as given)."""
    for document, doc in zip(documents, received, strict=True):
        if doc.file is not None:
            document.file.save(str(doc.file.name), doc.file)
