"""Approvals (issue 16): steps per service, awaiting approval without a running clock,
decisions from the pages and the e-mailed single-use links, and each listed bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.approvals.services import deciding, handing_on, links, reminders, waiting
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.insights import rollup
from portal.models import (
    ApprovalMode,
    ApprovalStep,
    ApproverKind,
    AuditEntry,
    Decision,
    EventKind,
    OutboxMessage,
    ReportingLine,
    RequestApproval,
    RequestEvent,
    RequestStatus,
)
from portal.service_requests import clocks
from portal.service_requests.services import lifecycle
from tests import factories
from tests.conftest import csrf_token_from, signed_in_client
from tests.statements import count_statements

# Monday 1 December 2025, 10:00 London (= UTC in winter): IT is open 9 to 17.
MONDAY = datetime(2025, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def desk(app, worlds):
    world = worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))
    world.mark = factories.make_user(name="Mark Manager", email="mark@example.com")
    world.boss = factories.make_user(name="Bea Boss", email="bea@example.com")
    db.session.add_all(
        [
            ReportingLine(user_id=world.erin.id, manager_id=world.mark.id),
            ReportingLine(user_id=world.mark.id, manager_id=world.boss.id),
        ]
    )
    factories.make_field(world.laptop, "amount", "number", label="Amount")
    db.session.add(
        ApprovalStep(
            service_id=world.laptop.id,
            position=0,
            approver_kind=ApproverKind.LINE_MANAGER,
            mode=ApprovalMode.ANY,
            condition_key="amount",
            condition_op="gt",
            condition_value="1000",
        )
    )
    db.session.commit()
    return world


def _answers(amount):
    return [{"key": "amount", "label": "Amount", "kind": "number", "value": amount,
             "display": str(amount)}]


def _file(desk, amount=2400, requester=None, now=MONDAY):
    return factories.make_request(desk.laptop, requester or desk.erin, answers=_answers(amount),
                                  now=now)


def _rows(sr):
    return list(db.session.scalars(
        select(RequestApproval).where(RequestApproval.request_id == sr.id)
        .order_by(RequestApproval.step, RequestApproval.id)
    ))


def test_a_small_purchase_needs_no_approval(desk):
    sr = _file(desk, amount=300)
    assert sr.status is RequestStatus.NEW
    assert _rows(sr) == []


def test_awaiting_approval_runs_no_clock_until_the_yes(desk):
    sr = _file(desk)
    assert sr.status is RequestStatus.AWAITING_APPROVAL
    assert sr.due_at is None
    (row,) = _rows(sr)
    assert row.approver_id == desk.mark.id and row.decision is Decision.PENDING
    # The approver is told by e-mail with links, and in-app; the department is not told yet.
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [m.recipient for m in mails] == ["mark@example.com"]
    assert "/approvals/link/" in mails[0].body
    # Two business hours later Mark approves: the first-response clock starts then.
    later = MONDAY + timedelta(hours=2)
    deciding.decide(desk.mark, row.id, True, now=later)
    db.session.refresh(sr)
    assert sr.status is RequestStatus.NEW
    measured = clocks.request_clocks(sr, later + timedelta(hours=1))
    assert round(measured.first_response.elapsed_minutes) == 60
    assert clock.aware(sr.due_at) == later + timedelta(minutes=240)
    recipients = {m.recipient for m in db.session.scalars(select(OutboxMessage))}
    assert {"ivan@example.com", "iris@example.com", "erin@example.com"} <= recipients
    words = [e.to_value for e in db.session.scalars(
        select(RequestEvent).where(RequestEvent.request_id == sr.id,
                                   RequestEvent.kind == EventKind.APPROVAL))]
    assert words == ["approved"]
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.action == "approval.approve")) == "approval.approve"


def test_two_steps_in_order_all_of(desk):
    step = db.session.scalar(select(ApprovalStep))
    step.condition_key = None
    db.session.add(ApprovalStep(service_id=desk.laptop.id, position=1, mode=ApprovalMode.ALL,
                                approver_kind=ApproverKind.DEPARTMENT_MANAGERS,
                                approver_department_id=desk.hr.id))
    db.session.commit()
    sr = _file(desk)
    first, second = _rows(sr)
    assert (first.step, second.step) == (1, 2)
    assert second.decision is Decision.QUEUED and second.approver_id == desk.hugo.id
    deciding.decide(desk.mark, first.id, True, now=MONDAY)
    db.session.refresh(second)
    assert second.decision is Decision.PENDING
    assert db.session.get(type(sr), sr.id).status is RequestStatus.AWAITING_APPROVAL
    deciding.decide(desk.hugo, second.id, True, now=MONDAY)
    assert db.session.get(type(sr), sr.id).status is RequestStatus.NEW


def test_rejection_needs_a_reason_and_cancels_with_it(desk):
    sr = _file(desk)
    (row,) = _rows(sr)
    with pytest.raises(Refused) as refused:
        deciding.decide(desk.mark, row.id, False, "  ")
    assert refused.value.field == "reason"
    deciding.decide(desk.mark, row.id, False, "Use the spare one in the cupboard.")
    db.session.refresh(sr)
    assert sr.status is RequestStatus.CANCELLED
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "erin@example.com")).all()
    assert any("spare one in the cupboard" in m.body for m in mail)


def test_approving_twice_is_refused(desk):
    (row,) = _rows(_file(desk))
    deciding.decide(desk.mark, row.id, True)
    with pytest.raises(Refused, match="already approved"):
        deciding.decide(desk.mark, row.id, True)


def test_someone_else_cannot_approve(desk):
    (row,) = _rows(_file(desk))
    with pytest.raises(NotFound):
        deciding.decide(desk.iris, row.id, True)
    client = signed_in_client(_app(), desk.ivan)
    assert client.get(f"/approvals/{row.id}").status_code == 404


def _app():
    from flask import current_app

    return current_app._get_current_object()


def test_a_manager_filing_for_themselves_goes_to_their_manager(desk):
    sr = _file(desk, requester=desk.mark)
    (row,) = _rows(sr)
    assert row.approver_id == desk.boss.id


def test_a_step_naming_the_requester_goes_to_their_manager(desk):
    step = db.session.scalar(select(ApprovalStep))
    step.approver_kind = ApproverKind.PERSON
    step.person_id = desk.mark.id
    db.session.commit()
    (row,) = _rows(_file(desk, requester=desk.mark))
    assert row.approver_id == desk.boss.id
    assert "cannot approve their own request" in row.note


def test_no_line_manager_falls_back_to_the_department_managers_and_says_so(desk):
    db.session.execute(ReportingLine.__table__.delete())
    db.session.commit()
    # Ivan works in IT (an agent); IT's manager is Iris.
    desk.ivan.department_id = desk.it.id
    db.session.commit()
    (row,) = _rows(_file(desk, requester=desk.ivan))
    assert row.approver_id == desk.iris.id
    assert "has no line manager on record" in row.note and "managers of IT" in row.note
    client = signed_in_client(_app(), desk.ivan)
    page = client.get(f"/requests/{row.request.key}").get_data(as_text=True)
    assert "has no line manager on record" in page and "Waiting for" in page


def test_approving_a_cancelled_request_is_refused(desk):
    sr = _file(desk)
    (row,) = _rows(sr)
    lifecycle.cancel(sr, desk.erin)
    with pytest.raises(Refused, match="cancelled"):
        deciding.decide(desk.mark, row.id, True)
    assert waiting.my_approvals(desk.mark) == []


def test_cancelling_a_request_closes_its_approvals(desk, app):
    """Both steps' rows are settled: gone from "My approvals", the e-mailed link shows the
    "no longer needed" page and decides nothing, and no reminder is sent."""
    step = db.session.scalar(select(ApprovalStep))
    db.session.add(ApprovalStep(service_id=desk.laptop.id, position=1, mode=ApprovalMode.ALL,
                                approver_kind=ApproverKind.DEPARTMENT_MANAGERS,
                                approver_department_id=desk.hr.id))
    step.condition_key = None
    db.session.commit()
    sr = _file(desk)
    path = "/" + _link_from_mail("mark@example.com", "approve")
    lifecycle.cancel(sr, desk.erin, now=MONDAY + timedelta(hours=1))
    db.session.expire_all()
    assert [(r.decision, r.nonce) for r in _rows(sr)] == [(Decision.SETTLED, None)] * 2
    assert waiting.my_approvals(desk.mark) == []
    app.config["APPROVAL_REMIND_HOURS"] = 8
    assert reminders.due_reminders(MONDAY + timedelta(days=3)) == []
    assert reminders.send_reminders(now=MONDAY + timedelta(days=3)) == 0
    client = signed_in_client(_app(), desk.mark)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Your decision is no longer needed here: {sr.key} is cancelled." in html
    assert 'name="decision"' not in html
    done = client.post(path, data={"csrf_token": csrf_token_from(html), "decision": "approve"})
    assert done.status_code == 422 and "nothing to decide any more" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(sr), sr.id).status is RequestStatus.CANCELLED
    assert {r.decision for r in _rows(sr)} == {Decision.SETTLED}


def _link_from_mail(to: str, decision: str) -> str:
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == to)
                              .order_by(OutboxMessage.id.desc())).first()
    label = "Approve" if decision == "approve" else "Reject (you will be asked why)"
    match = re.search(rf"{re.escape(label)}: (\S+)", mail.body)
    return match.group(1).split("://", 1)[1].split("/", 1)[1]


def test_the_link_confirms_before_it_decides_and_works_once(desk):
    sr = _file(desk)
    path = "/" + _link_from_mail("mark@example.com", "approve")
    client = signed_in_client(_app(), desk.mark)
    page = client.get(path)
    assert page.status_code == 200 and "Approve" in page.get_data(as_text=True)
    assert db.session.get(type(sr), sr.id).status is RequestStatus.AWAITING_APPROVAL
    token = csrf_token_from(page.get_data(as_text=True))
    assert client.post(path, data={"decision": "approve"}).status_code == 400  # no CSRF
    done = client.post(path, data={"csrf_token": token, "decision": "approve"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(type(sr), sr.id).status is RequestStatus.NEW
    again = client.get(path)
    assert again.status_code == 410 and "Nothing was changed" in again.get_data(as_text=True)
    assert client.post(path, data={"csrf_token": token, "decision": "approve"}).status_code == 410


def test_reject_by_link_needs_a_reason_beside_the_field(desk):
    sr = _file(desk)
    path = "/" + _link_from_mail("mark@example.com", "reject")
    client = signed_in_client(_app(), desk.mark)
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    answer = client.post(path, data={"csrf_token": token, "decision": "reject", "reason": ""})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="reason-error"' in html
    db.session.expire_all()
    assert db.session.get(type(sr), sr.id).status is RequestStatus.AWAITING_APPROVAL


def test_a_forged_or_expired_link_changes_nothing(desk):
    sr = _file(desk)
    (row,) = _rows(sr)
    client = signed_in_client(_app(), desk.mark)
    forged = client.get("/approvals/link/not-a-real-token")
    assert forged.status_code == 400 and "not one the portal sent" in forged.get_data(as_text=True)
    with pytest.raises(links.LinkProblem) as problem:
        links.read(links.token_for(row.id, row.nonce, "approve"), max_age=-1)
    assert problem.value.kind == "expired"
    other_salt = links.token_for(row.id, "wrong-nonce", "approve")
    assert client.get(f"/approvals/link/{other_salt}").status_code == 410
    db.session.expire_all()
    assert db.session.get(type(sr), sr.id).status is RequestStatus.AWAITING_APPROVAL


def test_my_approvals_lists_oldest_first(desk):
    first = _file(desk, now=MONDAY)
    second = _file(desk, now=MONDAY + timedelta(hours=1))
    client = signed_in_client(_app(), desk.mark)
    html = client.get("/me/approvals").get_data(as_text=True)
    assert html.index(first.key) < html.index(second.key)


def test_delegate_and_admin_reassign(desk):
    sr = _file(desk)
    (row,) = _rows(sr)
    old_nonce = row.nonce
    handing_on.delegate(desk.mark, row.id, desk.iris)
    db.session.refresh(row)
    assert row.approver_id == desk.iris.id and row.nonce != old_nonce
    with pytest.raises(Refused):
        handing_on.delegate(desk.iris, row.id, desk.erin)  # the requester
    admin = factories.make_user(name="Ada Admin", email="ada@example.com", is_admin=True)
    with pytest.raises(NotFound):
        handing_on.reassign_all(desk.iris, desk.iris, desk.hugo)
    assert handing_on.reassign_all(admin, desk.iris, desk.hugo) == 1
    db.session.refresh(row)
    assert row.approver_id == desk.hugo.id
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"approval.delegate", "approval.reassign"} <= actions


def test_reminder_after_the_approvers_business_hours(desk, app):
    app.config["APPROVAL_REMIND_HOURS"] = 8
    _file(desk, now=MONDAY)
    assert reminders.send_reminders(now=MONDAY + timedelta(hours=4)) == 0
    assert reminders.send_reminders(now=MONDAY + timedelta(days=1, hours=3)) == 1
    assert reminders.send_reminders(now=MONDAY + timedelta(days=1, hours=3)) == 0
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage))]
    assert any(s.startswith("Reminder:") for s in subjects)


def test_the_scorecard_counts_the_approval_wait_apart(desk):
    now = datetime.now(UTC)
    sr = _file(desk, now=now - timedelta(days=3))
    (row,) = _rows(sr)
    deciding.decide(desk.mark, row.id, True, now=now - timedelta(days=2))
    _file(desk, now=now - timedelta(hours=1))  # still waiting
    client = signed_in_client(_app(), desk.iris)
    html = client.get("/d/it/scorecard").get_data(as_text=True)
    assert "Awaiting approval, counted apart" in html
    assert "1 request waited for approvers" in html and "1 waits now" in html
    assert "our clocks start when a request is approved" in html


def test_the_waits_that_ended_are_figures_of_the_refresh_the_waiting_ones_live(desk):
    """Like the scorecard's own figures, the waits that ended are as of the rollup's last
    refresh, worked out once per refresh (the second view sends no grouped statement over
    the department's requests); the requests waiting now are counted at every view."""
    now = datetime.now(UTC)
    first = _file(desk, now=now - timedelta(days=3))
    deciding.decide(desk.mark, _rows(first)[0].id, True, now=now - timedelta(days=2))
    waiting = _file(desk, now=now - timedelta(hours=2))
    rollup.refresh(now=now - timedelta(hours=1))
    client = signed_in_client(_app(), desk.iris)

    def paragraph() -> str:
        html = client.get("/d/it/scorecard").get_data(as_text=True)
        start = html.index('id="approval-wait"')
        return " ".join(html[start : html.index("</p>", start)].split())

    assert "1 request waited for approvers" in paragraph() and "1 waits now" in paragraph()
    deciding.decide(desk.mark, _rows(waiting)[0].id, True, now=now - timedelta(minutes=5))
    with count_statements() as statements:
        shown = paragraph()
    assert "1 request waited for approvers" in shown  # decided after the refresh: not yet
    assert "waits now" not in shown  # but no longer waiting, at once
    assert not [s for s in statements if "max(request_approval.decided_at)" in s]
    rollup.refresh(now=now)
    assert "2 requests waited for approvers" in paragraph()


def test_the_cron_scan_sends_the_reminders(desk, runner):
    _file(desk, now=datetime.now(UTC) - timedelta(days=5))
    result = runner.invoke(args=["requests", "scan"])
    assert "Reminded approvers of 1 approval." in result.output


def test_delegate_and_reassign_pages_refuse_beside_the_field(desk, app):
    (row,) = _rows(_file(desk))
    client = signed_in_client(app, desk.mark)
    token = csrf_token_from(client.get(f"/approvals/{row.id}").get_data(as_text=True))
    answer = client.post(f"/approvals/{row.id}/delegate",
                         data={"csrf_token": token, "delegate_to": "erin@example.com"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "cannot approve their own request" in html
    assert 'value="erin@example.com"' in html
    admin = factories.make_user(name="Ada Admin", email="ada@example.com", is_admin=True)
    client = signed_in_client(app, admin)
    token = csrf_token_from(client.get("/admin/approvals/reassign").get_data(as_text=True))
    answer = client.post("/admin/approvals/reassign",
                         data={"csrf_token": token, "absent": "mark@example.com", "to": ""})
    assert answer.status_code == 422 and "Choose a colleague." in answer.get_data(as_text=True)
    done = client.post("/admin/approvals/reassign", data={
        "csrf_token": token, "absent": "mark@example.com", "to": "iris@example.com"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(RequestApproval, row.id).approver_id == desk.iris.id
