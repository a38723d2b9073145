"""schemathesis over the API's own OpenAPI document (``/api/v1/openapi.json``), in-process on
the Django WSGI app, as a staff token and anonymously: no answer may be a 5xx, every status
must be one the document declares, and every answer must match its declared schema
(docs/security.md "Bad input"). Integrators generate clients from this document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from motcua.dossiers.tokens import create_token
from tests.fuzz.examples import PER_OPERATION

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def document() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix="/api/v1/")  # type: ignore[return-value]


schema = schemathesis.openapi.from_dict(document())
schema.app = WSGIHandler()


@pytest.fixture(autouse=True)
def api_world(db: Any, settings: Any) -> Iterator[None]:
    cache.clear()
    settings.LOOKUP_RATE_PER_MINUTE = 100_000
    # Django closes the connection at the end of a request whose transaction is not in
    # autocommit, which would end the test's transaction (as in test_open311_schemathesis).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        cache.clear()


@pytest.fixture
def clerk_token(clerk_binh: Any) -> str:
    return create_token(clerk_binh)


@pytest.mark.slow
@schema.parametrize()
@PER_OPERATION
def test_the_api_anonymously(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


@pytest.mark.slow
@schema.parametrize()
@PER_OPERATION
def test_the_api_with_a_staff_token(case: schemathesis.Case, clerk_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {clerk_token}"}, checks=CHECKS)


def test_the_document_names_each_schema_once_and_documents_errors():
    spec = Client().get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "ErrorOut" in schemas
    refs = {
        response["content"]["application/json"]["schema"].get("$ref")
        for path in spec["paths"].values()
        for operation in path.values()
        for status, response in operation["responses"].items()
        if status in {"400", "401", "404", "409", "422", "429"}
    }
    assert refs == {"#/components/schemas/ErrorOut"}
    dossiers = spec["paths"]["/api/v1/dossiers"]["post"]["responses"]
    assert {"400", "401", "403", "409", "422", "429"} <= set(dossiers)
    # Two different shapes once shared the name AgencyRef: each name is one shape now.
    assert "SuggestedAgency" in schemas and "AgencyRef" in schemas
    assert set(schemas["AgencyRef"]["properties"]) == {"code", "name"}
