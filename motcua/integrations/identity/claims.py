"""What the identity provider says about the person, mapped to the fields of a profile.

Standard claims (OpenID Connect Core §5.1): ``name`` (else ``family_name`` + ``middle_name``
+ ``given_name``), ``birthdate``, ``phone_number``, ``email`` and their ``*_verified`` flags.
The personal ID number has no standard claim: ``OIDC_ID_NUMBER_CLAIM`` names it (a dotted
path reaches into a nested object, e.g. ``citizen.id_number``). Values are passed on as
strings, unvalidated: the accounts app decides what it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str  # the provider's stable, never reassigned id of the person ("sub")
    name: str = ""
    id_number: str = ""
    birthdate: str = ""  # YYYY-MM-DD as the provider sent it
    phone: str = ""
    phone_verified: bool = False
    email: str = ""
    email_verified: bool = False


def claim(claims: dict[str, Any], path: str) -> Any:
    """``claims["a"]["b"]`` for ``"a.b"``; None when any step is missing."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return " ".join(str(value).split())


def map_claims(claims: dict[str, Any], *, issuer: str, id_number_claim: str) -> Identity:
    """The person described by validated ``claims`` (which must hold ``sub``)."""
    name = _text(claims.get("name")) or " ".join(
        part
        for part in (_text(claims.get(k)) for k in ("family_name", "middle_name", "given_name"))
        if part
    )
    return Identity(
        issuer=issuer,
        subject=str(claims["sub"]),
        name=name,
        id_number=_text(claim(claims, id_number_claim)),
        birthdate=_text(claims.get("birthdate")),
        phone=_text(claims.get("phone_number")),
        phone_verified=claims.get("phone_number_verified") is True,
        email=_text(claims.get("email")),
        email_verified=claims.get("email_verified") is True,
    )
