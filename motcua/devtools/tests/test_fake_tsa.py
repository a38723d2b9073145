"""The local RFC 3161 timestamp authority (devtools/fakes/tsa.py) speaks the protocol a real
one does, and ``manage.py fake_platform tsa`` serves it by hand with a test CA."""

from __future__ import annotations

import asyncio
import hashlib
import urllib.error
import urllib.request
from typing import Any

import pytest
from pyhanko.sign.timestamps import HTTPTimeStamper

from motcua.devtools.fakes.tsa import QUERY_TYPE
from motcua.devtools.signing.pki import TSA_CN
from motcua.devtools.tests.running import ManagePy


def post(url: str, body: bytes, content_type: str = QUERY_TYPE) -> int:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def stamp(url: str) -> Any:
    digest = hashlib.sha256(b"ket qua").digest()
    return asyncio.run(HTTPTimeStamper(url, timeout=5).async_timestamp(digest, "sha256"))


def test_a_query_gets_a_token_signed_by_the_tsa(tsa):
    token = stamp(tsa.url)
    signed_data = token["content"]
    info = signed_data["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(b"ket qua").digest()
    assert TSA_CN in {c.chosen.subject.native["common_name"] for c in signed_data["certificates"]}
    assert tsa.issued == 1


def test_what_is_not_a_query_is_refused(tsa):
    assert post(tsa.url, b"\x30\x03\x02\x01\x01", "application/json") == 415
    assert post(tsa.url, b"not DER at all") == 400
    with pytest.raises(urllib.error.HTTPError) as get:
        urllib.request.urlopen(tsa.url, timeout=5)  # noqa: S310
    assert get.value.code == 405
    assert tsa.issued == 0


def test_fake_platform_tsa_serves_with_its_test_ca(tmp_path):
    with ManagePy("fake_platform", "tsa", "--dir", str(tmp_path)) as tsa:
        tsa.line()  # the banner's first line
        settings_line = tsa.line_starting("MOTCUA_TSA_URL=")
        url = settings_line.split()[0].partition("=")[2]
        assert f"MOTCUA_SIGNING_TRUST_ROOTS={tmp_path / 'root.pem'}" in settings_line
        stamp(url)
        assert tsa.line_starting("Đã cấp")
    assert (tmp_path / "agency.p12").is_file()
