"""The client's address behind the documented reverse proxy, and the one rate limiter."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from motcua.core.clients import client_address
from motcua.core.ratelimit import Limit

factory = RequestFactory()


def request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return factory.get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_the_header_is_read_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_address(request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"
    # Through two proxies of ours: the first untrusted hop from the right is the client.
    assert client_address(request("127.0.0.1", "198.51.100.1, 10.1.2.3")) == "198.51.100.1"


def test_an_address_written_by_the_client_itself_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the real address.
    assert client_address(request("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request("127.0.0.1", "không phải địa chỉ")) == "127.0.0.1"
    assert client_address(request("127.0.0.1", "")) == "127.0.0.1"


def test_ipv6_and_ports_are_understood(settings):
    settings.TRUSTED_PROXIES = ["::1"]
    assert client_address(request("::1", "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_address(request("::1", "203.0.113.7:5123")) == "203.0.113.7"


def test_a_bad_trusted_proxy_stops_start_up(monkeypatch):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={"TRUSTED_PROXIES": "nginx", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


@pytest.mark.django_db
def test_one_client_behind_the_proxy_does_not_use_up_everyone_s_lookups(settings):
    cache.clear()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOOKUP_RATE_PER_MINUTE = 3
    noisy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    codes = [noisy.get("/tra-cuu/KHONG-CO/").status_code for _ in range(5)]
    assert codes[-1] == 429
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert other.get("/tra-cuu/KHONG-CO/").status_code == 404
    cache.clear()


def test_the_limiter_counts_per_value_and_window():
    cache.clear()
    limit = Limit("test", per=lambda: 2, seconds=60)
    assert [limit.hit("a") for _ in range(3)] == [True, True, False]
    assert limit.used_up("a") and not limit.used_up("b")
    limit.reset("a")
    assert limit.hit("a")
    assert 1 <= limit.retry_after() <= 60
    cache.clear()


def test_keys_hold_no_phone_number_nor_its_plain_hash():
    phone = "0912345678"
    key = Limit("signin-id", per=lambda: 5, seconds=60).key(phone)
    assert phone not in key
    # A phone's range is small: a plain SHA-256 would be reversed by trying them all.
    assert hashlib.sha256(phone.encode()).hexdigest()[:40] not in key


def test_a_dual_stack_socket_s_ipv4_client_matches_an_ipv4_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request("::ffff:127.0.0.1", "203.0.113.7")) == "203.0.113.7"


def test_an_ipv6_client_is_counted_by_its_64():
    from motcua.core.clients import client_bucket

    assert client_bucket(request("2001:db8:1:2::abcd")) == "2001:db8:1:2::/64"
    assert client_bucket(request("2001:db8:1:2:ffff::1")) == "2001:db8:1:2::/64"
    assert client_bucket(request("203.0.113.7")) == "203.0.113.7"
