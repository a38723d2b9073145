"""A throwaway certificate authority made with ``cryptography``: a root, an agency's signing
certificate (with its key as PKCS#8 PEM and as a PKCS#12 file), a leader's personal one
(the same, under ``LEADER_PASSPHRASE``) and a timestamp authority's
certificate (RSA: pyHanko's dummy timestamper signs with RSA only). Nothing here is secret."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PKCS12_PASSPHRASE = "mat-khau-thu-nghiem"  # noqa: S105 (a test file's public passphrase)
AGENCY_CN = "UBND TINH THU NGHIEM - VAN THU"
LEADER_CN = "NGUYEN VAN LANH DAO"
LEADER_PASSPHRASE = "ma-pin-lanh-dao"  # noqa: S105 (a test file's public passphrase)
TSA_CN = "Dich vu dau thoi gian thu nghiem"


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    cert_path: Path
    key_path: Path  # PKCS#8 PEM, unencrypted

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class SigningPki:
    root: Issued
    agency: Issued
    tsa: Issued
    pkcs12_path: Path  # the agency's key, certificate and root, under PKCS12_PASSPHRASE
    leader: Issued  # a leader's personal certificate
    leader_pkcs12_path: Path  # the leader's key, certificate and root, under LEADER_PASSPHRASE


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _issue(
    directory: Path,
    stem: str,
    common_name: str,
    *,
    issuer: Issued | None,
    now: dt.datetime,
    days: int,
    ca: bool = False,
    timestamping: bool = False,
) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(common_name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    usage = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True, digital_signature=True)
    else:
        usage.update(digital_signature=True, content_commitment=not timestamping)
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Issued(key, cert, cert_path, key_path)


def make_test_pki(directory: Path, *, now: dt.datetime | None = None) -> SigningPki:
    """A root valid ten years, an agency's certificate and a timestamp authority's valid
    two, written under ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now(dt.UTC)
    root = _issue(
        directory, "root", "motcua Test Root CA", issuer=None, now=now, days=3650, ca=True
    )
    agency = _issue(directory, "agency", AGENCY_CN, issuer=root, now=now, days=730)
    tsa = _issue(directory, "tsa", TSA_CN, issuer=root, now=now, days=730, timestamping=True)
    leader = _issue(directory, "leader", LEADER_CN, issuer=root, now=now, days=730)
    pkcs12_path = _pkcs12(directory / "agency.p12", agency, root, PKCS12_PASSPHRASE)
    leader_path = _pkcs12(directory / "leader.p12", leader, root, LEADER_PASSPHRASE)
    return SigningPki(root, agency, tsa, pkcs12_path, leader, leader_path)


def _pkcs12(path: Path, issued: Issued, root: Issued, passphrase: str) -> Path:
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            path.stem.encode(),
            issued.key,
            issued.cert,
            [root.cert],
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )
    return path
