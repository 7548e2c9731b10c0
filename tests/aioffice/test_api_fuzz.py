"""Generated requests against every API operation (schemathesis): never a 500, always the
one error format, and the OpenAPI document is valid OpenAPI 3."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from aioffice.accounts import services
from aioffice.accounts.choices import Role
from aioffice.api import api
from aioffice.core.testing import make_user

DOCUMENT = api.get_openapi_schema()
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(DOCUMENT, default=str)))


def test_the_openapi_document_validates_as_openapi_3() -> None:
    validate(json.loads(json.dumps(DOCUMENT, default=str)))


@pytest.fixture
def bearer(db: None) -> str:
    user = make_user(Role.HEAD_OF_UNIT, "fuzz")
    return services.api_token_create(actor=user, user=user, name="fuzz").secret


def _send(client: Client, case: Any, headers: dict[str, str]) -> Any:
    body = case.body
    if isinstance(body, schemathesis.core.NotSet) or body is None:
        data: bytes | str = ""
    elif isinstance(body, bytes):
        data = body
    else:
        data = json.dumps(body)
    query = urlencode(case.query or {}, doseq=True)
    return client.generic(
        case.method,
        case.formatted_path + (f"?{query}" if query else ""),
        data,
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    )


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_no_generated_request_gets_a_server_error(case: Any, bearer: str) -> None:
    for headers in ({}, {"Authorization": f"Bearer {bearer}"}):
        response = _send(Client(), case, headers)
        assert response.status_code < 500, (case.method, case.formatted_path, response.content)
        if response.status_code >= 400 and response.status_code != 405:
            body = response.json()
            assert {"code", "message"} <= set(body), body
