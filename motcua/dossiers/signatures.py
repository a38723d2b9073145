"""The signing outbox: a result's PDF signed by its competent agency's key, as a job that
survives a crash (docs/signatures.md; the engine: ``core/outbox``, docs/decisions/outbox.md).

- ``mark_result_ready`` calls ``queue_signature`` in its transaction when it stores a PDF
  result and the competent agency has an active key: the result is "awaiting signature"
  (``DossierResult.signature``), a ``ResultSigning`` row is written, and its task is queued
  on commit. Nothing of the result is handed out while it waits (``published_file``), and
  ``return_result`` waits for it.
- The task (``sign_result_task``) claims the row and calls ``sign_result``, which signs the
  original upload (never a signed copy: a retry cannot add a second signature), stores the
  signed copy under a new random name, and records it on the result with a conditional
  UPDATE (awaiting → signed). A row whose result is already signed is done without
  signing. A crash between storing and recording leaves an unreferenced file and a row
  claimed again after its lease: the result ends with one signed copy, never two.
- A leader's personal signature first, where the deciding step asks for it
  (``DossierStep.personal_signature``): ``queue_signature`` marks the result "awaiting the
  leader" with no job; the leader signs in the request (``sign_personally``, called by the
  action ``sign_result_personally``), the PDF with their signature is kept in
  ``personal_file``, and only then is the agency's job queued (``queue_agency_signature``).
  The job signs ``personal_file`` when there is one, in an incremental update: both
  signatures stay valid, and a retry still starts from the same bytes.
- The timestamp authority down, slow or answering garbage, or the token away → the job is
  retried with the engine's backoff (1, 2, 4 … 60 minutes, ``SIGNING_MAX_ATTEMPTS``); a key
  that cannot be opened (missing file or variable, wrong passphrase or PIN) fails at once
  for an operator, who fixes it and signs again from the admin. ``drain_signatures`` (every
  minute) picks up retries and lost tasks.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django_tasks import task

from motcua.core.env import env_str
from motcua.core.outbox.engine import DRAIN_BATCH, Outbox, Outcome, retry_later, send_on_commit
from motcua.core.outbox.errors import DeliveryError
from motcua.core.outbox.models import OutboxStatus
from motcua.core.uploads import PDF, stored_name
from motcua.dossiers.models import (
    DossierResult,
    DossierStep,
    ResultSigning,
    SignatureStatus,
    StoredDocument,
)
from motcua.integrations.signing import (
    PERSONAL_FIELD_NAME,
    PERSONAL_REASON,
    KeySource,
    Pkcs11Key,
    Pkcs12Key,
    SignedPdf,
    SigningError,
    Stamp,
    TimestampAuthority,
    sign_pdf,
)
from motcua.signing.models import KeyKind, SigningKey
from motcua.signing.queries import active_key

FONT = Path(__file__).resolve().parent / "printed" / "fonts" / "NotoSerif-Regular.ttf"
VERIFY_PATH = "/xac-thuc/"
ALREADY_SIGNED = "already-signed"

OUTBOX = Outbox(
    ResultSigning,
    name="signing",
    related=["result__dossier", "key"],
    max_attempts_setting="SIGNING_MAX_ATTEMPTS",
)


def verify_url(code: str) -> str:
    """The public page that will say whether a result of dossier ``code`` is genuine."""
    query = urllib.parse.urlencode({"ma": code})
    return f"{settings.MOTCUA_PUBLIC_URL}{VERIFY_PATH}?{query}"


# ---- written by mark_result_ready, in its transaction -----------------------------------------


def is_pdf(upload: Any) -> bool:
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    return bool(head == b"%PDF-")


def queue_signature(
    result: DossierResult, upload: Any, step: DossierStep | None = None
) -> ResultSigning | None:
    """Mark ``result`` awaiting its agency's signature and queue the job, when signing is on,
    ``upload`` is a PDF and the competent agency has an active key; else None (the result
    is served as uploaded). When ``step`` (the step that decided) asks for its leader's
    personal signature, the result awaits that first, and no job is queued yet."""
    if not settings.SIGNING_ENABLED or not is_pdf(upload):
        return None
    if step is not None and step.personal_signature:
        DossierResult.objects.filter(pk=result.pk).update(
            signature=SignatureStatus.AWAITING_LEADER, personal_step=step
        )
        result.signature, result.personal_step = SignatureStatus.AWAITING_LEADER, step
        return None
    return queue_agency_signature(result)


def queue_agency_signature(result: DossierResult) -> ResultSigning | None:
    """The agency's job for ``result``, if its competent agency has an active key (the
    result then awaits it); else None."""
    key = active_key(result.dossier.competent_agency_id)
    if key is None:
        return None
    DossierResult.objects.filter(pk=result.pk).update(signature=SignatureStatus.AWAITING)
    result.signature = SignatureStatus.AWAITING
    signing = ResultSigning.objects.create(result=result, key=key)
    send_on_commit(sign_result_task, signing.pk)
    return signing


# ---- the sender ---------------------------------------------------------------------------


def _secret(key: SigningKey) -> str:
    secret = env_str(key.secret_env)
    if secret is None:
        raise DeliveryError(
            f"chưa đặt biến môi trường {key.secret_env} (mật khẩu/PIN của khóa «{key}»)",
            retryable=False,
        )
    return secret


def key_source(key: SigningKey, secret: str | None = None) -> KeySource:
    """Where ``key`` is and how to open it, with ``secret`` (typed by its holder) or its
    secret read from its variable now."""
    if secret is None:
        secret = _secret(key)
    if key.kind == KeyKind.PKCS12:
        return Pkcs12Key(path=key.pkcs12_path, passphrase=secret)
    return Pkcs11Key(
        module=key.pkcs11_module,
        token_label=key.token_label,
        key_label=key.key_label,
        pin=secret,
        cert_label=key.cert_label,
        certificate_path=key.certificate_path,
    )


def _to_sign(result: DossierResult) -> bytes:
    """What the agency signs: the PDF its leader signed, if one had to, else the upload;
    never a copy the agency signed (a retry cannot add a second agency signature)."""
    stored_file = result.personal_file or result.file
    try:
        with stored_file.open("rb") as stored:
            return bytes(stored.read())
    except (OSError, ValueError) as exc:
        raise DeliveryError(f"không đọc được tệp kết quả: {exc}", retryable=True) from None


def sign_result(signing: ResultSigning) -> str:
    """Sign one claimed job's result (the module's docstring); the signed file's SHA-256."""
    result = DossierResult.objects.select_related("dossier").get(pk=signing.result_id)
    if result.signature == SignatureStatus.SIGNED:
        return ALREADY_SIGNED  # done by an earlier attempt whose outcome was lost
    key = signing.key
    try:
        signed = sign_pdf(
            _to_sign(result),
            key=key_source(key),
            stamp=Stamp(
                title=key.stamp_text,
                agency=key.signer_name,
                verify_url=verify_url(result.dossier.code),
                font_path=str(FONT),
            ),
            tsa=_tsa(),
            trust_roots=settings.MOTCUA_SIGNING_TRUST_ROOTS,
            fetch_revocation=settings.MOTCUA_SIGNING_FETCH_REVOCATION,
            # Above the leader's stamp when there is one.
            slot=1 if result.personal_file else 0,
        )
    except SigningError as exc:
        raise DeliveryError(str(exc), retryable=exc.retryable) from None
    digest = hashlib.sha256(signed.data).hexdigest()
    name = store_signed(result, signed.data)
    field = result.signed_file.field
    recorded = DossierResult.objects.filter(
        pk=result.pk, signature=SignatureStatus.AWAITING
    ).update(
        signature=SignatureStatus.SIGNED,
        signed_file=name,
        signed_sha256=digest,
        signed_at=signed.signed_at,
        signed_by=signed.signer[:255],
    )
    if not recorded:  # signed meanwhile by another job: keep theirs
        field.storage.delete(name)
        return ALREADY_SIGNED
    ResultSigning.objects.filter(pk=signing.pk).update(level=signed.level)
    # A result returned by post before its signature is in a store already: it now stands
    # for the signed copy.
    StoredDocument.objects.filter(result_id=result.pk).update(sha256=digest)
    return digest


