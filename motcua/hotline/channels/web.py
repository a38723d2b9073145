"""The web form's channel: how an answer reaches a citizen who wrote on the portal.

The answer is always on the citizen's follow-up page (``public/links.py``). The outbox
(``replies.SENDERS["web"]``) also sends it, with the page's link, by email when the contact
gave an address, else by SMS when SMS is switched on and the contact gave a mobile number;
otherwise there is nothing to send and the reply counts as delivered on the portal.

Email goes through Django's mail API from ``HOTLINE_EMAIL_ADDRESS`` with a Message-ID made
from the reply's id (the same on every attempt, so a copy sent again after a crash is
recognisably the same message); SMS carries ``ticket-reply-<id>`` as the gateway's client id,
which the gateway keeps once. Errors are mapped by the email and SMS transports.
"""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from motcua.core.phones import is_mobile
from motcua.hotline.contacts import canonical
from motcua.hotline.models import TicketMessage
from motcua.hotline.public.links import follow_up_url
from motcua.integrations.email.transport import deliver
from motcua.integrations.sms import senders as sms
from motcua.notifications.messages import unaccent

SMTP_TIMEOUT_SECONDS = 30
ON_THE_PORTAL = "portal"


def send_reply(message: TicketMessage) -> str:
    """Deliver one answer to a web-form ticket; the provider's message id (the email's
    Message-ID, the SMS gateway's id, or ``"portal"`` when the page is the only way)."""
    ticket = message.ticket
    contact = canonical(ticket.contact)
    link = follow_up_url(ticket.code)
    if contact.email:
        return _send_email(message, to=contact.email, name=contact.name, link=link)
    if settings.SMS_ENABLED and contact.phone and is_mobile(contact.phone):
        text = _("Phản ánh %(code)s đã có trả lời. Xem tại: %(link)s") % {
            "code": ticket.code,
            "link": link,
        }
        return sms.configured().send(
            phone=contact.phone, message=unaccent(text), client_id=f"ticket-reply-{message.pk}"
        )
    return ON_THE_PORTAL


def message_id_for(message: TicketMessage) -> str:
    domain = parseaddr(settings.HOTLINE_EMAIL_ADDRESS)[1].rpartition("@")[2] or "localhost"
    return f"<ticket-reply.{message.pk}@{domain}>"


def _send_email(message: TicketMessage, *, to: str, name: str, link: str) -> str:
    ticket = message.ticket
    message_id = message_id_for(message)
    body = "\n\n".join(
        [
            _("Kính gửi %(name)s,") % {"name": name or _("Ông/Bà")},
            _("Tổng đài 1022 trả lời phản ánh %(code)s «%(subject)s» của Ông/Bà như sau:")
            % {"code": ticket.code, "subject": ticket.subject},
            message.body,
            _("Xem toàn bộ trao đổi, gửi thêm ý kiến hoặc đánh giá câu trả lời tại:") + f"\n{link}",
            _("Đường dẫn này dành riêng cho Ông/Bà; xin đừng chia sẻ."),
        ]
    )
    email = EmailMessage(
        subject=_("Trả lời phản ánh %(code)s") % {"code": ticket.code},
        body=body,
        from_email=settings.HOTLINE_EMAIL_ADDRESS,
        to=[to],
        headers={"Message-ID": message_id},
        connection=get_connection(timeout=SMTP_TIMEOUT_SECONDS),
    )
    deliver(email)
    return message_id
