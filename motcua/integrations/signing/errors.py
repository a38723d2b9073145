"""What signing raises; free of pyHanko, so a caller can catch it without importing it."""


class SigningError(Exception):
    """The PDF was not signed; ``retryable`` says whether a later attempt could succeed (the
    timestamp authority or the token back) or not (a wrong passphrase, a missing key file:
    someone must change the configuration first)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
