"""The people who act in a simulation: the province's staff, and citizens with accounts
(docs/simulate.md "Through the actions").

A story names a role at an agency (and a desk); the cast finds an active member with that
role there, the way ``dossiers/permissions.py`` will check it. Where the province has nobody
in that seat, the cast appoints a simulation officer the way ``seed_demo`` appoints its
staff (a user and a membership), named plausibly, who cannot sign in. Citizens with an
account sign in with the national identity provider (``sign_in_with_identity``), as real
ones do, under a simulation issuer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.accounts.actions import AccountError, sign_in_with_identity
from motcua.integrations.identity.claims import Identity
from motcua.org.models import DeskKind, Membership, Role
from motcua.simulate import people
from motcua.simulate.randomness import rng_for
from motcua.simulate.stories import Actor, Applicant
from motcua.simulate.world import World

# Simulated citizens' accounts are linked to this issuer: no real provider issues it.
SIMULATION_ISSUER = "https://dinh-danh.mo-phong.invalid"
RECEPTION_ROLES = {Role.RECEPTIONIST, Role.POSTAL_OFFICER}


class Cast:
    """Users by seat, found or appointed once per run."""

    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.seed = seed
        self._staff: dict[tuple[str, int | None, int | None], Any] = {}
        self._citizens: dict[str, Any] = {}
        self.appointed = 0

    def user(self, actor: Actor, applicant: Applicant | None = None) -> Any:
        """The user behind a story's actor: None for the system, the applicant's account
        for the citizen (None without one)."""
        if actor.kind == "system":
            return None
        if actor.kind == "citizen":
            return self.citizen(applicant) if applicant and applicant.account else None
        return self.staff(actor.role, actor.agency_id, actor.desk_id)

    def staff(self, role: str, agency_id: int | None, desk_id: int | None = None) -> Any:
        key = (role, agency_id, desk_id if role in RECEPTION_ROLES else None)
        if key not in self._staff:
            self._staff[key] = self._find(*key) or self._appoint(*key)
        return self._staff[key]

    def _find(self, role: str, agency_id: int | None, desk_id: int | None) -> Any:
        seats = Membership.objects.filter(active=True, role=role, user__is_active=True)
        if agency_id is not None:
            seats = seats.filter(agency_id=agency_id)
        if desk_id is not None:
            seats = seats.filter(desk_id=desk_id)
        seat = seats.select_related("user").order_by("pk").first()
        return seat.user if seat else None

    @transaction.atomic
    def _appoint(self, role: str, agency_id: int | None, desk_id: int | None) -> Any:
        """A simulation officer in the seat, as ``seed_demo`` appoints staff."""
        if agency_id is None:  # the 1022 operators sit at the provincial centre
            centres = [d for d in self.world.desks.values() if d.kind == DeskKind.CENTRE]
            agency_id = centres[0].agency_id if centres else min(self.world.agency_names)
        rng = rng_for(self.seed, "staff", role, agency_id, desk_id)
        username = f"mophong-{role}-{agency_id}" + (f"-{desk_id}" if desk_id else "")
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": people.full_name(rng, female=rng.random() < 0.5)},
        )
        if user.has_usable_password():  # nobody signs in as a simulation officer
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            agency_id=agency_id,
            role=role,
            defaults={"desk_id": desk_id, "title": "Cán bộ mô phỏng"},
        )
        self.appointed += 1
        return user

    def citizen(self, applicant: Applicant) -> Any:
        """The applicant's portal account (signed in with the identity provider once)."""
        subject = applicant.id_number
        if subject not in self._citizens:
            identity = Identity(
                issuer=SIMULATION_ISSUER,
                subject=subject,
                name=applicant.name,
                id_number=applicant.id_number,
                birthdate=applicant.born.isoformat(),
                phone=applicant.phone,
                phone_verified=True,
            )
            try:
                self._citizens[subject] = sign_in_with_identity(identity=identity)
            except AccountError:
                self._citizens[subject] = None
        return self._citizens[subject]


def day_end(day: dt.date, world: World) -> dt.datetime:
    """The last moment of ``day`` in the province's time zone: when the deadline job runs."""
    tz = world.calendar(None).tz
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz) - dt.timedelta(seconds=1)
