"""A SoftHSM token in a directory of its own, holding the test agency's key and certificate:
the PKCS#11 path of signing exercised as on an HSM or a USB token (docs/signatures.md).

SoftHSM reads its configuration from ``SOFTHSM2_CONF`` when the module is initialised, once
per process, so ``make_token`` sets it in this process's environment: make the token before
anything loads the module."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

MODULE_PATHS = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
KEY_ID = "01"


@dataclass(frozen=True)
class SoftHsmToken:
    module: str
    label: str
    key_label: str
    pin: str
    config: Path


def softhsm_module() -> str | None:
    """The SoftHSM PKCS#11 module and its tool, if installed (Debian: ``softhsm2``)."""
    if shutil.which("softhsm2-util") is None:
        return None
    return next((path for path in MODULE_PATHS if Path(path).is_file()), None)


def make_token(
    directory: Path,
    *,
    key_pem: Path,
    cert: x509.Certificate,
    label: str = "motcua-test",
    key_label: str = "agency",
    pin: str = "123456",
    so_pin: str = "12345678",
) -> SoftHsmToken:
    module = softhsm_module()
    if module is None:
        raise RuntimeError("SoftHSM is not installed (apt-get install softhsm2)")
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    config = directory / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n",
        encoding="utf-8",
    )
    os.environ["SOFTHSM2_CONF"] = str(config)
    util = shutil.which("softhsm2-util") or "softhsm2-util"
    for args in (
        ["--init-token", "--free", "--label", label, "--so-pin", so_pin, "--pin", pin],
        [
            "--import",
            str(key_pem),
            "--token",
            label,
            "--label",
            key_label,
            "--id",
            KEY_ID,
            "--pin",
            pin,
        ],
    ):
        subprocess.run(  # noqa: S603 (a fixed tool with our own arguments)
            [util, *args], check=True, capture_output=True, env=os.environ.copy(), timeout=60
        )
    _store_certificate(module, label, key_label, pin, cert)
    return SoftHsmToken(module, label, key_label, pin, config)


def add_key(
    token: SoftHsmToken, *, key_pem: Path, cert: x509.Certificate, key_label: str, key_id: str
) -> None:
    """Another key and its certificate on ``token`` (a leader's, beside the agency's)."""
    util = shutil.which("softhsm2-util") or "softhsm2-util"
    subprocess.run(  # noqa: S603 (a fixed tool with our own arguments)
        [
            util,
            "--import",
            str(key_pem),
            "--token",
            token.label,
            "--label",
            key_label,
            "--id",
            key_id,
            "--pin",
            token.pin,
        ],
        check=True,
        capture_output=True,
        env=os.environ.copy(),
        timeout=60,
    )
    _store_certificate(token.module, token.label, key_label, token.pin, cert, key_id)


def _store_certificate(
    module: str, label: str, key_label: str, pin: str, cert: x509.Certificate, key_id: str = KEY_ID
) -> None:
    """The certificate beside the key, same label and id, as a CA's enrolment tool leaves it
    (softhsm2-util imports keys only)."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(module).get_token(token_label=label)
    with token.open(rw=True, user_pin=pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: key_label,
                Attribute.ID: bytes.fromhex(key_id),
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
