"""Who is asking: the client's address, as rate limits, sign-in lockouts and logs see it.

Behind the reverse proxy of docs/deployment.md every request arrives from the proxy, so
``REMOTE_ADDR`` alone would make one busy client lock out every citizen. ``X-Forwarded-For``
is believed only as far as it was written by proxies the operator named in
``TRUSTED_PROXIES`` (addresses or networks): the header is read from the right, skipping
trusted hops, and the first address that is not a trusted proxy is the client. A header sent
by the client itself (the left-most entries) is never believed, because anyone can write it.
See docs/security.md.

Written with the standard ``ipaddress`` module rather than a package: the rule is a few lines,
and the packages we looked at match proxies by string prefix instead of by network.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _parse(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = raw.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:5123"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # "::ffff:127.0.0.1" (a dual-stack socket's IPv4 client) is 127.0.0.1.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in trusted_networks())


def client_bucket(request: HttpRequest) -> str:
    """What per-client limits count: the client's address, or for IPv6 its /64 network (one
    subscriber holds a whole /64 and could otherwise take a new address per request)."""
    address = client_address(request)
    parsed = _parse(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (text, as logged and rate-limited)."""
    remote = _parse(str(request.META.get("REMOTE_ADDR", "")))
    if remote is None:
        return ""
    if not _trusted(remote):
        return str(remote)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # A hop no proxy would write: stop believing the header here.
            break
        if not _trusted(address):
            return str(address)
    # Every hop was a trusted proxy (or the header is missing): the nearest one asked.
    return str(remote)
