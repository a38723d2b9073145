"""The local national portal, and the product's client pointed at it over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from motcua.devtools.fakes.national_portal import (
    DEV_DSTCODE,
    DEV_PASSWORD,
    DEV_UNIT_CODE,
    DEV_USERNAME,
    FakeNationalPortal,
)
from motcua.integrations.national_portal import (
    CircuitBreaker,
    NationalPortalClient,
    PortalConfig,
)


class FakeClock:
    """A monotonic clock the test moves by hand: a breaker's cool-down without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def portal() -> Iterator[FakeNationalPortal]:
    with FakeNationalPortal() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


Connect = Callable[..., NationalPortalClient]


@pytest.fixture
def connect(portal: FakeNationalPortal) -> Connect:
    """A client of the portal: ``connect(timeout=0.5, breaker=…, password=…)``."""

    def client(
        *, timeout: float = 5.0, breaker: CircuitBreaker | None = None, **config: Any
    ) -> NationalPortalClient:
        fields = {
            "auth_url": portal.auth_url,
            "sync_url": portal.sync_url,
            "share_url": portal.share_url,
            "username": DEV_USERNAME,
            "password": DEV_PASSWORD,
            "dstcode": DEV_DSTCODE,
            "unit_code": DEV_UNIT_CODE,
            **config,
        }
        return NationalPortalClient(PortalConfig(**fields, timeout=timeout), breaker=breaker)

    return client


@pytest.fixture
def client(connect: Connect) -> NationalPortalClient:
    return connect()
