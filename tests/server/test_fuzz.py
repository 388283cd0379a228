"""Property-based tests of the whole API from its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid. No answer may be a server error,
and each must keep what the OpenAPI document promises: its status codes, content types and
bodies, and a 4xx for a request the document calls invalid. (A request the document allows may
still be refused with a 4xx that says why: a cursor this store never gave, a series of more
periods than the limit, an actor with no events.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from realpolitik.server import create_app

from .conftest import TESTSERVER, TOKEN

pytestmark = pytest.mark.slow  # POST /api/code loads the English model

OPERATIONS = [(method.upper(), path) for path, methods in create_app(":memory:").openapi()["paths"].items()
              for method in methods]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) == 20 and ("POST", "/api/code") in OPERATIONS and ("GET", "/api/scenario") in OPERATIONS
    assert ("GET", "/api/sources") in OPERATIONS and ("GET", "/api/events/newest") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_server_error_and_answers_keep_the_document(planted, coder, method, path):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(planted.path, token=TOKEN, settings=TESTSERVER, max_chars=2000))
    headers = {"Authorization": f"Bearer {TOKEN}"} if path == "/api/documents" and method == "POST" else None
    seen: list[int] = []

    @given(case=schema[path][method].as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        seen.append(response.status_code)

    run()
    assert seen and all(code < 500 for code in seen)
