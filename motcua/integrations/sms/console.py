"""SMS printed instead of sent (``SMS_BACKEND=console``): development only, the settings
refuse it with DEBUG=0. The same ``send`` as the gateway (``transport.py``), so a developer
reads a verification code in the terminal of the process that sends it (the task worker under
``manage.py run_platform``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import IO

from motcua.integrations.sms.transport import to_msisdn


@dataclass(frozen=True)
class ConsoleSms:
    stream: IO[str] = field(default_factory=lambda: sys.stdout)

    def send(self, *, phone: str, message: str, client_id: str) -> str:
        self.stream.write(f"SMS to {to_msisdn(phone)} [{client_id}]: {message}\n")
        self.stream.flush()
        return f"console-{client_id}"
