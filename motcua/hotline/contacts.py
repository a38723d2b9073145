"""Finding the person behind a message: one contact across channels.

A message is matched, in this order, by the sender's id on the channel (a Zalo user id, a
Messenger PSID), by email, then by phone. What a message tells us that the contact lacks
(a name, an email) is added; nothing known is overwritten by a message.
"""

from __future__ import annotations

from motcua.hotline.models import Contact, ContactIdentity


def canonical(contact: Contact) -> Contact:
    """The contact a merged one now lives in."""
    seen = set()
    while contact.merged_into_id is not None and contact.pk not in seen:
        seen.add(contact.pk)
        contact = Contact.objects.get(pk=contact.merged_into_id)
    return contact


def find_contact(
    *, channel: str = "", sender_id: str = "", email: str = "", phone: str = ""
) -> Contact | None:
    if channel and sender_id:
        identity = (
            ContactIdentity.objects.select_related("contact")
            .filter(channel=channel, external_id=sender_id)
            .first()
        )
        if identity is not None:
            return canonical(identity.contact)
    if email:
        found = Contact.objects.filter(email__iexact=email, merged_into=None).first()
        if found is not None:
            return found
    if phone:
        return Contact.objects.filter(phone=phone, merged_into=None).first()
    return None


def contact_for(
    *,
    channel: str = "",
    sender_id: str = "",
    name: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    organisation: str = "",
) -> Contact:
    """The existing contact for these details, completed with what it lacked, or a new one.
    ``phone`` must already be normalised (``core.phones.normalize_phone``); ``email`` is
    stored lower-case."""
    email = email.strip().lower()
    contact = find_contact(channel=channel, sender_id=sender_id, email=email, phone=phone)
    if contact is None and organisation and not (sender_id or email or phone):
        # A business named at a dialogue, with no other detail: the same name is the same
        # business.
        contact = Contact.objects.filter(
            organisation__iexact=organisation.strip(), merged_into=None
        ).first()
    if contact is None:
        contact = Contact.objects.create(
            name=name[:255],
            email=email,
            phone=phone,
            address=address[:255],
            organisation=organisation[:255],
        )
    else:
        missing = {
            field: value[:255]
            for field, value in {
                "name": name,
                "email": email,
                "phone": phone,
                "address": address,
                "organisation": organisation,
            }.items()
            if value and not getattr(contact, field)
        }
        if missing:
            for field, value in missing.items():
                setattr(contact, field, value)
            contact.save(update_fields=list(missing))
    if channel and sender_id:
        _remember_identity(contact, channel, sender_id, name)
    return contact


def _remember_identity(contact: Contact, channel: str, sender_id: str, name: str) -> None:
    # get_or_create settles two messages of the same sender arriving together: one identity.
    ContactIdentity.objects.get_or_create(
        channel=channel,
        external_id=sender_id,
        defaults={"contact": contact, "display_name": name[:255]},
    )
