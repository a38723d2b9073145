"""What the fake messaging platforms (Zalo, Messenger) share: the record of the messages that
reached people, and the people an account may answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from motcua.devtools.loopback import LoopbackServer


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    recipient: str
    text: str


class ChatPlatform(LoopbackServer):
    """A platform only lets an account answer people who have written to it, so a fake
    refuses recipients it has not met: a webhook event it built (``signed_event``,
    ``deliver_user_text``) or ``meet()`` introduces one. ``requests`` counts the
    authenticated send requests, failures included; ``on_message`` hears of each message
    that reached a person."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        on_message: Callable[[SentMessage], None] | None = None,
    ) -> None:
        super().__init__(host=host, port=port)
        self.on_message = on_message
        self._sent: list[SentMessage] = []
        self._people: set[str] = set()

    @property
    def messages(self) -> list[SentMessage]:
        """Every message that reached a person, in order; a repeated send is a second one."""
        with self._lock:
            return list(self._sent)

    def meet(self, *people: str) -> None:
        with self._lock:
            self._people.update(people)

    def _knows(self, person: str) -> bool:
        with self._lock:
            return person in self._people

    def _record(self, recipient: str, text: str, prefix: str) -> SentMessage:
        """Keep one delivered message under a new id."""
        with self._lock:
            sent = SentMessage(f"{prefix}{len(self._sent) + 1:06d}", recipient, text)
            self._sent.append(sent)
        if self.on_message:
            self.on_message(sent)
        return sent
