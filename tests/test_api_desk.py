"""The REST API's department side of a request (issue 19): status, assignment, priority
and transfer through the request page's own panel rules, and internal notes; 404 for
anyone who does not work in the request's department, 409 for a stale version."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts import api_tokens
from portal.extensions import db
from portal.models import EventKind, RequestEvent, RequestStatus, ServiceRequest, TokenScope
from tests import factories

PROBLEM = "application/problem+json"


def token(user, scope=TokenScope.READ_WRITE) -> dict:
    _row, text = api_tokens.issue(user, api_tokens.NewToken("Bot", scope, 30))
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def desk(worlds):
    world = worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))
    world.request = factories.make_request(world.laptop, world.erin)
    return world


def patch(client, desk, who, **body):
    return client.patch(f"/api/v1/requests/{desk.request.key}", json=body, headers=token(who))


def fresh() -> ServiceRequest:
    db.session.expire_all()
    return db.session.scalars(select(ServiceRequest)).one()


def test_an_agent_takes_a_request_and_sets_it_in_progress(client, desk):
    response = patch(client, desk, desk.ivan, assignee="ivan@example.com", status="in_progress")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["changes"] == ["Assigned to Ivan Agent", "Status: in progress"]
    sr = fresh()
    assert (sr.assignee_id, sr.status) == (desk.ivan.id, RequestStatus.IN_PROGRESS)
    read = client.get(f"/api/v1/requests/{sr.key}", headers=token(desk.erin)).get_json()
    assert read["status"] == "in_progress" and read["version"] == sr.version


def test_the_requester_and_outsiders_cannot_work_it(client, desk):
    for who in (desk.erin, desk.hugo):
        response = patch(client, desk, who, status="in_progress")
        assert response.status_code == 404 and response.mimetype == PROBLEM
        note = client.post(f"/api/v1/requests/{desk.request.key}/notes",
                           json={"body": "hm"}, headers=token(who))
        assert note.status_code == 404
    assert fresh().status is RequestStatus.NEW


def test_a_stale_version_is_409_and_changes_nothing(client, desk):
    version = fresh().version
    assert patch(client, desk, desk.ivan, priority="urgent", version=version).status_code == 200
    late = patch(client, desk, desk.iris, status="in_progress", version=version)
    assert late.status_code == 409 and late.mimetype == PROBLEM
    assert "Ivan Agent" in late.get_json()["detail"]
    assert fresh().status is RequestStatus.NEW


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "waiting"}, "message"),  # the requester must be told what is needed
        ({"status": "sleeping"}, "status"),
        ({"assignee": "nobody@example.com"}, "assignee"),
        ({"assignee": "hugo@example.com"}, "assignee"),  # not in IT
        ({"department": "hr"}, "message"),  # a transfer needs its reason
        ({"department": "atlantis", "message": "Theirs"}, "department"),
        ({"message": "Hello"}, "message"),  # a message alone goes nowhere
        ({"priority": "whenever"}, "priority"),
        ({"version": -1}, "version"),
        ({"assignee": "ivan@example.com\x00"}, "assignee"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_change_that_needs_another_look_names_the_field_and_changes_nothing(
    client, desk, body, field
):
    before = fresh().version
    response = patch(client, desk, desk.iris, **body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in [e["field"] for e in response.get_json()["errors"]]
    sr = fresh()
    assert (sr.version, sr.status, sr.assignee_id) == (before, RequestStatus.NEW, None)


def test_an_agent_assigns_only_themselves_a_manager_anyone(client, desk):
    refused = patch(client, desk, desk.ivan, assignee="iris@example.com")
    assert refused.status_code == 422
    assert patch(client, desk, desk.iris, assignee="ivan@example.com").status_code == 200
    assert patch(client, desk, desk.iris, assignee="none").get_json()["changes"] == ["Unassigned"]
    assert fresh().assignee_id is None


def test_a_transfer_out_of_sight_says_so(client, desk):
    response = patch(client, desk, desk.ivan, department="hr", message="HR handles this")
    assert response.status_code == 200
    assert response.get_json()["still_visible"] is False
    assert client.get(f"/api/v1/requests/{desk.request.key}",
                      headers=token(desk.ivan)).status_code == 404


def test_a_note_is_internal(client, desk):
    response = client.post(f"/api/v1/requests/{desk.request.key}/notes",
                           json={"body": "Ordered from the supplier."}, headers=token(desk.ivan))
    assert response.status_code == 201
    [note] = db.session.scalars(select(RequestEvent).where(RequestEvent.kind == EventKind.NOTE))
    assert note.internal and note.body == "Ordered from the supplier."
    empty = client.post(f"/api/v1/requests/{desk.request.key}/notes", json={"body": " "},
                        headers=token(desk.ivan))
    assert empty.status_code == 422
    reader = client.post(f"/api/v1/requests/{desk.request.key}/notes", json={"body": "x"},
                         headers=token(desk.ivan, TokenScope.READ))
    assert reader.status_code == 403
