"""From a draft to a dossier: saving what the citizen typed and uploaded, and submitting.

Submission is one transaction: consume the draft's one-time token (a conditional UPDATE, so
of two simultaneous posts only one proceeds), create the dossier with its files as digitised
documents through ``dossiers.actions.submit_online`` (status 1) and mark the draft
submitted. Anything refused rolls all of it back, the token included.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import PurePath
from typing import Any

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from motcua.catalog.models import Channel, Procedure
from motcua.core import uploads
from motcua.dossiers.actions import Applicant, Application, ReceivedDocument, submit_online
from motcua.dossiers.models import ApplicantKind, Dossier, ResultDelivery
from motcua.org.models import Desk
from motcua.portal.models import Draft, DraftFile, new_token
from motcua.portal.procedures import Slot


class AlreadySubmittedError(Exception):
    """The form's token was used already: ``dossier`` is what it created (or None when
    the form is simply stale)."""

    def __init__(self, dossier: Dossier | None) -> None:
        super().__init__(dossier.code if dossier else "stale")
        self.dossier = dossier


def open_draft(user: Any, procedure: Procedure) -> Draft:
    """The citizen's draft for the procedure; a submitted one starts over, empty."""
    draft, _created = Draft.objects.get_or_create(user=user, procedure=procedure)
    if draft.dossier_id is not None:
        for held in draft.files.all():
            _discard(held)
        draft.data, draft.dossier, draft.submit_token = {}, None, new_token()
        draft.save(update_fields=["data", "dossier", "submit_token", "updated_at"])
    return draft


def _discard(held: DraftFile) -> None:
    name, storage = held.file.name, held.file.storage
    held.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _keep(draft: Draft, document_id: int, upload: UploadedFile) -> None:
    kind = uploads.check(upload)
    previous = draft.files.filter(document_id=document_id).first()
    if previous is not None:
        _discard(previous)
    held = DraftFile(
        draft=draft,
        document_id=document_id,
        original_name=(upload.name or "")[:255],
        content_type=kind.content_type,
        size=upload.size or 0,
    )
    held.file.save(uploads.stored_name(kind=kind), upload, save=False)
    held.save()


@transaction.atomic
def save_draft(draft: Draft, *, values: dict[str, str], files: dict[int, UploadedFile]) -> None:
    for document_id, upload in files.items():
        _keep(draft, document_id, upload)
    draft.data = values
    draft.save(update_fields=["data", "updated_at"])


@transaction.atomic
def submit_draft(
    draft: Draft,
    *,
    token: str,
    citizen: Any,
    values: dict[str, str],
    files: dict[int, UploadedFile],
    slots: list[Slot],
    desk: Desk,
    picked: dict[int, int] | None = None,
) -> Dossier:
    """Create the dossier (status 1) from the draft, once per token. ``picked`` names the
    item of the citizen's document store attached to a required document instead of a file
    (recorded as a reused, digitised document: docs/document-store.md)."""
    consumed = (
        Draft.objects.filter(pk=draft.pk, submit_token=token)
        .exclude(submit_token="")
        .update(submit_token="")
    )
    if not consumed:
        draft.refresh_from_db(fields=["dossier"])
        raise AlreadySubmittedError(draft.dossier)
    held = {f.document_id: f for f in draft.files.all()}
    picked = {pk: item for pk, item in (picked or {}).items() if pk not in files}
    chosen = [
        slot
        for slot in slots
        if slot.document.pk in held or slot.document.pk in files or slot.document.pk in picked
    ]
    with ExitStack() as opened:
        copies = {
            slot.document.pk: _copy(slot, files, held, opened)
            for slot in chosen
            if slot.document.pk not in picked
        }
        dossier = submit_online(
            application=_application(draft, values, chosen, copies, desk, picked), citizen=citizen
        )
    for source in held.values():
        _discard(source)
    draft.dossier, draft.data = dossier, {}
    draft.save(update_fields=["dossier", "data", "updated_at"])
    return dossier


def _copy(
    slot: Slot,
    files: dict[int, UploadedFile],
    held: dict[int, DraftFile],
    opened: ExitStack,
) -> File:
    """The file for a document: uploaded now, or else the one the draft holds, open until
    ``opened`` closes (kept under its stored name)."""
    upload = files.get(slot.document.pk)
    if upload is not None:
        return uploads.for_storage(upload)
    stored = opened.enter_context(held[slot.document.pk].file.open("rb"))
    return File(stored, name=PurePath(stored.name or "").name)


def _application(
    draft: Draft,
    values: dict[str, str],
    chosen: list[Slot],
    copies: dict[int, File],
    desk: Desk,
    picked: dict[int, int],
) -> Application:
    return Application(
        procedure=draft.procedure,
        desk=desk,
        channel=Channel.ONLINE,
        applicant=Applicant(
            kind=ApplicantKind.CITIZEN,
            name=values["applicant_name"],
            id_number=values["applicant_id_number"],
            phone=values["applicant_phone"],
            email=values["applicant_email"],
            address=values["applicant_address"],
        ),
        documents=[
            ReceivedDocument(
                slot.document.name,
                originals=slot.document.originals,
                copies=slot.document.copies,
                digitised=True,
                file=copies.get(slot.document.pk),
                stored=picked.get(slot.document.pk),
            )
            for slot in chosen
        ],
        result_delivery=values["result_delivery"] or ResultDelivery.ONLINE,
        delivery_address=values["delivery_address"],
    )
