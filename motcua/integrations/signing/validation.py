"""``check_pdf``: what a PDF's signature says, judged by pyHanko against given trust roots,
with no outbound call (docs/signatures.md "Verification").

The judgment is made at the time of the signature's timestamp when there is one: a result
signed B-LTA stays valid after its certificate expires (the authority's token proves the
signature existed while the certificate was valid, and the document timestamp covers the
validation data embedded beside it). Without a timestamp, the only time is the signer's own
claim, so the certificate must be valid now. Revocation is checked against what the document
embeds (B-LT), never fetched: a request must not wait on a CA's servers.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


class UnreadablePdfError(ValueError):
    """The bytes are not a PDF pyHanko can read."""


@dataclass(frozen=True)
class PdfCheck:
    """The verdict on a PDF's first signature (an agency signs a result once).

    ``signed``: the file carries a signature at all; ``intact``: the signed bytes are
    unchanged and nothing but validation data and timestamps was added after; ``trusted``:
    the signer's certificate chains to a trust root and was valid at ``validated_at``;
    ``timestamped``: the signature has a valid timestamp from a trusted authority."""

    signed: bool
    intact: bool = False
    trusted: bool = False
    timestamped: bool = False
    signer: str = ""  # the certificate's subject common name
    organisation: str = ""  # its subject organisation
    signer_claimed_at: dt.datetime | None = None  # the signer's own clock
    timestamp_at: dt.datetime | None = None  # the authority's time
    validated_at: dt.datetime | None = None  # the moment the chain was judged at
    problems: list[str] = field(default_factory=list)  # for the logs; the page says its own

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


def _context(roots: list[Any] | None, reader: Any, moment: dt.datetime | None) -> Any:
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError
    from pyhanko_certvalidator import ValidationContext

    kwargs: dict[str, Any] = {
        "trust_roots": roots,
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
    }
    if moment is not None:
        # A judgment in the past: the revocation data embedded may be younger than that.
        kwargs.update(moment=moment, retroactive_revinfo=True)
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except NoDSSFoundError:
        return ValidationContext(**kwargs)


def _roots(trust_roots: Sequence[str]) -> list[Any] | None:
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder(list(trust_roots))) if trust_roots else None


def _name_part(cert: Any, part: str) -> str:
    return str(cert.subject.native.get(part) or "")


def _timestamps_intact(reader: Any, roots: list[Any] | None) -> bool:
    """Every document timestamp (B-LTA's last revision) still matches its bytes."""
    from pyhanko.sign.validation import validate_pdf_timestamp

    for stamp in reader.embedded_timestamp_signatures:
        status = validate_pdf_timestamp(stamp, _context(roots, reader, None), skip_diff=True)
        if not status.intact or not status.valid:
            return False
    return True


def _judge(
    sig: Any, reader: Any, roots: list[Any] | None, moment: dt.datetime | None
) -> tuple[Any, bool]:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature

    status = validate_pdf_signature(sig, _context(roots, reader, moment))
    level = status.modification_level
    unchanged = level is None or level <= ModificationLevel.LTA_UPDATES
    return status, bool(status.intact and status.valid and unchanged and status.docmdp_ok)


def check_pdf(
    data: bytes, *, trust_roots: Sequence[str] = (), now: dt.datetime | None = None
) -> PdfCheck:
    """The verdict on ``data``'s signature. ``trust_roots``: PEM or DER files (the system's
    roots when empty); ``now`` stands for the present (a test looks at a signature years on).
    ``UnreadablePdfError`` when pyHanko cannot read the file."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    roots = _roots(trust_roots)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise UnreadablePdfError(str(exc)) from None
    if not signatures:
        return PdfCheck(signed=False)
    sig = signatures[0]
    try:
        status, intact = _judge(sig, reader, roots, now)
        intact = intact and _timestamps_intact(reader, roots)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        return PdfCheck(signed=True, problems=[f"{type(exc).__name__}: {exc}"])
    stamp = status.timestamp_validity
    timestamp_at = stamp.timestamp if stamp is not None else None
    validated_at = now
    if not status.trusted and stamp is not None and stamp.intact and stamp.valid:
        # Judged again at the authority's time: a certificate (the signer's, the
        # authority's) expired since still verifies.
        status, intact_then = _judge(sig, reader, roots, timestamp_at)
        intact = intact and intact_then
        stamp = status.timestamp_validity
        validated_at = timestamp_at
    trusted = bool(status.trusted)
    timestamped = bool(stamp and stamp.intact and stamp.valid and stamp.trusted)
    cert = status.signing_cert
    problems = [] if trusted else [str(status.trust_problem_indic or "untrusted")]
    return PdfCheck(
        signed=True,
        intact=intact,
        trusted=trusted,
        timestamped=timestamped,
        signer=_name_part(cert, "common_name"),
        organisation=_name_part(cert, "organization_name"),
        signer_claimed_at=status.signer_reported_dt,
        timestamp_at=timestamp_at,
        validated_at=validated_at or status.validation_time,
        problems=problems,
    )