def _tsa() -> TimestampAuthority | None:
    if not settings.MOTCUA_TSA_URL:
        return None
    return TimestampAuthority(settings.MOTCUA_TSA_URL, timeout=settings.MOTCUA_TSA_TIMEOUT)


def store_signed(result: DossierResult, data: bytes) -> str:
    """A signed PDF of ``result`` in storage under a new random name; the name."""
    field = result.signed_file.field
    return str(
        field.storage.save(
            field.generate_filename(result, stored_name(kind=PDF)), ContentFile(data)
        )
    )


# ---- a leader's personal signature, in the request (the action sign_result_personally) ------


def sign_personally(result: DossierResult, key: SigningKey, pin: str) -> SignedPdf:
    """The upload of ``result`` signed by its leader's ``key``, opened with ``pin`` (typed
    now, never kept) or, when none is typed, the key's variable. ``SigningError`` if not:
    a wrong PIN (not retryable), the authority or the token away (retryable)."""
    secret = pin or (env_str(key.secret_env) if key.secret_env else None)
    if not secret:
        raise SigningError("cần nhập mã PIN (mật khẩu) của khóa ký số", retryable=False)
    try:
        with result.file.open("rb") as stored:
            data = bytes(stored.read())
    except (OSError, ValueError) as exc:
        raise SigningError(f"không đọc được tệp kết quả: {exc}", retryable=True) from None
    return sign_pdf(
        data,
        key=key_source(key, secret),
        stamp=Stamp(
            title=key.stamp_text,
            agency=key.agency.name,
            verify_url=verify_url(result.dossier.code),
            font_path=str(FONT),
            signer_title=key.signer_title or "Lãnh đạo",
            name=key.signer_name,
        ),
        tsa=_tsa(),
        trust_roots=settings.MOTCUA_SIGNING_TRUST_ROOTS,
        fetch_revocation=settings.MOTCUA_SIGNING_FETCH_REVOCATION,
        field_name=PERSONAL_FIELD_NAME,
        reason=PERSONAL_REASON,
    )


