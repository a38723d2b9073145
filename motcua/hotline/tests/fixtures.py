"""Hotline personas and helpers, shared by the hotline's tests (loaded from the root
conftest): operator Hà (the demo ``tongdai`` user), specialist Chi and leader Lâm of the
Department of Justice, and an officer of the police who must see nothing of Justice's tickets.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from motcua.dossiers.tests.fixtures import make_user
from motcua.hotline.actions import receive_message
from motcua.hotline.inbound import InboundMessage
from motcua.hotline.models import Ticket
from motcua.org.models import Agency, Role


@pytest.fixture
def operator_ha(db: Any) -> Any:
    return get_user_model().objects.get(username="tongdai")


@pytest.fixture
def justice_chi(db: Any, justice: Agency) -> Any:
    return make_user("tuphap_chi", justice, Role.SPECIALIST)


@pytest.fixture
def justice_lam(db: Any, justice: Agency) -> Any:
    return make_user("tuphap_lam", justice, Role.LEADER)


@pytest.fixture
def police_officer(db: Any, police: Agency) -> Any:
    return make_user("congan_dung", police, Role.SPECIALIST)


def chat(
    text: str,
    *,
    channel: str = "zalo",
    sender: str = "zalo-user-1",
    message_id: str | None = None,
    name: str = "Nguyễn Văn An",
    **extra: Any,
) -> Ticket:
    """A citizen's chat message, received as a channel would hand it over."""
    global _counter
    _counter += 1
    result = receive_message(
        message=InboundMessage(
            channel=channel,
            external_id=message_id or f"{channel}-msg-{_counter}",
            sender_id=sender,
            sender_name=name,
            text=text,
            **extra,
        )
    )
    return result.ticket


_counter = 0
