"""Reading the JSON the chat platforms send and answer: shape checks that raise one clear
``ValueError`` for a webhook body, or a ``DeliveryError`` for a send API's answer."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from motcua.hotline.channels import DeliveryError


def child(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"{key} is missing or not an object")
    return value


def ident(parent: dict[str, Any], key: str) -> str:
    value = parent.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise ValueError(f"{key} is missing or not an id")
    return str(value).strip()


def from_millis(value: Any) -> dt.datetime:
    try:
        if isinstance(value, bool):
            raise TypeError
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise ValueError(f"timestamp is not Unix milliseconds: {value!r}") from exc


def json_answer(raw: bytes, platform: str) -> dict[str, Any]:
    """A send API's answer as an object; anything else is worth retrying."""
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise DeliveryError(f"{platform} answered non-JSON: {raw[:200]!r}", retryable=True) from exc
    if not isinstance(answer, dict):
        raise DeliveryError(f"{platform} answered {answer!r}", retryable=True)
    return answer