def signing_troubles(dossier_id: int) -> dict[int, tuple[bool, str]]:
    """For the staff page: each result of the dossier whose signing job has met an error,
    by result id → (whether the job has failed for good, its last error)."""
    jobs = (
        ResultSigning.objects.filter(result__dossier_id=dossier_id)
        .exclude(last_error="")
        .exclude(status=OutboxStatus.SENT)
        .order_by("pk")
        .values_list("result_id", "status", "last_error")
    )
    return {result: (status == OutboxStatus.FAILED, error) for result, status, error in jobs}


def deliver(signing_id: int) -> Outcome:
    return OUTBOX.deliver(signing_id, sign_result)


def drain(*, limit: int = DRAIN_BATCH) -> dict[str, int]:
    """Run every signing job due now: retries and jobs whose task was lost."""
    return OUTBOX.drain(sign_result, limit=limit).as_dict()


def sign_again(rows: QuerySet[ResultSigning]) -> list[int]:
    """An operator's "Ký lại" on failed jobs (after fixing the key or its secret)."""
    ids = OUTBOX.reset_failed(rows)
    for pk in ids:
        send_on_commit(sign_result_task, pk)
    return ids


@task()
def sign_result_task(signing_id: int) -> str:
    """Run one signing job; queued on commit by ``mark_result_ready``."""
    outcome = deliver(signing_id)
    retry_later(sign_result_task, signing_id, outcome)
    return outcome.status


@task()
def drain_result_signatures() -> dict[str, Any]:
    return drain()
