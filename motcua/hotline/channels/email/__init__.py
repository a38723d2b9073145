"""Email: citizens write to HOTLINE_EMAIL_ADDRESS; replies go back by SMTP.

Inbound mail arrives either through the mail server's pipe transport
(``manage.py hotline_receive_email`` reads one message on stdin) or by polling the IMAP
mailbox (``manage.py hotline_fetch_mail``); both hand the raw message to ``receive_email``.
A message joins the ticket of the thread it answers (In-Reply-To/References name one of the
citizen's earlier messages or one of our replies), otherwise it opens a new question. The
Message-ID makes a message delivered twice stored once.

- ``reading``: ``parse_email`` (RFC 5322 → ``InboundMessage``) and ``receive_email``;
- ``sending``: ``send_reply`` for the reply outbox;
- ``mailbox``: the IMAP poll.
"""

from motcua.hotline.channels.email.reading import MAX_EMAIL_BYTES, parse_email, receive_email
from motcua.hotline.channels.email.sending import send_reply

__all__ = ["MAX_EMAIL_BYTES", "parse_email", "receive_email", "send_reply"]
