"""Pytest fixtures for signing (loaded from the root conftest): the test CA once per session,
a SoftHSM token holding the agency's key and a leader's (labelled ``LEADER_KEY_LABEL``) once
per session (skipped, with the reason, where SoftHSM is not installed; CI installs it), and a
fresh timestamp authority per test.
``validate`` is the independent check: pyHanko's own validation, trusting the test root."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from motcua.devtools.fakes.tsa import FakeTimestampAuthority
from motcua.devtools.signing.pki import SigningPki, make_test_pki
from motcua.devtools.signing.softhsm import SoftHsmToken, add_key, make_token, softhsm_module

LEADER_KEY_LABEL = "leader"


@pytest.fixture(scope="session")
def signing_pki(tmp_path_factory: pytest.TempPathFactory) -> SigningPki:
    return make_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def softhsm_token(
    signing_pki: SigningPki, tmp_path_factory: pytest.TempPathFactory
) -> SoftHsmToken:
    if softhsm_module() is None:
        pytest.skip("SoftHSM is not installed (Debian: apt-get install softhsm2)")
    token = make_token(
        tmp_path_factory.mktemp("softhsm"),
        key_pem=signing_pki.agency.key_path,
        cert=signing_pki.agency.cert,
    )
    # A leader's personal key on the same token, under its own label.
    add_key(
        token,
        key_pem=signing_pki.leader.key_path,
        cert=signing_pki.leader.cert,
        key_label=LEADER_KEY_LABEL,
        key_id="02",
    )
    return token


@pytest.fixture
def tsa(signing_pki: SigningPki) -> Iterator[FakeTimestampAuthority]:
    with FakeTimestampAuthority(
        cert=signing_pki.tsa.cert, key=signing_pki.tsa.key, chain=(signing_pki.root.cert,)
    ) as authority:
        yield authority


def validate(data: bytes, pki: SigningPki, index: int = 0) -> tuple[Any, Any]:
    """pyHanko's validation of the document's signature (the ``index``-th, in the order
    they were made), trusting only the test root, with no network: (the signature's
    status, the reader)."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(pki.root.cert_path))],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    reader = PdfFileReader(io.BytesIO(data))
    return validate_pdf_signature(reader.embedded_regular_signatures[index], context), reader
