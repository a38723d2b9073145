"""What a sender raises when the receiver did not take a row. Free of models, so a transport
(``integrations/``) can raise it without knowing any outbox."""


class DeliveryError(Exception):
    """The receiver did not take the row; ``retryable`` says whether to try again later (a
    timeout, a rate limit, a 4xx SMTP reply) or not (an invalid phone number, a mailbox that
    does not exist, a channel switched off)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
