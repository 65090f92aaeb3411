"""Bundles (issue 16 item 3): defining one, starting it, children opening in order, the
parent resolving or cancelled — and each bad input the issue lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from portal.approvals.services import deciding, waiting
from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.fulfilment.services import defining, handoffs, progress, reading, starting
from portal.manage.services.rules import Invalid
from portal.models import (
    ApprovalMode,
    ApprovalStep,
    ApproverKind,
    AuditEntry,
    BundleChild,
    BundleRun,
    Decision,
    EventKind,
    OutboxMessage,
    RequestApproval,
    RequestEvent,
    RequestStatus,
    RunStatus,
    ServiceRequest,
)
from portal.service_requests.services import lifecycle
from tests import worlds

MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
ANSWERS = [
    {
        "key": "full_name",
        "label": "Full name",
        "kind": "short_text",
        "value": "Sam Okafor",
        "display": "Sam Okafor",
    },
    {
        "key": "start_date",
        "label": "Start date",
        "kind": "date",
        "value": "2026-12-14",
        "display": "14 December 2026",
    },
]


@pytest.fixture
def w(app):
    return worlds.new_starter()


def _start(w, form="tok-1", actor=None, now=MONDAY):
    return starting.start_bundle(
        w.bundle, actor or w.hugo, starting.Start(form_token=form, answers=ANSWERS), now
    )


def _children(run) -> dict[str, ServiceRequest]:
    return {link.request.department.slug: link.request for link in progress.children_of(run)}


def test_starting_files_one_request_per_step_each_in_its_queue_with_its_clock(w):
    run, created = _start(w)
    assert created and run.status is RunStatus.OPEN
    children = _children(run)
    assert set(children) == {"hr", "it", "facilities", "security"}
    for slug in ("hr", "facilities", "security"):
        assert children[slug].status is RequestStatus.NEW
        assert children[slug].due_at is not None
    accounts = children["it"]
    assert accounts.status is RequestStatus.BLOCKED
    assert accounts.due_at is None and accounts.at_risk_at is None
    assert accounts.title == "Accounts and laptop — Sam Okafor"
    # The mapped answers under the child's own questions.
    assert {a["key"]: a["value"] for a in accounts.answers} == {
        "full_name": "Sam Okafor",
        "first_day": "2026-12-14",
    }
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "bundle.start"))


def test_a_waiting_child_opens_when_the_one_it_waits_for_is_resolved(w):
    run, _ = _start(w)
    children = _children(run)
    contract, accounts = children["hr"], children["it"]
    later = MONDAY + timedelta(days=1)  # Tuesday 10:00: a business day after
    lifecycle.change_status(contract, w.hana, RequestStatus.RESOLVED, now=later)
    db.session.refresh(accounts)
    assert accounts.status is RequestStatus.NEW
    # Its clock starts when it opens: 4 business hours from Tuesday 10:00, not Monday's.
    assert accounts.due_at.replace(tzinfo=UTC) == later + timedelta(hours=4)
    notes = db.session.scalars(
        select(RequestEvent.body).where(
            RequestEvent.request_id == accounts.id, RequestEvent.kind == EventKind.NOTE
        )
    ).all()
    assert notes == [f"Opened: {contract.key} was resolved."]
    assert db.session.get(BundleRun, run.id).status is RunStatus.OPEN


def test_the_parent_resolves_with_its_last_child(w):
    run, _ = _start(w)
    children = _children(run)
    now = MONDAY + timedelta(hours=1)
    for slug, agent in (("hr", w.hana), ("facilities", w.fay), ("security", w.sid)):
        lifecycle.change_status(children[slug], agent, RequestStatus.RESOLVED, now=now)
        assert db.session.get(BundleRun, run.id).status is RunStatus.OPEN
    lifecycle.change_status(children["it"], w.ivan, RequestStatus.RESOLVED, now=now)
    db.session.expire_all()
    assert db.session.get(BundleRun, run.id).status is RunStatus.RESOLVED
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "bundle.resolve"))


def test_cancelling_the_parent_cancels_open_and_waiting_children_with_the_reason(w):
    run, _ = _start(w)
    children = _children(run)
    lifecycle.change_status(children["facilities"], w.fay, RequestStatus.RESOLVED, now=MONDAY)
    progress.cancel_run(run, w.hugo, "The offer was withdrawn.", now=MONDAY)
    db.session.expire_all()
    statuses = {slug: db.session.get(ServiceRequest, sr.id).status for slug, sr in children.items()}
    assert statuses == {
        "hr": RequestStatus.CANCELLED,
        "it": RequestStatus.CANCELLED,
        "facilities": RequestStatus.RESOLVED,
        "security": RequestStatus.CANCELLED,
    }
    body = db.session.scalar(
        select(RequestEvent.body).where(
            RequestEvent.request_id == children["it"].id, RequestEvent.kind == EventKind.REPLY
        )
    )
    assert "The offer was withdrawn." in body
    assert db.session.get(BundleRun, run.id).cancel_reason == "The offer was withdrawn."
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "bundle.cancel"))


def test_a_child_cancelled_on_its_own_opens_the_one_waiting_for_it(w):
    """The dependency is gone: the waiting child opens (its clock starts then) with a note
    saying why, and the parent resolves with the last of the others."""
    run, _ = _start(w)
    children = _children(run)
    contract, accounts = children["hr"], children["it"]
    later = MONDAY + timedelta(days=1)
    lifecycle.cancel(contract, w.hugo, now=later)
    db.session.expire_all()
    accounts = db.session.get(ServiceRequest, accounts.id)
    assert accounts.status is RequestStatus.NEW
    assert accounts.due_at.replace(tzinfo=UTC) == later + timedelta(hours=4)
    notes = db.session.scalars(
        select(RequestEvent.body).where(
            RequestEvent.request_id == accounts.id, RequestEvent.kind == EventKind.NOTE
        )
    ).all()
    assert notes == [f"Opened: {contract.key}, which this waited for, was cancelled, so it "
                     "waits no more."]
    assert db.session.get(BundleRun, run.id).status is RunStatus.OPEN
    for slug, agent in (("facilities", w.fay), ("security", w.sid), ("it", w.ivan)):
        sr = db.session.get(ServiceRequest, children[slug].id)
        lifecycle.change_status(sr, agent, RequestStatus.RESOLVED, now=later)
    db.session.expire_all()
    assert db.session.get(BundleRun, run.id).status is RunStatus.RESOLVED


def test_the_parent_follows_when_its_last_open_child_is_cancelled(w):
    run, _ = _start(w)
    children = _children(run)
    for slug, agent in (("hr", w.hana), ("it", w.ivan), ("facilities", w.fay)):
        sr = db.session.get(ServiceRequest, children[slug].id)
        lifecycle.change_status(sr, agent, RequestStatus.RESOLVED, now=MONDAY)
    assert db.session.get(BundleRun, run.id).status is RunStatus.OPEN
    lifecycle.change_status(children["security"], w.sid, RequestStatus.CANCELLED, now=MONDAY)
    db.session.expire_all()
    assert db.session.get(BundleRun, run.id).status is RunStatus.RESOLVED


def test_the_parent_is_cancelled_when_every_child_was(w):
    run, _ = _start(w)
    children = _children(run)
    for slug in ("hr", "it", "facilities", "security"):  # "it" opens when "hr" goes
        lifecycle.cancel(db.session.get(ServiceRequest, children[slug].id), w.hugo, now=MONDAY)
    db.session.expire_all()
    parent = db.session.get(BundleRun, run.id)
    assert parent.status is RunStatus.CANCELLED
    assert parent.cancel_reason == "Every request in it was cancelled."


def _approval_on(service, approver):
    db.session.add(
        ApprovalStep(
            service_id=service.id,
            position=0,
            approver_kind=ApproverKind.PERSON,
            mode=ApprovalMode.ANY,
            person_id=approver.id,
        )
    )
    db.session.commit()


def _pending(sr) -> list[RequestApproval]:
    return list(
        db.session.scalars(
            select(RequestApproval).where(
                RequestApproval.request_id == sr.id, RequestApproval.decision == Decision.PENDING
            )
        )
    )


def test_a_child_opening_goes_through_its_services_approval(w):
    """IT's accounts need Erin's yes: when the contract is resolved the child awaits it
    (no clock, IT not told), and IT's clock starts with the yes."""
    _approval_on(w.accounts, w.erin)
    run, _ = _start(w)
    children = _children(run)
    contract, accounts = children["hr"], children["it"]
    assert _pending(accounts) == []  # not asked while it waits for the contract
    later = MONDAY + timedelta(days=1)
    before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    lifecycle.change_status(contract, w.hana, RequestStatus.RESOLVED, now=later)
    db.session.expire_all()
    accounts = db.session.get(ServiceRequest, accounts.id)
    assert accounts.status is RequestStatus.AWAITING_APPROVAL
    assert db.session.scalar(
        select(ServiceRequest.status).where(ServiceRequest.id == accounts.id)
    ) is RequestStatus.AWAITING_APPROVAL
    assert db.session.execute(
        text("SELECT status FROM service_request WHERE id = :id"), {"id": accounts.id}
    ).scalar_one() == "approval"
    assert accounts.due_at is None
    (row,) = _pending(accounts)
    assert row.approver_id == w.erin.id
    told = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id).offset(before))
    recipients = {m.recipient for m in told}
    assert "erin@example.com" in recipients and "ivan@example.com" not in recipients
    approved = later + timedelta(hours=2)
    deciding.decide(w.erin, row.id, True, now=approved)
    db.session.expire_all()
    accounts = db.session.get(ServiceRequest, accounts.id)
    assert accounts.status is RequestStatus.NEW
    assert accounts.due_at.replace(tzinfo=UTC) == approved + timedelta(hours=4)
    assert "ivan@example.com" in {m.recipient for m in db.session.scalars(select(OutboxMessage))}


