"""One module (or package) per channel: how messages come in and how replies go out.

Inbound, a channel turns what its platform sends into ``inbound.InboundMessage`` values and
hands them to ``inbound.receive_message``, after verifying the platform's signature. Outbound,
a channel's ``send_reply`` takes one reply (a ``TicketMessage`` row of the outbox) and returns
the platform's message id, or raises ``core.outbox.errors.DeliveryError``.

``registry.py`` describes every channel once (its webhook, its sender, where its replies
are addressed); the webhook URLs, the reply senders and the list of delivered channels are
derived from it. A new channel is one module here and one entry there.
"""
