"""The test gateway's credentials, shared with the payment domain's tests and the fake
gateway's."""

from __future__ import annotations

TMN_CODE = "TESTTMN1"
HASH_SECRET = "test-hash-secret"