def test_a_child_filed_open_goes_through_its_services_approval_too(w):
    _approval_on(w.desk, w.erin)
    run, _ = _start(w)
    desk = _children(run)["facilities"]
    assert desk.status is RequestStatus.AWAITING_APPROVAL and desk.due_at is None
    assert [r.approver_id for r in _pending(desk)] == [w.erin.id]
    assert "fay@example.com" not in {
        m.recipient for m in db.session.scalars(select(OutboxMessage))
    }


def test_cancelling_the_parent_closes_a_childs_pending_approval(w):
    _approval_on(w.desk, w.erin)
    run, _ = _start(w)
    desk = _children(run)["facilities"]
    (row,) = _pending(desk)
    progress.cancel_run(run, w.hugo, "The offer was withdrawn.", now=MONDAY)
    db.session.expire_all()
    assert db.session.get(ServiceRequest, desk.id).status is RequestStatus.CANCELLED
    row = db.session.get(RequestApproval, row.id)
    assert row.decision is Decision.SETTLED and row.nonce is None
    assert waiting.my_approvals(w.erin) == []
    # Nothing opened on the way: the child waiting for the contract was cancelled too.
    accounts = db.session.get(ServiceRequest, _children(run)["it"].id)
    assert accounts.status is RequestStatus.CANCELLED


