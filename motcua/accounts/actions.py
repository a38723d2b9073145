"""The state changes of citizen accounts: register, update the profile, sign in through an
identity provider, link an identity to an account.

Each is one transaction. Phones and emails follow one rule everywhere (``_claim``): an
address verified by another account is never taken from it; an address another account
merely typed in and never verified is released from it, since it never proved it owned it
(otherwise anyone could block a stranger's phone by signing up with it).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.accounts.access import is_citizen
from motcua.accounts.identifiers import Identifier
from motcua.accounts.models import Channel, CitizenProfile
from motcua.accounts.verification import send_verification_code
from motcua.core.id_numbers import birth_year_matches, normalize_id_number
from motcua.core.phones import normalize_mobile
from motcua.integrations.identity.claims import Identity

logger = logging.getLogger(__name__)


class AccountError(Exception):
    """An account change was refused; ``str()`` is the Vietnamese message."""


def new_username() -> str:
    """Citizens sign in with their phone or email; the Django username is an internal,
    random handle that nobody types (and that the staff sign-in page cannot guess)."""
    return f"cd_{secrets.token_hex(10)}"


def _taken_message(channel: str) -> str:
    if channel == Channel.PHONE:
        return _("Số điện thoại này đã được dùng cho một tài khoản khác.")
    return _("Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác.")


def _claim(profile: CitizenProfile, channel: str, value: str, *, verified: bool) -> None:
    """Give ``profile`` the phone or email ``value`` (the module's rule); the caller saves."""
    holders = (
        CitizenProfile.objects.select_for_update().filter(**{channel: value}).exclude(pk=profile.pk)
    )
    for holder in holders:
        if holder.is_verified(channel):
            raise AccountError(_taken_message(channel))
        setattr(holder, channel, "")
        holder.save(update_fields=[channel, "updated_at"])
    if profile.address_of(channel) != value:
        setattr(profile, channel, value)
        setattr(profile, f"verified_{channel}", verified)


@transaction.atomic
def register_citizen(*, full_name: str, identifier: Identifier, password: str) -> Any:
    """Create a citizen account: a user with a Django-hashed password (never staff), a profile
    holding ``identifier`` unverified, and a verification code sent to it. The account signs
    in once the code is entered. Raises ``AccountError`` if another account verified the
    identifier, ``VerificationError`` if the code cannot be sent (nothing is created then)."""
    user = get_user_model().objects.create_user(
        username=new_username(), password=password, first_name=full_name[:150]
    )
    profile = CitizenProfile(user=user, full_name=full_name)
    _claim(profile, identifier.channel, identifier.value, verified=False)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:  # another sign-up took it a moment ago
        raise AccountError(_taken_message(identifier.channel)) from exc
    send_verification_code(user=user, channel=identifier.channel)
    return user


@dataclass(frozen=True)
class ProfileChanges:
    full_name: str
    id_number: str
    date_of_birth: dt.date | None
    phone: str
    email: str
    address: str


@transaction.atomic
def update_profile(*, user: Any, changes: ProfileChanges) -> list[str]:
    """Save the citizen's own edit of their profile; return the channels ("phone", "email")
    whose address changed and so is unverified again (the caller offers to send a code).
    An ID number the citizen changes is not verified (``id_verified``). Values are already
    validated by the form."""
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    changed = []
    for channel, value in ((Channel.PHONE, changes.phone), (Channel.EMAIL, changes.email)):
        if value == profile.address_of(channel):
            continue
        if value:
            _claim(profile, channel, value, verified=False)
        else:
            setattr(profile, channel, "")
            setattr(profile, f"verified_{channel}", False)
        changed.append(channel.value)
    profile.full_name = changes.full_name
    if changes.id_number != profile.id_number:
        profile.id_number, profile.id_verified = changes.id_number, False
    profile.date_of_birth = changes.date_of_birth
    profile.address = changes.address
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        raise AccountError(_taken_message(changed[0] if changed else Channel.PHONE)) from exc
    _sync_user_name(user, profile.full_name)
    return [c for c in changed if profile.address_of(c)]


def _sync_user_name(user: Any, full_name: str) -> None:
    """The shared page header greets users by ``get_full_name()``."""
    if user.first_name != full_name[:150]:
        user.first_name = full_name[:150]
        user.save(update_fields=["first_name"])


@transaction.atomic
def sign_in_with_identity(*, identity: Identity) -> Any:
    """The account linked to the provider's ``(issuer, subject)``, created on the first
    sign-in. Accounts are found by that pair only, never by email, phone or ID number, so a
    provider account cannot take over an account someone else opened with the same email.
    The profile takes what the provider asserts (``_apply``). Raises ``AccountError`` if the
    linked user is an officer."""
    profile = (
        CitizenProfile.objects.select_for_update()
        .select_related("user")
        .filter(oidc_issuer=identity.issuer, oidc_subject=identity.subject)
        .first()
    )
    if profile is None:
        user = get_user_model().objects.create_user(username=new_username(), password=None)
        profile = CitizenProfile(
            user=user, oidc_issuer=identity.issuer, oidc_subject=identity.subject
        )
    elif not is_citizen(profile.user):
        raise AccountError(_("Tài khoản này không đăng nhập được tại trang dành cho công dân."))
    _apply(profile, identity)
    return profile.user


@transaction.atomic
def link_identity(*, user: Any, identity: Identity) -> CitizenProfile:
    """Link the signed-in citizen's account to a provider identity they just signed in with
    (they proved both). Refused if that identity is linked to another account, or this
    account to another identity."""
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    other = (
        CitizenProfile.objects.filter(oidc_issuer=identity.issuer, oidc_subject=identity.subject)
        .exclude(pk=profile.pk)
        .exists()
    )
    if other:
        raise AccountError(_("Tài khoản định danh này đã được liên kết với một tài khoản khác."))
    if profile.oidc_subject and (profile.oidc_issuer, profile.oidc_subject) != (
        identity.issuer,
        identity.subject,
    ):
        raise AccountError(_("Tài khoản của bạn đã liên kết với một tài khoản định danh khác."))
    profile.oidc_issuer, profile.oidc_subject = identity.issuer, identity.subject
    _apply(profile, identity)
    return profile


def _apply(profile: CitizenProfile, identity: Identity) -> None:
    """The provider is authoritative for name, ID number and date of birth: they replace
    ours. A phone or email fills an empty one only, verified if the provider says so, and
    never one verified by another account. Malformed values are ignored (and logged)."""
    if identity.name:
        profile.full_name = identity.name[:100]
    number = _valid(normalize_id_number, identity.id_number, "id_number")
    born = _birthdate(identity.birthdate)
    if number:
        profile.id_number, profile.id_verified = number, True
    if born and not (number and not birth_year_matches(number, born)):
        profile.date_of_birth = born
    phone = _valid(normalize_mobile, identity.phone, "phone")
    email = identity.email.strip().lower() if "@" in identity.email else ""
    for channel, value, verified in (
        (Channel.PHONE, phone, identity.phone_verified),
        (Channel.EMAIL, email, identity.email_verified),
    ):
        if value and not profile.address_of(channel):
            try:
                _claim(profile, channel, value, verified=verified)
            except AccountError:
                # The profile, not the provider's subject (VNeID's may be the ID number).
                logger.info("profile %s: %s held by another account", profile.pk, channel)
    if not profile.full_name:
        profile.full_name = _("Công dân")
    profile.save()
    _sync_user_name(profile.user, profile.full_name)


def _valid(normalize: Any, value: str, what: str) -> str:
    if not value:
        return ""
    try:
        return str(normalize(value))
    except ValidationError:
        logger.warning("identity provider sent a malformed %s; ignored", what)
        return ""


def _birthdate(value: str) -> dt.date | None:
    """OIDC's ``birthdate`` is YYYY-MM-DD; "0000-…" (year withheld) and other forms are
    ignored."""
    try:
        born = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
    return born if born and born.year > 1900 else None
