"""Service accounts for integrations (issue 19 item 2): made by admins on
/admin/service-accounts, acting through their tokens with one role in one department,
through the same services and core.policy as people."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts import api_tokens
from portal.admin import service_accounts
from portal.core.errors import NotFound
from portal.extensions import db
from portal.models import (
    AuditEntry,
    MembershipRole,
    OutboxMessage,
    OutboxStatus,
    TokenScope,
    User,
)
from tests import factories
from tests.conftest import csrf_token_from, signed_in_client


@pytest.fixture
def desk(it_desk):
    it_desk.ada = factories.make_user(email="ada@example.com", name="Ada Admin", is_admin=True)
    return it_desk


def _account(desk, role=MembershipRole.AGENT, department=None):
    wanted = service_accounts.NewServiceAccount("HR onboarding", (department or desk.it).id, role)
    return service_accounts.create(desk.ada, wanted)


def _token(desk, account, scope=TokenScope.READ_WRITE) -> str:
    wanted = api_tokens.NewToken("Sync", scope, 30)
    return service_accounts.issue_token(desk.ada, account, wanted)[1]


def _api(app, token: str, method: str, path: str, **kw):
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().open(f"/api/v1{path}", method=method, headers=headers, **kw)


def test_an_admin_makes_an_account_and_a_token_on_the_page(app, desk):
    client = signed_in_client(app, desk.ada)
    page = client.get("/admin/service-accounts")
    assert page.status_code == 200
    csrf = csrf_token_from(page.text)
    response = client.post(
        "/admin/service-accounts",
        data={
            "csrf_token": csrf,
            "name": "HR onboarding",
            "department": desk.it.id,
            "role": "agent",
        },
    )
    assert response.status_code == 303
    account = db.session.scalar(select(User).where(User.is_service))
    assert account.name == "HR onboarding" and account.password_hash is None
    assert service_accounts.role_of(account).role is MembershipRole.AGENT
    response = client.post(
        f"/admin/service-accounts/{account.id}/tokens",
        data={"csrf_token": csrf, "name": "Sync", "scope": "read", "days": "30"},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = response.text.split('<code id="new-token">', 1)[1].split("</code>", 1)[0]
    assert text.startswith("inw_")
    assert text not in client.get(f"/admin/service-accounts/{account.id}").text  # shown once
    actions = {(e.action, e.actor_id) for e in db.session.scalars(select(AuditEntry))}
    assert ("service_account.create", desk.ada.id) in actions
    assert ("token.create", desk.ada.id) in actions  # the admin who made it, not the account


def test_a_refused_account_keeps_the_input(app, desk):
    client = signed_in_client(app, desk.ada)
    csrf = csrf_token_from(client.get("/admin/service-accounts").text)
    for data in (
        {"name": "", "department": desk.it.id, "role": "agent"},
        {"name": "Bot", "department": 999_999, "role": "agent"},
        {"name": "Bot", "department": desk.it.id, "role": "owner"},
        {"name": "Bot\x00", "department": desk.it.id, "role": "agent"},
        {"name": "x" * 121, "department": desk.it.id, "role": "agent"},
    ):
        response = client.post("/admin/service-accounts", data={"csrf_token": csrf, **data})
        assert response.status_code == 422, data
        assert 'class="field__error"' in response.text
    assert db.session.scalar(select(User).where(User.is_service)) is None


def test_only_admins_reach_service_accounts(app, desk):
    account = _account(desk)
    with pytest.raises(NotFound):
        service_accounts.service_accounts(desk.iris)
    with pytest.raises(NotFound):
        service_accounts.get(desk.iris, account.id)
    with pytest.raises(NotFound):
        service_accounts.get(desk.ada, desk.erin.id)  # a person is not a service account


def test_its_token_acts_with_its_role_in_its_department(app, desk):
    account = _account(desk)
    token = _token(desk, account)
    sr = factories.make_request(desk.laptop, desk.erin)
    response = _api(app, token, "GET", f"/requests/{sr.key}")
    assert response.status_code == 200  # an agent of IT sees IT's requests
    reply = _api(app, token, "POST", f"/requests/{sr.key}/replies", json={"body": "On it."})
    assert reply.status_code == 201


def test_its_token_gets_404_for_another_departments_request(app, desk):
    hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    payroll = factories.make_service(hr, slug="payroll", name="Payroll")
    account = _account(desk)  # an agent of IT
    theirs = factories.make_request(payroll, desk.erin)
    response = _api(app, _token(desk, account), "GET", f"/requests/{theirs.key}")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_a_revoked_token_gets_401(app, desk):
    account = _account(desk)
    token = _token(desk, account)
    assert _api(app, token, "GET", "/departments/it").status_code == 200
    row = service_accounts.tokens_of(desk.ada, account)[0]
    service_accounts.revoke_token(desk.ada, account, row.id)
    assert _api(app, token, "GET", "/departments/it").status_code == 401
    revoked = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "token.revoke"))
    assert revoked.actor_id == desk.ada.id


def test_a_switched_off_account_stops_every_token(app, desk):
    account = _account(desk)
    token = _token(desk, account)
    assert service_accounts.set_active(desk.ada, account, False)
    assert _api(app, token, "GET", "/departments/it").status_code == 401
    assert service_accounts.set_active(desk.ada, account, True)
    assert _api(app, token, "GET", "/departments/it").status_code == 200


def test_a_read_only_token_writing_gets_403(app, desk):
    account = _account(desk)
    token = _token(desk, account, TokenScope.READ)
    sr = factories.make_request(desk.laptop, desk.erin)
    response = _api(app, token, "POST", f"/requests/{sr.key}/replies", json={"body": "Hi"})
    assert response.status_code == 403
    assert _api(app, token, "GET", f"/requests/{sr.key}").status_code == 200


def test_a_service_account_never_holds_a_session(app, desk):
    account = _account(desk)
    client = signed_in_client(app, account)  # even a forged cookie naming its session token
    assert client.get("/").status_code == 302


def test_a_service_account_is_not_a_person_elsewhere(app, desk):
    account = _account(desk)
    client = signed_in_client(app, desk.ada)
    assert account.email not in client.get("/admin/people").text
    assert (
        client.post(
            f"/admin/people/{account.id}/admin",
            data={"csrf_token": csrf_token_from(client.get("/").text), "make_admin": "yes"},
        ).status_code
        == 404
    )
    picker = signed_in_client(app, desk.erin).get("/pick?q=HR", headers={"HX-Request": "true"})
    assert "HR onboarding" not in picker.text


def test_the_org_import_leaves_service_accounts_alone(app, desk):
    from portal.admin.org_import import Mode, run_import

    account = _account(desk)
    csv = "email,name,title,department,manager_email,active\nivan@example.com,Ivan,,it,,yes\n"
    report = run_import(desk.ada, csv.encode(), Mode.APPLY, deactivate_missing=True)
    assert report.deactivated >= 2  # Iris and Erin, not in the file
    db.session.expire_all()
    assert db.session.get(User, account.id).active


def test_a_service_account_gets_no_email(app, desk):
    from portal.service_requests.services import conversation
    from tests.test_mail_preferences import deliver

    account = _account(desk, department=factories.make_department(slug="hr", name="HR"))
    sr = factories.make_request(desk.laptop, account)  # filed through the API, say
    conversation.reply(sr, desk.ivan, "Which model?")
    sent = deliver(app)
    assert sent, "the IT desk's own e-mails still go"
    assert all(account.email not in str(message["To"]) for message in sent)
    queued = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == account.email)
    ).all()
    assert queued and {m.status for m in queued} == {OutboxStatus.SKIPPED}
