"""``sign_pdf``: one PAdES signature with a visible stamp (the package's docstring)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from motcua.integrations.signing.errors import SigningError
from motcua.integrations.signing.keys import KeySource, open_signer

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
FIELD_NAME = "ChuKySoCoQuan"
REASON = "Ký số kết quả giải quyết thủ tục hành chính"
# A leader's personal signature, before the agency's (docs/signatures.md).
PERSONAL_FIELD_NAME = "ChuKySoLanhDao"
PERSONAL_REASON = "Lãnh đạo phê duyệt kết quả giải quyết thủ tục hành chính"
# The stamp's field, in points from the last page's bottom right corner; a second signature
# (``slot`` 1) stands above the first, so both stamps show.
STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN, STAMP_GAP = 290, 80, 28, 8


@dataclass(frozen=True)
class TimestampAuthority:
    """An RFC 3161 timestamp authority over HTTP(S)."""

    url: str
    timeout: int = 15


@dataclass(frozen=True)
class Stamp:
    """What the visible stamp says besides the signer (read from the certificate) and the
    time: ``title`` (the agency's stamp text), ``agency`` (its display name, also the
    signature's /Name unless ``name`` is given), the address where the document can be
    verified. ``font_path``: a TrueType font with Vietnamese glyphs (pyHanko's built-in font
    has none). A person's stamp (a leader's) gives ``signer_title``, their position, printed
    under their name, and ``name``, theirs."""

    title: str
    agency: str
    verify_url: str
    font_path: str = ""
    signer_title: str = ""
    name: str = ""


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    signer: str  # the certificate's subject common name
    signed_at: dt.datetime
    level: str  # "B-LTA" with a timestamp authority, "B-B" without


class _TsaError(Exception):
    """The timestamp authority did not give a usable token (down, slow, refusing, garbage)."""


def _timestamper(tsa: TimestampAuthority) -> Any:
    from asn1crypto import tsp
    from pyhanko.sign.timestamps import HTTPTimeStamper

    class CheckedTimeStamper(HTTPTimeStamper):
        """pyHanko's HTTP client, with every way the authority can fail made one error:
        an answer that does not parse or does not grant is no better than none."""

        async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
            try:
                response = await super().async_request_tsa_response(req)
                status = response["status"]["status"].native
            except Exception as exc:
                raise _TsaError(f"{type(exc).__name__}: {exc}") from None
            if status not in ("granted", "granted_with_mods"):
                raise _TsaError(f"từ chối cấp dấu thời gian ({status})")
            return response

    return CheckedTimeStamper(tsa.url, timeout=tsa.timeout)


def _validation_context(trust_roots: Sequence[str], fetch_revocation: bool) -> Any:
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko_certvalidator import ValidationContext

    try:
        roots = list(load_certs_from_pemder(list(trust_roots))) if trust_roots else None
    except (OSError, ValueError) as exc:
        raise SigningError(
            f"không đọc được chứng thư gốc tin cậy: {exc}", retryable=False
        ) from None
    return ValidationContext(
        trust_roots=roots,
        allow_fetching=fetch_revocation,
        # Revocation data is embedded when it can be had; a CA without CRL or OCSP (a
        # private test CA) does not stop the signature.
        revocation_mode="soft-fail",
    )


def _stamp_box(data: bytes, slot: int = 0) -> tuple[int, tuple[int, int, int, int]]:
    """The last page's index and the stamp's box in its bottom right corner, ``slot`` stamps
    up."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        last = len(reader.pages) - 1
        box = reader.pages[last].mediabox
    except Exception as exc:
        raise SigningError(f"không đọc được tệp PDF: {exc}", retryable=False) from None
    right, bottom = int(box.right), int(box.bottom)
    width = min(STAMP_WIDTH, int(box.width) - 2 * STAMP_MARGIN)
    x2, y1 = right - STAMP_MARGIN, bottom + STAMP_MARGIN + slot * (STAMP_HEIGHT + STAMP_GAP)
    return last, (x2 - width, y1, x2, y1 + STAMP_HEIGHT)


def _common_name(signer: Any) -> str:
    subject = signer.signing_cert.subject.native
    return str(subject.get("common_name") or signer.signing_cert.subject.human_friendly)


def sign_pdf(
    data: bytes,
    *,
    key: KeySource,
    stamp: Stamp,
    tsa: TimestampAuthority | None = None,
    trust_roots: Sequence[str] = (),
    fetch_revocation: bool = True,
    field_name: str = FIELD_NAME,
    reason: str = REASON,
    slot: int = 0,
) -> SignedPdf:
    """``data`` signed once by ``key``: PAdES B-LTA with ``tsa``, B-B without; the stamp on
    the last page. ``trust_roots`` (PEM or DER files; the system's when empty) are where the
    signer's and the authority's chains must end for their validation data to be embedded;
    ``fetch_revocation`` lets pyHanko fetch CRLs and OCSP answers named in the certificates.

    A PDF already signed is signed again in an incremental update, in a new field
    ``field_name`` whose stamp stands ``slot`` stamps up: the earlier signatures stay valid
    (a leader's, then the agency's: docs/signatures.md)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    from motcua.integrations.signing.stamp import stamp_style

    page, box = _stamp_box(data, slot)
    with open_signer(key) as signer:
        common_name = _common_name(signer)
        at = dt.datetime.now(tz=VIETNAM)
        lta = tsa is not None
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            name=stamp.name or stamp.agency,
            reason=reason,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=lta,
            use_pades_lta=lta,
            validation_context=_validation_context(trust_roots, fetch_revocation) if lta else None,
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,  # type: ignore[arg-type]
            timestamper=_timestamper(tsa) if tsa is not None else None,
            stamp_style=stamp_style(stamp.font_path, personal=bool(stamp.signer_title)),
            new_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box),
        )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            output = pdf_signer.sign_pdf(
                writer,
                appearance_text_params={
                    "title": stamp.title,
                    "agency": stamp.agency,
                    "signer": common_name,
                    "position": stamp.signer_title,
                    "at": at.strftime("%d/%m/%Y %H:%M"),
                    "url": stamp.verify_url,
                },
                output=io.BytesIO(),
            )
        except _TsaError as exc:
            raise SigningError(f"máy chủ dấu thời gian lỗi: {exc}", retryable=True) from None
        except (PathBuildingError, PathValidationError) as exc:
            raise SigningError(
                f"chứng thư số không hợp lệ hoặc không dẫn tới gốc tin cậy: {exc}",
                retryable=False,
            ) from None
        except SigningError:
            raise
        except Exception as exc:
            if _caused_by_token(exc):
                raise SigningError(f"token lỗi khi ký: {exc}", retryable=True) from None
            raise
    return SignedPdf(output.getvalue(), common_name, at, "B-LTA" if lta else "B-B")


def _caused_by_token(exc: BaseException) -> bool:
    try:
        import pkcs11
    except ImportError:  # pragma: no cover
        return False
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, pkcs11.exceptions.PKCS11Error):
            return True
        current = current.__cause__ or current.__context__
    return False
