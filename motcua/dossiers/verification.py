"""The public verification of results (``/xac-thuc/``, ``GET /api/v1/verify``;
docs/signatures.md "Verification and revocation"): no login, nothing of the applicant.

Three questions, one answer each:

- **By dossier code** (the address on the stamp): the results handed out for that dossier,
  whether each is signed, when and by whom, its SHA-256, and whether it was revoked. The
  code alone already opens the lookup's status and dates (``lookup.py``), so it opens this
  too; an unknown code gets the lookup's own answer, and both count against one per-client
  limit, so codes cannot be enumerated faster here than there.
- **By file** (the upload form): the PDF's signature judged by pyHanko against the
  configured trust roots (``MOTCUA_SIGNING_TRUST_ROOTS``) at the time of its timestamp, and
  whether its SHA-256 is a result's ``signed_sha256``. The upload is read in memory, never
  stored, never logged.
- **By code and SHA-256** (the API): whether that signed result exists and is not revoked.

"Hợp lệ" means all of it: a signature intact and chaining to a trust root, on the very file
the platform issued, not revoked. A valid signature on a file the platform never issued is
not "Hợp lệ" here: this page vouches for the province's results, not for any signed PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.core.ratelimit import Limit
from motcua.dossiers.models import DossierResult, SignatureStatus
from motcua.dossiers.status import DossierStatus
from motcua.integrations.signing import PdfCheck, UnreadablePdfError, check_pdf

# One budget per client for the page, the uploads and the API, as large as the lookup's.
VERIFICATIONS = Limit("verify", per=lambda: settings.LOOKUP_RATE_PER_MINUTE, seconds=60)

# A result is public once handed out (or handed out, then revoked).
HANDED_OUT = (DossierStatus.RETURNED, DossierStatus.REVOKED)

VALID, INVALID, REVOKED = "valid", "invalid", "revoked"


@dataclass(frozen=True)
class IssuedResult:
    """What the public may read of a result: nothing of the applicant."""

    id: int
    name: str
    dossier_code: str
    agency: str  # the competent agency, whose key signs
    signed: bool
    signed_at: dt.datetime | None
    signer: str
    sha256: str
    revoked_at: dt.datetime | None
    revocation_reason: str

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def of(cls, result: DossierResult) -> IssuedResult:
        signed = result.signature == SignatureStatus.SIGNED
        agency = result.dossier.competent_agency
        return cls(
            id=result.pk,
            name=result.name,
            dossier_code=result.dossier.code,
            agency=agency.name if agency is not None else "",
            signed=signed,
            signed_at=result.signed_at if signed else None,
            signer=result.signed_by if signed else "",
            sha256=result.signed_sha256 if signed else "",
            revoked_at=result.revoked_at,
            revocation_reason=result.revocation_reason,
        )


def _results() -> QuerySet[DossierResult]:
    return DossierResult.objects.select_related("dossier__competent_agency").order_by("pk")


def results_of(code: str) -> list[IssuedResult]:
    """The results handed out for dossier ``code`` (none before they are)."""
    rows = _results().filter(dossier__code=code.strip(), dossier__status__in=HANDED_OUT)
    return [IssuedResult.of(r) for r in rows]


def issued_with(sha256: str, *, code: str = "") -> IssuedResult | None:
    """The signed result whose signed copy has this SHA-256 (of dossier ``code`` if given)."""
    rows = _results().filter(signed_sha256=sha256.lower(), signature=SignatureStatus.SIGNED)
    if code:
        rows = rows.filter(dossier__code=code.strip())
    result = rows.first()
    return IssuedResult.of(result) if result is not None else None


def is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value)


@dataclass(frozen=True)
class FileVerdict:
    """The answer on an uploaded file: ``state`` is VALID, INVALID or REVOKED; ``reasons``
    say in Vietnamese why a file is not valid."""

    state: str
    sha256: str
    check: PdfCheck
    issued: IssuedResult | None
    reasons: list[str] = field(default_factory=list)

    @property
    def agency(self) -> str:
        if self.issued is not None and self.issued.agency:
            return self.issued.agency
        return self.check.organisation or self.check.signer


def verify_file(data: bytes) -> FileVerdict:
    """The verdict on ``data`` (a PDF already checked as one by ``core.uploads``)."""
    digest = hashlib.sha256(data).hexdigest()
    issued = issued_with(digest)
    try:
        check = check_pdf(data, trust_roots=settings.MOTCUA_SIGNING_TRUST_ROOTS)
    except UnreadablePdfError:
        check = PdfCheck(signed=False)
        return FileVerdict(
            INVALID, digest, check, issued, [_("Không đọc được tệp PDF để kiểm tra chữ ký số.")]
        )
    reasons = []
    if not check.signed:
        reasons.append(_("Tệp không có chữ ký số."))
    else:
        if not check.intact:
            reasons.append(_("Nội dung tệp đã bị thay đổi sau khi ký."))
        if not check.trusted:
            reasons.append(
                _(
                    "Chứng thư số của người ký không thuộc tổ chức cung cấp dịch vụ chứng thực "
                    "được tin cậy, hoặc không còn hiệu lực vào thời điểm ký."
                )
            )
    if issued is None:
        reasons.append(_("Tệp không trùng với kết quả nào do cơ quan cấp qua hệ thống."))
    if issued is not None and issued.revoked:
        return FileVerdict(REVOKED, digest, check, issued, reasons)
    return FileVerdict(VALID if not reasons else INVALID, digest, check, issued, reasons)
