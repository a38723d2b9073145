"""Who plays each actor of the plan's stories in bulk (docs/simulate.md "Bulk mode").

Staff are the seats of the through-actions ``Cast``, found or appointed once per run, so
both modes name the same people. Citizens' accounts are looked up and written a chunk at a
time, as the identity provider's first sign-in opens them (``sign_in_with_identity``: one
account per issuer and subject), so an applicant filing again, in this run or an earlier
one, files under the same account, and memory stays bounded however many applicants a run
has.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.accounts.actions import new_username
from motcua.accounts.models import CitizenProfile
from motcua.core.chain import actor_of
from motcua.simulate.cast import SIMULATION_ISSUER, Cast
from motcua.simulate.bulk.ledger import IdPool
from motcua.simulate.bulk.province import Province
from motcua.simulate.bulk.sink import Sink, Table
from motcua.simulate.stories import CITIZEN, STAFF, Actor, Applicant

USER = Table.of(
    get_user_model(),
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
)
PROFILE = Table.of(
    CitizenProfile,
    "user_id",
    "full_name",
    "id_number",
    "id_verified",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "verified_phone",
    "verified_email",
    "oidc_issuer",
    "oidc_subject",
    "created_at",
    "updated_at",
)
UNUSABLE_PASSWORD = "!"  # what set_unusable_password stores, without its random suffix


class BulkCast:
    """Staff from the through-actions ``Cast`` (the same seats, appointed the same way),
    citizens' accounts written in bulk as ``sign_in_with_identity`` would open them."""

    def __init__(self, sink: Sink, province: Province, seats: Cast) -> None:
        self.sink = sink
        self.province = province
        self.seats = seats
        self._user_ids = IdPool(sink, USER, block=1_000)
        self.accounts: dict[str, int | None] = {}

    def user_for(self, actor: Actor, applicant: Applicant | None) -> int | None:
        if actor.kind == STAFF:
            user = self.seats.staff(actor.role, actor.agency_id, actor.desk_id)
            if user.pk not in self.province.names:
                self.province.names[user.pk] = actor_of(user)[1]
            return int(user.pk)
        if actor.kind == CITIZEN and applicant is not None and applicant.account:
            return self.accounts.get(applicant.id_number)
        return None

    def open_accounts(self, applicants: Iterable[Applicant]) -> int:
        """Find or write (in the caller's transaction) the accounts of the chunk's
        applicants who have one, keyed like the identity provider's (issuer, subject); a
        phone another account already holds is left off the new one, as ``_claim`` does.
        Returns the number of rows written."""
        wanted = {a.id_number: a for a in applicants if a.account}
        names = self.province.chunk_names
        names.clear()
        self.accounts = {}
        if not wanted:
            return 0
        for subject, user_id, first, last, username in CitizenProfile.objects.filter(
            oidc_issuer=SIMULATION_ISSUER, oidc_subject__in=list(wanted)
        ).values_list("oidc_subject", "user_id", "user__first_name", "user__last_name", "user__username"):
            self.accounts[subject] = user_id
            names[user_id] = f"{first} {last}".strip() or username
        missing = [a for subject, a in wanted.items() if subject not in self.accounts]
        held = set(
            CitizenProfile.objects.filter(
                phone__in=[a.phone for a in missing], verified_phone=True
            ).values_list("phone", flat=True)
        )
        now = timezone.now()
        users, profiles = [], []
        for applicant in missing:
            pk = self._user_ids.take()
            self.accounts[applicant.id_number] = pk
            name = applicant.name[:100] or "Công dân"
            names[pk] = name
            phone = "" if applicant.phone in held else applicant.phone
            held.add(phone)
            users.append(
                (pk, UNUSABLE_PASSWORD, None, False, new_username(), name, "", "", False, True, now)
            )
            profiles.append(
                (
                    pk,
                    name,
                    applicant.id_number,
                    True,
                    applicant.born,
                    phone,
                    "",
                    "",
                    bool(phone),
                    False,
                    SIMULATION_ISSUER,
                    applicant.id_number,
                    now,
                    now,
                )
            )
        self.sink.write(USER, users)
        self.sink.write(PROFILE, profiles)
        return len(users) + len(profiles)
