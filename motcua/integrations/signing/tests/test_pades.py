"""Signing a PDF as an agency (motcua/integrations/signing, docs/signatures.md), checked by
pyHanko's own validation trusting the test root: through SoftHSM over PKCS#11 and from a
PKCS#12 file, with the local RFC 3161 authority, and every way the authority and the key can
fail."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from motcua.core.tests import samples
from motcua.devtools.signing.fixtures import validate
from motcua.devtools.signing.pki import AGENCY_CN, PKCS12_PASSPHRASE
from motcua.integrations.signing import (
    Pkcs11Key,
    Pkcs12Key,
    SigningError,
    Stamp,
    TimestampAuthority,
    sign_pdf,
)
from motcua.integrations.signing.pades import FIELD_NAME

FONT = "motcua/dossiers/printed/fonts/NotoSerif-Regular.ttf"
STAMP = Stamp(
    title="Bản điện tử đã được ký số",
    agency="Sở Tư pháp tỉnh Đồng Tháp",
    verify_url="https://dichvucong.example.vn/xac-thuc/?ma=000.00.12.H20-260302-0001",
    font_path=FONT,
)


def hsm_key(token: Any, **changes: str) -> Pkcs11Key:
    key = Pkcs11Key(
        module=token.module, token_label=token.label, key_label=token.key_label, pin=token.pin
    )
    return dataclasses.replace(key, **changes)


def p12_key(pki: Any, passphrase: str = PKCS12_PASSPHRASE) -> Pkcs12Key:
    return Pkcs12Key(path=str(pki.pkcs12_path), passphrase=passphrase)


def sign(
    pki: Any, key: Any, tsa: Any = None, *, timeout: int = 5, data: bytes = samples.PDF
) -> Any:
    return sign_pdf(
        data,
        key=key,
        stamp=STAMP,
        tsa=TimestampAuthority(tsa.url, timeout=timeout) if tsa is not None else None,
        trust_roots=[str(pki.root.cert_path)],
        fetch_revocation=False,
    )


def test_signed_through_softhsm_with_a_timestamp_validates_independently(
    signing_pki, softhsm_token, tsa
):
    signed = sign(signing_pki, hsm_key(softhsm_token), tsa)
    assert signed.signer == AGENCY_CN and signed.level == "B-LTA"
    status, reader = validate(signed.data, signing_pki)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == AGENCY_CN
    # A signature timestamp from the authority, chaining to the test root (B-T) …
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted
    # … then validation data and a document timestamp over everything (B-LTA).
    assert reader.embedded_timestamp_signatures
    assert "/DSS" in reader.root
    assert str(status.modification_level) == "ModificationLevel.LTA_UPDATES"
    assert (
        tsa.issued >= 2
    )  # the signature's and the document's (pyHanko may ask once more to size the first)


def test_a_changed_byte_breaks_the_signature(signing_pki, softhsm_token, tsa):
    signed = sign(signing_pki, hsm_key(softhsm_token), tsa)
    assert signed.data.count(b"/Producer (pypdf)") == 1  # in the signed original
    tampered = signed.data.replace(b"/Producer (pypdf)", b"/Producer (pypdF)")
    assert len(tampered) == len(signed.data)
    status, _ = validate(tampered, signing_pki)
    # The document's digest no longer matches what was signed; pyHanko's verdict is "no".
    assert not status.intact and not status.bottom_line


def test_the_stamp_is_on_the_last_page(signing_pki, softhsm_token, tsa):
    signed = sign(signing_pki, hsm_key(softhsm_token), tsa, data=samples.pdf_bytes(pages=3))
    _, reader = validate(signed.data, signing_pki)
    field = reader.embedded_regular_signatures[0]
    assert field.field_name == FIELD_NAME
    widget = field.sig_field
    assert widget["/P"].get_object() == reader.root["/Pages"]["/Kids"][2].get_object()
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert x2 - x1 > 200 and y2 - y1 > 50  # visible, not a hidden field


def test_a_pkcs12_file_signs_too(signing_pki, tsa):
    signed = sign(signing_pki, p12_key(signing_pki), tsa)
    status, _ = validate(signed.data, signing_pki)
    assert status.intact and status.trusted and status.timestamp_validity is not None
    assert signed.signer == AGENCY_CN


def test_without_an_authority_the_signature_is_b_b(signing_pki):
    signed = sign(signing_pki, p12_key(signing_pki))
    status, reader = validate(signed.data, signing_pki)
    assert signed.level == "B-B"
    assert status.intact and status.trusted and status.timestamp_validity is None
    assert not reader.embedded_timestamp_signatures


@pytest.mark.parametrize(
    "misbehave",
    [
        pytest.param(lambda tsa: tsa.go_down(), id="down"),
        pytest.param(lambda tsa: tsa.garbage_next(1), id="garbage"),
        pytest.param(lambda tsa: tsa.refuse_next(1), id="refusal"),
        pytest.param(lambda tsa: tsa.delay_next(1, 2.5), id="slow"),
    ],
)
def test_an_authority_that_fails_is_worth_another_try(signing_pki, tsa, misbehave):
    misbehave(tsa)
    with pytest.raises(SigningError) as refused:
        sign(signing_pki, p12_key(signing_pki), tsa, timeout=1)
    assert refused.value.retryable
    assert "dấu thời gian" in str(refused.value)


def test_a_wrong_passphrase_or_a_missing_file_needs_an_operator(signing_pki, tmp_path):
    for key in (p12_key(signing_pki, "sai"), Pkcs12Key(path=str(tmp_path / "none.p12"))):
        with pytest.raises(SigningError) as refused:
            sign(signing_pki, key)
        assert not refused.value.retryable
        assert PKCS12_PASSPHRASE not in str(refused.value)


def test_a_wrong_pin_needs_an_operator_an_absent_token_another_try(signing_pki, softhsm_token):
    with pytest.raises(SigningError) as wrong_pin:
        sign(signing_pki, hsm_key(softhsm_token, pin="000000"))
    assert not wrong_pin.value.retryable
    with pytest.raises(SigningError) as absent:
        sign(signing_pki, hsm_key(softhsm_token, token_label="rut-ra"))
    assert absent.value.retryable
