"""The form builder's approval steps (issue 16 item 1): added, checked whole (a message
beside each field, 422, input kept), moved, removed, audited; htmx gets the section alone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.manage.services import approval_steps
from portal.manage.services.rules import Invalid
from portal.models import ApprovalStep, ApproverKind, AuditEntry
from tests import factories
from tests.conftest import csrf_token_from, signed_in_client

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(app, worlds):
    world = worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))
    factories.make_field(world.laptop, "amount", "number", label="Amount")
    factories.make_field(world.laptop, "model", "choice", label="Model", options=["A", "B"])
    factories.make_field(world.laptop, "budget_holder", "person", label="Budget holder")
    return world


def _add(desk, **kw):
    return approval_steps.add_step(desk.iris, desk.it, desk.laptop,
                                   approval_steps.StepChange(**kw))


def test_every_kind_of_approver_with_a_condition(desk):
    _add(desk, approver_kind="line_manager", condition_key="amount", condition_op="gt",
         condition_value="1000")
    _add(desk, approver_kind="managers_manager")
    _add(desk, approver_kind="person", person_typed="hugo@example.com")
    _add(desk, approver_kind="dept_managers", mode="all", department_id=desk.hr.id)
    _add(desk, approver_kind="person_field", field_key="budget_holder")
    steps = approval_steps.steps(desk.laptop)
    assert [s.approver_kind for s in steps] == list(ApproverKind)
    assert approval_steps.describe(steps[0]) == (
        "the requester’s line manager, when “amount” is more than 1000"
    )
    assert approval_steps.describe(steps[3]) == "all of the managers of HR"
    assert db.session.scalar(select(AuditEntry.action).limit(1)) == "approval_step.add"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"approver_kind": "boss"}, "approver_kind"),
        ({"approver_kind": "person"}, "person"),
        ({"approver_kind": "person", "person_typed": "nobody@example.com"}, "person"),
        ({"approver_kind": "dept_managers"}, "department_id"),
        ({"approver_kind": "person_field", "field_key": "amount"}, "field_key"),
        ({"approver_kind": "line_manager", "mode": "some"}, "mode"),
        ({"approver_kind": "line_manager", "condition_key": "nope", "condition_op": "gt",
          "condition_value": "1"}, "condition_key"),
        ({"approver_kind": "line_manager", "condition_key": "amount", "condition_op": "gt",
          "condition_value": "a lot"}, "condition_value"),
        ({"approver_kind": "line_manager", "condition_key": "model", "condition_op": "gt",
          "condition_value": "5"}, "condition_op"),
    ],
)
def test_a_wrong_step_is_refused_beside_its_field(desk, change, field):
    with pytest.raises(Invalid) as invalid:
        _add(desk, **change)
    assert field in invalid.value.errors
    assert approval_steps.steps(desk.laptop) == []


def test_the_builder_section_over_http(desk, app):
    client = signed_in_client(app, desk.iris)
    page = client.get(f"/manage/it/services/{desk.laptop.id}")
    html = page.get_data(as_text=True)
    assert "Add an approval step" in html
    token = csrf_token_from(html)
    url = f"/manage/it/services/{desk.laptop.id}/approval-steps"
    refused = client.post(url, headers=HX, data={"csrf_token": token,
                                                  "step-approver_kind": "dept_managers",
                                                  "step-condition_value": "kept"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "<html" not in body
    assert "Choose the department whose managers approve." in body and 'value="kept"' in body
    added = client.post(url, headers=HX, data={
        "csrf_token": token, "step-approver_kind": "line_manager", "step-mode": "any",
        "step-condition_key": "amount", "step-condition_op": "gt",
        "step-condition_value": "1000"})
    assert added.status_code == 200 and "<html" not in added.get_data(as_text=True)
    assert "Step 1:" in added.get_data(as_text=True)
    step = db.session.scalar(select(ApprovalStep))
    _add(desk, approver_kind="managers_manager")
    moved = client.post(f"{url}/{step.id}/move", data={"csrf_token": token, "direction": "down"})
    assert moved.status_code == 303
    db.session.expire_all()
    assert [s.approver_kind for s in approval_steps.steps(desk.laptop)] == [
        ApproverKind.MANAGERS_MANAGER, ApproverKind.LINE_MANAGER]
    removed = client.post(f"{url}/{step.id}/remove", headers=HX, data={"csrf_token": token})
    assert removed.status_code == 200
    assert len(approval_steps.steps(desk.laptop)) == 1
    # Someone who does not manage IT: 404 for the same POST.
    other = signed_in_client(app, desk.hugo)
    their_token = csrf_token_from(other.get("/").get_data(as_text=True))
    assert other.post(url, data={"csrf_token": their_token}).status_code == 404
