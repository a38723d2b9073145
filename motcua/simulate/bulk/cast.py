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
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.actions import new_username
from motcua.accounts.models import CitizenProfile
from motcua.core.chain import actor_of
from motcua.core.text import normalize
from motcua.hotline.models import Contact, ContactIdentity
from motcua.hotline.status import TicketChannel
from motcua.simulate.bulk.ledger import IdPool
from motcua.simulate.bulk.province import Province
from motcua.simulate.bulk.sink import Sink, Table
from motcua.simulate.cast import SIMULATION_ISSUER, Cast
from motcua.simulate.stories import CITIZEN, STAFF, Actor, Applicant, TicketStory

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
# What set_unusable_password stores, without its random suffix: nobody signs in with it.
UNUSABLE_PASSWORD = "!"  # noqa: S105


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
        ).values_list(
            "oidc_subject", "user_id", "user__first_name", "user__last_name", "user__username"
        ):
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


CONTACT = Table.of(Contact, "id", "name", "phone", "email", "address", "organisation", "created_at")
IDENTITY = Table.of(ContactIdentity, "contact_id", "channel", "external_id", "display_name")
PLATFORM_CHANNELS = {TicketChannel.ZALO, TicketChannel.FACEBOOK}


def sender_of(story: TicketStory) -> tuple[str, str]:
    """The platform id and the email the through-actions runner gives a story's contact."""
    sender = f"mophong-{story.contact_phone}" if story.channel in PLATFORM_CHANNELS else ""
    email = f"{story.contact_phone}@mo-phong.invalid" if story.channel == "email" else ""
    return sender, email


class Contacts:
    """The hotline contacts of a chunk's tickets, found as ``contacts.contact_for`` finds
    them (platform id, then email, then phone) or written anew, with their platform ids."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self._ids = IdPool(sink, CONTACT, block=1_000)

    def open(self, stories: list[TicketStory]) -> tuple[dict[str, int], int]:
        """Story key → contact id, writing the contacts and platform ids missing (in the
        caller's transaction); and the number of rows written."""
        phones = {s.contact_phone for s in stories}
        senders = {sender_of(s) for s in stories}
        identities = {
            (channel, external): contact
            for channel, external, contact in ContactIdentity.objects.filter(
                external_id__in=[sender for sender, _email in senders if sender]
            ).values_list("channel", "external_id", "contact_id")
        }
        by_email: dict[str, int] = {}
        by_phone: dict[str, int] = {}
        for contact_id, phone, email in (
            Contact.objects.filter(merged_into=None)
            .filter(
                Q(phone__in=list(phones))
                | Q(email__in=[email for _sender, email in senders if email])
            )
            .order_by("created_at", "pk")
            .values_list("pk", "phone", "email")
        ):
            # The newest wins, as ``.first()`` in the model's order (newest first) finds it.
            if phone:
                by_phone[phone] = contact_id
            if email:
                by_email[email.lower()] = contact_id
        now = timezone.now()
        contacts: list[tuple[object, ...]] = []
        new_identities: list[tuple[object, ...]] = []
        found: dict[str, int] = {}
        for story in stories:
            sender, email = sender_of(story)
            contact = identities.get((story.channel, sender)) if sender else None
            contact = contact or (by_email.get(email) if email else None)
            contact = contact or by_phone.get(story.contact_phone)
            if contact is None:
                contact = self._ids.take()
                name = normalize(story.contact_name)[:255]
                contacts.append((contact, name, story.contact_phone, email, "", "", now))
                by_phone[story.contact_phone] = contact
                if email:
                    by_email[email] = contact
            if sender and (story.channel, sender) not in identities:
                identities[(story.channel, sender)] = contact
                new_identities.append((contact, story.channel, sender, story.contact_name[:255]))
            found[story.key] = contact
        self.sink.write(CONTACT, contacts)
        self.sink.write(IDENTITY, new_identities)
        return found, len(contacts) + len(new_identities)
