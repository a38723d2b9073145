"""Typed readers for the environment that fail loudly on bad values.

Every setting the product reads from the environment goes through one of these, so a typo in
a deployment (``DEBUG=flase``) stops the process at start-up instead of running half-configured.
A secret can also be given as a file: ``SECRET_KEY_FILE=/run/secrets/key`` wins over
``SECRET_KEY``.
"""

import os
from pathlib import Path


class ConfigurationError(RuntimeError):
    """The environment holds a value the product cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ConfigurationError(f"{name} must be set")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_seconds(name: str, default: dict[str, int]) -> dict[str, int]:
    """``NAME=key=seconds,key=seconds`` over ``default`` (``with_seconds``)."""
    return with_seconds(default, env_list(name), source=name)


def with_seconds(default: dict[str, int], items: list[str], *, source: str) -> dict[str, int]:
    """``default`` with ``key=seconds`` items: the keys given take their value, and
    ``key=0`` removes a key."""
    result = dict(default)
    for item in items:
        key, sep, raw = item.partition("=")
        try:
            seconds = int(raw)
        except ValueError:
            seconds = -1
        if not sep or not key.strip() or seconds < 0:
            raise ConfigurationError(f"{source}: {item!r} is not NAME=SECONDS")
        if seconds:
            result[key.strip()] = seconds
        else:
            result.pop(key.strip(), None)
    return result
