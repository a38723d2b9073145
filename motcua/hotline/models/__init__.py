from motcua.hotline.models.contacts import Contact, ContactIdentity
from motcua.hotline.models.counters import (
    AnswerHoursDayCounter,
    AnswerHoursMonthCounter,
    TicketDayCounter,
    TicketMonthCounter,
)
from motcua.hotline.models.events import TicketEvent
from motcua.hotline.models.knowledge import PublicAnswer
from motcua.hotline.models.messages import Delivery, Direction, TicketAttachment, TicketMessage
from motcua.hotline.models.sla import DEFAULT_WORKING_HOURS, ResponseTime
from motcua.hotline.models.ticket import (
    Ticket,
    TicketCategory,
    TicketOutcome,
    TicketQuerySet,
    TicketSequence,
)

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "AnswerHoursDayCounter",
    "AnswerHoursMonthCounter",
    "Contact",
    "ContactIdentity",
    "Delivery",
    "Direction",
    "PublicAnswer",
    "ResponseTime",
    "Ticket",
    "TicketAttachment",
    "TicketCategory",
    "TicketDayCounter",
    "TicketEvent",
    "TicketMessage",
    "TicketMonthCounter",
    "TicketOutcome",
    "TicketQuerySet",
    "TicketSequence",
]
