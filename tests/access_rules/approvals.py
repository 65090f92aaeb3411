"""Approvals (issue 16): an approval is its approver's alone (404 for everyone else, the
same as for one that does not exist); the e-mailed link needs its approver signed in; only
an admin reassigns an absent approver's approvals; approval steps are the form builder's
(the department's managers and admins)."""

from __future__ import annotations

from sqlalchemy import select

from portal.approvals.services import links
from portal.extensions import db
from portal.models import (
    ApprovalMode,
    ApprovalStep,
    ApproverKind,
    ReportingLine,
    RequestApproval,
)
from tests import factories
from tests.access_rules import Rule, World, everyone, only

MANAGERS = {"manager", "admin"}
APPROVER = {"other_manager"}  # Hugo: Erin's line manager in this world


def setup(world: World) -> None:
    purchase = factories.make_service(world.it, slug="purchase", name="Purchase")
    db.session.add_all(
        [
            ReportingLine(user_id=world.users["employee"].id,
                          manager_id=world.users["other_manager"].id),
            ApprovalStep(service_id=purchase.id, position=0, mode=ApprovalMode.ANY,
                         approver_kind=ApproverKind.LINE_MANAGER),
            # On the laptop form, a step whose condition never holds (other rules file laptops).
            ApprovalStep(service_id=world.laptop.id, position=0, mode=ApprovalMode.ANY,
                         approver_kind=ApproverKind.LINE_MANAGER, condition_key="model",
                         condition_op="eq", condition_value="Never"),
        ]
    )
    db.session.commit()
    sr = factories.make_request(purchase, world.users["employee"])
    world.approval = db.session.scalar(
        select(RequestApproval).where(RequestApproval.request_id == sr.id)
    )
    world.approval_token = links.token_for(world.approval.id, world.approval.nonce, "approve")
    world.step = db.session.scalar(
        select(ApprovalStep).where(ApprovalStep.service_id == world.laptop.id)
    )


def approval(w: World) -> dict:
    return {"approval_id": w.approval.id}


def step(w: World) -> dict:
    return {"dept": w.it.slug, "service_id": w.laptop.id, "step_id": w.step.id}


RULES = [
    Rule("approvals.mine", "GET", expect=everyone()),
    Rule("approvals.show", "GET", url=approval, expect=only(APPROVER, 200)),
    Rule("approvals.decide", "POST", url=approval, data=lambda w: {"decision": "approve"},
         expect=only(APPROVER, 303)),
    Rule("approvals.delegate", "POST", url=approval,
         data=lambda w: {"delegate_to": "ivan@example.com"}, expect=only(APPROVER, 303)),
    Rule("approvals.link", "GET", url=lambda w: {"token": w.approval_token},
         expect=only(APPROVER, 200)),
    Rule("approvals.link", "POST", url=lambda w: {"token": w.approval_token},
         data=lambda w: {"decision": "approve"}, expect=only(APPROVER, 303)),
    Rule("approvals.reassign", "GET", expect=only({"admin"}, 200)),
    Rule("approvals.reassign", "POST",
         data=lambda w: {"absent": "hugo@example.com", "to": "iris@example.com"},
         expect=only({"admin"}, 303)),
    Rule("manage.add_approval_step", "POST",
         url=lambda w: {"dept": w.it.slug, "service_id": w.laptop.id},
         data=lambda w: {"step-approver_kind": "line_manager", "step-mode": "any"},
         expect=only(MANAGERS, 303)),
    Rule("manage.move_approval_step", "POST", url=step, data=lambda w: {"direction": "up"},
         expect=only(MANAGERS, 303)),
    Rule("manage.remove_approval_step", "POST", url=step, expect=only(MANAGERS, 303)),
]
