"""Hand one notification to its provider: ``email`` (SMTP) and ``sms`` (a brandname gateway).

A transport either returns the provider's message id or raises ``DeliveryError`` saying
whether trying again later could succeed (a timeout, a rate limit, a 4xx SMTP reply) or not
(an invalid phone number, a mailbox that does not exist). The outbox decides what to do.
"""


class DeliveryError(Exception):
    """The provider did not take the message; ``retryable`` says whether to try again."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
