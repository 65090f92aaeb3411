"""Schemathesis against the API's own OpenAPI document (/api/v1/openapi.json), in process
(WSGI), with a bounded number of examples per operation: no server error, and every answer
(status, content type, body, headers) as the document says."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.accounts import api_tokens
from portal.extensions import db
from portal.models import CompanyValue, TokenScope
from portal.recognition.services import posting
from tests import factories

EXAMPLES = 25  # per operation: the whole file takes well under a minute
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_world(worlds):
    desk = worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))
    factories.make_field(desk.laptop, "model", "choice", options=["Standard", "Developer"])
    factories.make_field(desk.laptop, "monitors", "number", required=False, min_value=0,
                         max_value=3)
    desk.request = factories.make_request(desk.laptop, desk.erin)
    _row, desk.token = api_tokens.issue(
        desk.ivan, api_tokens.NewToken("Schemathesis", TokenScope.READ_WRITE, 7)
    )
    value = CompanyValue(name="Own it", colour="blue")
    db.session.add(value)
    db.session.commit()
    posting.post_recognition(desk.erin, recipients="@ivan", value_id=value.id,
                             message="Thanks", notify=False)
    return desk


OPERATIONS = [
    ("GET", "/api/v1/departments/{slug}"),
    ("GET", "/api/v1/departments/{slug}/services"),
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/requests"),
    ("GET", "/api/v1/requests/{key}"),
    ("POST", "/api/v1/requests"),
    ("POST", "/api/v1/requests/{key}/replies"),
    ("PATCH", "/api/v1/requests/{key}"),
    ("POST", "/api/v1/requests/{key}/notes"),
    ("GET", "/api/v1/departments/{slug}/scorecard"),
    ("GET", "/api/v1/values"),
    ("GET", "/api/v1/recognitions"),
    ("POST", "/api/v1/recognitions"),
    ("GET", "/api/v1/recognitions/{post_id}"),
    ("PUT", "/api/v1/recognitions/{post_id}/reactions/{kind}"),
    ("DELETE", "/api/v1/recognitions/{post_id}/reactions/{kind}"),
    ("POST", "/api/v1/recognitions/{post_id}/addons"),
]


def test_every_operation_is_walked(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    found = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["valid", "invalid"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_keeps_its_own_document(app, api_world, method, path, mode, monkeypatch):
    """Schemathesis's Python API over the WSGI app (its pytest fixture loader does not run
    under this suite's pytest 9), so each operation is one test with its own examples."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {api_world.token}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
