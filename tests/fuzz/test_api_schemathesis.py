"""The API fuzzed from its own OpenAPI description (schemathesis): every operation, with
generated path, query and body values, signed in as the coordinator. No answer may be a
server error or take the process down; a refusal is a 4xx with a message."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from kehoach.accounts.services import issue_token
from tests.security.records import build_records
from tests.security.urls import API_ARGS, api_operations

pytestmark = pytest.mark.django_db
# Bounded: a few dozen cases per operation in the suite; FUZZ_EXAMPLES raises it.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
# Sign-in is throttled (a few failures lock the name out): its bad input is tried by
# kehoach/accounts/tests instead of a few hundred generated passwords.
NOT_FUZZED = {("POST", "/api/v1/auth/token")}
OPERATIONS = [
    (op.method.upper(), op.path)
    for op in api_operations()
    if (op.method.upper(), op.path) not in NOT_FUZZED
]


def _schema():
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_generated_request_is_a_server_error(method, path, world, settings_, tmp_path):
    records = build_records(world)
    token = issue_token(actor=world.coordinator)
    operation = _schema()[path][method]
    seen: list[int] = []

    @given(case=operation.as_strategy(), real_ids=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        # The same cases on every run of the suite, so a red run is a regression; set
        # FUZZ_RANDOM=1 to explore new ones.
        derandomize=not os.environ.get("FUZZ_RANDOM"),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case, real_ids: bool) -> None:
        if real_ids:
            # Half the cases point at records that exist, so the generated values reach
            # the services' checks instead of stopping at a 404.
            _use_real_ids(case, records.a)
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        seen.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])
        if 400 <= response.status_code < 500:
            # Every refusal says why, in a sentence of the catalogue.
            detail = response.json().get("detail")
            assert isinstance(detail, str) and detail.strip(), response.content

    fuzz()
    assert seen, "no case was generated"
    if os.environ.get("FUZZ_VERBOSE"):
        print(method, path, sorted(seen))


def _real(name: str, side):
    if name in API_ARGS and name not in ("step", "transition", "code"):
        return API_ARGS[name](side)
    if name == "topic_ids":
        return [side.topic.pk]
    return None


def _use_real_ids(case, side) -> None:
    for params in (case.path_parameters, case.query):
        for name in list(params or {}):
            value = _real(name, side)
            if value is not None:
                params[name] = value
    if isinstance(case.body, dict):
        for name in list(case.body):
            value = _real(name, side)
            if value is not None:
                case.body[name] = value


@pytest.fixture
def settings_(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return settings


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """schemathesis calls the WSGI handler itself, whose request signals would close the
    database connection the test's transaction lives on (Django's test client unhooks
    them the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
