"""Local stand-ins for the hotline's messaging platforms, for tests and development: each
speaks its platform's send API on loopback and plays the platform's side of the webhook."""

from motcua.hotline.channels.fakes.facebook import FakeMessengerApi
from motcua.hotline.channels.fakes.server import SentMessage
from motcua.hotline.channels.fakes.zalo import FakeZaloApi

__all__ = ["FakeMessengerApi", "FakeZaloApi", "SentMessage"]
