"""Where an agency's private key is: a PKCS#12 file or a PKCS#11 token (docs/signatures.md).

``open_signer`` opens the key for one signature and closes it after (a token's session is
not kept between jobs: a USB token unplugged and plugged back works on the next attempt).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from motcua.integrations.signing.errors import SigningError


@dataclass(frozen=True)
class Pkcs12Key:
    """A key and its certificate (with the chain, if the file has it) in a PKCS#12 file."""

    path: str
    passphrase: str = field(default="", repr=False)


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token. ``module`` is the vendor's library (``.so``); the token is
    found by its label, the key by its label, the certificate by ``cert_label`` (the key's
    label when empty) or, for a token that holds only the key, read from
    ``certificate_path`` (PEM or DER)."""

    module: str
    token_label: str
    key_label: str
    pin: str = field(default="", repr=False)
    cert_label: str = ""
    certificate_path: str = ""


KeySource = Pkcs12Key | Pkcs11Key


@contextlib.contextmanager
def open_signer(key: KeySource) -> Iterator[object]:
    """A pyHanko ``Signer`` for ``key``, valid inside the ``with`` block."""
    if isinstance(key, Pkcs12Key):
        yield _pkcs12_signer(key)
    else:
        with _pkcs11_signer(key) as signer:
            yield signer


def _pkcs12_signer(key: Pkcs12Key) -> object:
    from pyhanko.sign.signers import SimpleSigner

    try:
        data = Path(key.path).read_bytes()
    except OSError as exc:
        raise SigningError(
            f"không đọc được tệp khóa PKCS#12 {key.path}: {exc.strerror}", retryable=False
        ) from None
    try:
        return SimpleSigner.load_pkcs12_data(
            data, other_certs=(), passphrase=key.passphrase.encode() or None
        )
    except ValueError:
        raise SigningError(
            f"không mở được tệp khóa PKCS#12 {key.path} (sai mật khẩu hoặc tệp hỏng)",
            retryable=False,
        ) from None


def _load_certificate(path: str) -> object:
    from pyhanko.keys import load_cert_from_pemder

    try:
        return load_cert_from_pemder(path)
    except (OSError, ValueError) as exc:
        raise SigningError(f"không đọc được chứng thư số {path}: {exc}", retryable=False) from None


# PKCS#11 answers that no later attempt can change: the PIN is wrong or locked.
_PERMANENT = ("PinIncorrect", "PinInvalid", "PinLenRange", "PinLocked", "PinExpired")


@contextlib.contextmanager
def _pkcs11_signer(key: Pkcs11Key) -> Iterator[object]:
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if not Path(key.module).is_file():
        raise SigningError(f"không có thư viện PKCS#11 {key.module}", retryable=False)
    signing_cert = _load_certificate(key.certificate_path) if key.certificate_path else None
    try:
        session = open_pkcs11_session(
            key.module,
            token_criteria=TokenCriteria(label=key.token_label),
            user_pin=key.pin or None,
        )
    except pkcs11.exceptions.PKCS11Error as exc:
        name = type(exc).__name__
        raise SigningError(
            f"không mở được token «{key.token_label}»: {name}", retryable=name not in _PERMANENT
        ) from None
    except Exception as exc:  # pyHanko's own "no such token" is a plain error
        raise SigningError(
            f"không tìm thấy token «{key.token_label}»: {exc}", retryable=True
        ) from None
    try:
        yield PKCS11Signer(
            session,
            key_label=key.key_label,
            cert_label=None if signing_cert is not None else (key.cert_label or key.key_label),
            signing_cert=signing_cert,
            # Every certificate on the token: vendors put the CA chain beside the key, and
            # the validation data of B-LT is gathered along it.
            other_certs_to_pull=None,
        )
    finally:
        with contextlib.suppress(Exception):
            session.close()
