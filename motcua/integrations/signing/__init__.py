"""Signing a PDF as an agency: PAdES with pyHanko, a visible stamp, an RFC 3161 timestamp.

This package knows keys, PDFs and the timestamp authority's protocol, and no record of ours
(the outbox that calls it is ``dossiers/signatures.py``; docs/signatures.md).

- **Keys** (``keys.py``): a PKCS#12 file with its passphrase (``Pkcs12Key``) or a key on a
  PKCS#11 token, an HSM or a USB token behind its vendor's module (``Pkcs11Key``). Secrets
  arrive as values; where they come from (environment variables) is the caller's business.
- **The signature** (``pades.py`` ``sign_pdf``): PAdES (ETSI EN 319 142, sub-filter
  ``ETSI.CAdES.detached``), SHA-256, a visible stamp on the last page (``stamp.py``: the
  agency, the signer, the time in Vietnam, the verification address and its QR code). With
  a timestamp authority the level is B-LTA: a signature timestamp (B-T), the certificates
  and revocation data of the signer and the authority in the document security store (B-LT),
  then a document timestamp over all of it (B-LTA), so the signature can still be checked
  after the certificate expires or its CA disappears. Without one it is B-B: the signing
  time is the signer's own claim.
- **Checking** (``validation.py`` ``check_pdf``): the verdict on a PDF's signature against
  the trust roots, at the time of its timestamp, with no outbound call.
- **Failures** are ``SigningError(message, retryable=...)``: the timestamp authority down,
  slow or answering garbage, a token absent → retryable; a key file missing, a wrong
  passphrase or PIN, a PDF that cannot be parsed, a certificate not valid now → not.
"""

from motcua.integrations.signing.keys import KeySource, Pkcs11Key, Pkcs12Key
from motcua.integrations.signing.pades import (
    PERSONAL_FIELD_NAME,
    PERSONAL_REASON,
    SignedPdf,
    SigningError,
    Stamp,
    TimestampAuthority,
    sign_pdf,
)
from motcua.integrations.signing.validation import PdfCheck, UnreadablePdfError, check_pdf

__all__ = [
    "PERSONAL_FIELD_NAME",
    "PERSONAL_REASON",
    "KeySource",
    "PdfCheck",
    "Pkcs11Key",
    "Pkcs12Key",
    "SignedPdf",
    "SigningError",
    "Stamp",
    "TimestampAuthority",
    "UnreadablePdfError",
    "check_pdf",
    "sign_pdf",
]