def test_a_rejected_child_opens_what_waited_for_it(w):
    _approval_on(w.contract, w.erin)
    run, _ = _start(w)
    contract, accounts = _children(run)["hr"], _children(run)["it"]
    (row,) = _pending(contract)
    deciding.decide(w.erin, row.id, False, "No budget for the role.", now=MONDAY)
    db.session.expire_all()
    assert db.session.get(ServiceRequest, contract.id).status is RequestStatus.CANCELLED
    assert db.session.get(ServiceRequest, accounts.id).status is RequestStatus.NEW


# Bad inputs ----------------------------------------------------------------------------


def test_a_circular_wait_is_refused_when_saved(w):
    contract = w.steps["contract"]
    with pytest.raises(Invalid) as refused:
        defining.save_step(
            w.hugo,
            w.hr,
            w.bundle,
            defining.StepChange(w.contract.id, "Contract signed", w.steps["accounts"].id),
            contract.id,
        )
    assert "circle" in refused.value.errors["waits_for_id"]
    assert db.session.get(type(contract), contract.id).waits_for_id is None


def test_a_circular_wait_is_refused_beside_its_field(w, client, login, csrf):
    login(w.hugo)
    contract = w.steps["contract"]
    response = client.post(
        f"/manage/hr/bundles/{w.bundle.id}/steps/{contract.id}",
        data={
            "csrf_token": csrf("/"),
            f"step{contract.id}-service_id": str(w.contract.id),
            f"step{contract.id}-title": "Contract signed",
            f"step{contract.id}-waits_for_id": str(w.steps["accounts"].id),
        },
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html
    assert "wait for each other in a circle" in html
    assert f'id="step{contract.id}-waits_for_id"' in html


def test_a_step_on_an_archived_department_or_a_removed_service_is_refused(w):
    w.security.active = False
    db.session.commit()
    with pytest.raises(Invalid) as refused:
        defining.save_step(w.hugo, w.hr, w.bundle, defining.StepChange(w.badge.id, "Pass"))
    assert "no longer takes requests" in refused.value.errors["service_id"]
    w.security.active = True
    w.desk.active = False  # removed after the step was saved
    db.session.commit()
    with pytest.raises(Refused, match="no longer takes requests"):
        _start(w)
    assert db.session.scalar(select(BundleRun.id)) is None


def test_starting_twice_with_the_same_token_makes_one_run(w, client, login, csrf):
    first, created = _start(w, form="same")
    again, created_again = _start(w, form="same")
    assert created and not created_again and again.id == first.id
    assert len(db.session.scalars(select(BundleChild.id)).all()) == 4
    with pytest.raises(Refused):  # someone else's used form
        _start(w, form="same", actor=w.hana)


def test_the_form_refuses_missing_and_wrong_answers_beside_each_field(w, client, login, csrf):
    login(w.hugo)
    response = client.post(
        f"/bundles/{w.bundle.id}/start",
        data={
            "csrf_token": csrf("/"),
            "form_token": "t-1",
            "f_full_name": "",
            "f_start_date": "2026-02-30",
            "f_role": "Analyst",
            "f_office": "Paris",
        },
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html
    assert "Enter full name." in html
    assert "Choose office from the list." in html
    assert 'value="Analyst"' in html  # the input is kept
    assert db.session.scalar(select(BundleRun.id)) is None


def test_one_field_is_checked_as_it_is_typed(w, client, login, csrf):
    login(w.hugo)
    response = client.post(
        f"/bundles/{w.bundle.id}/start/check",
        data={"csrf_token": csrf("/"), "f_office": "Paris"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "f_office"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="slot-f_office"' in html


def test_starting_by_the_form_goes_to_the_parent_page(w, client, login, csrf):
    login(w.hugo)
    response = client.post(
        f"/bundles/{w.bundle.id}/start",
        data={
            "csrf_token": csrf("/"),
            "form_token": "t-2",
            "f_full_name": "Sam Okafor",
            "f_start_date": "2026-12-14",
            "f_role": "Analyst",
            "f_office": "London",
        },
        headers={"HX-Request": "true"},
    )
    run = db.session.scalar(select(BundleRun))
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/bundles/runs/{run.id}"
    page = client.get(f"/bundles/runs/{run.id}").get_data(as_text=True)
    assert page.count("Not started") == 1 and "Waiting on another request" in page
    child = _children(run)["it"]
    assert f"/bundles/runs/{run.id}" in client.get(f"/requests/{child.key}").get_data(as_text=True)


def test_someone_without_access_gets_404(w, client, login, csrf):
    run, _ = _start(w)
    login(w.erin)
    assert client.get(f"/bundles/{w.bundle.id}/start").status_code == 404
    assert client.get(f"/bundles/runs/{run.id}").status_code == 404
    assert client.get(f"/manage/hr/bundles/{w.bundle.id}").status_code == 404
    with pytest.raises(NotFound):
        starting.startable_bundle(w.ivan, w.bundle.id)
    # A child's department sees the parent (both sides, one clock), but cannot cancel it.
    assert reading.run_page(w.ivan, run.id).may_cancel is False


def test_cancelling_without_a_reason_is_refused(w, client, login, csrf):
    run, _ = _start(w)
    with pytest.raises(Refused) as refused:
        progress.cancel_run(run, w.hugo, "   ")
    assert refused.value.field == "reason"
    login(w.hugo)
    response = client.post(
        f"/bundles/runs/{run.id}/cancel",
        data={"reason": "", "csrf_token": csrf("/")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Say why it is cancelled" in response.get_data(as_text=True)
    assert db.session.get(BundleRun, run.id).status is RunStatus.OPEN


def test_children_count_as_hand_offs(w):
    _start(w)
    assert handoffs.bundle_handoffs() == {
        (w.hr.id, w.it.id): 1,
        (w.hr.id, w.facilities.id): 1,
        (w.hr.id, w.security.id): 1,
    }


def test_the_queue_shows_a_waiting_child_as_not_started(w, client, login, csrf):
    run, _ = _start(w)
    login(w.ivan)
    open_tab = client.get("/queue/it").get_data(as_text=True)
    later = client.get("/queue/it?tab=not-started").get_data(as_text=True)
    key = _children(run)["it"].key
    assert key not in open_tab and key in later and "Not started" in later
