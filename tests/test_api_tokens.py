"""Your tokens (the account area's page for personal access tokens) and the token rules."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts import api_tokens
from portal.core import clock
from portal.extensions import db
from portal.models import ApiToken, AuditEntry, TokenScope
from tests import factories
from tests.conftest import csrf_token_from, signed_in_client


def _page(client):
    response = client.get("/me/tokens")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_token_is_shown_once_and_kept_only_as_a_hash(app):
    erin = factories.make_user(email="erin@example.com", name="Erin")
    client = signed_in_client(app, erin)
    token = csrf_token_from(_page(client))
    response = client.post("/me/tokens", data={"csrf_token": token, "name": "HR onboarding",
                                               "scope": "read_write", "days": "90"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    text = html.split('<code id="new-token">', 1)[1].split("</code>", 1)[0]
    assert text.startswith("inw_")
    row = db.session.scalar(select(ApiToken))
    assert row.secret_hash == hashlib.sha256(text.encode()).hexdigest()
    assert row.scope is TokenScope.READ_WRITE
    assert text not in _page(client)  # never shown again
    assert "HR onboarding" in _page(client)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "token.create"))
    assert entry.actor_id == erin.id and entry.object_id == row.id


def test_a_refused_token_keeps_the_input_beside_the_field(app):
    erin = factories.make_user(email="erin@example.com", name="Erin")
    client = signed_in_client(app, erin)
    token = csrf_token_from(_page(client))
    for data, message in [
        ({"name": "", "scope": "read", "days": "30"}, "Name the token"),
        ({"name": "Bot\x00", "scope": "read", "days": "30"}, None),
        ({"name": "Bot", "scope": "admin", "days": "30"}, None),
        ({"name": "Bot", "scope": "read", "days": "-1"}, None),
        ({"name": "x" * 81, "scope": "read", "days": "30"}, "80 characters"),
    ]:
        response = client.post("/me/tokens", data={"csrf_token": token, **data})
        assert response.status_code == 422, data
        html = response.get_data(as_text=True)
        assert 'class="field__error"' in html
        if message:
            assert message in html
    response = client.post("/me/tokens", data={"csrf_token": token, "name": "Kept name",
                                               "scope": "admin", "days": "30"})
    assert 'value="Kept name"' in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 0


def test_making_a_token_needs_the_csrf_token(app):
    erin = factories.make_user(email="erin@example.com", name="Erin")
    client = signed_in_client(app, erin)
    response = client.post("/me/tokens", data={"name": "Bot", "scope": "read", "days": "30"})
    assert response.status_code == 400
    assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 0


def test_revoking_is_audited_and_only_for_the_owner(app):
    erin = factories.make_user(email="erin@example.com", name="Erin")
    ivan = factories.make_user(email="ivan@example.com", name="Ivan")
    row, text = api_tokens.issue(erin, api_tokens.NewToken("Bot", TokenScope.READ, 30))
    other = signed_in_client(app, ivan)
    token = csrf_token_from(_page(other))
    assert other.post(f"/me/tokens/{row.id}/revoke", data={"csrf_token": token}).status_code == 404
    assert api_tokens.find_usable(text) is not None
    owner = signed_in_client(app, erin)
    token = csrf_token_from(_page(owner))
    response = owner.post(f"/me/tokens/{row.id}/revoke", data={"csrf_token": token})
    assert response.status_code == 303
    assert api_tokens.find_usable(text) is None
    assert "Revoked" in _page(owner)
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("token.revoke") == 1


def test_find_usable_refuses_what_is_not_a_live_token(app):
    erin = factories.make_user(email="erin@example.com", name="Erin")
    _row, text = api_tokens.issue(erin, api_tokens.NewToken("Bot", TokenScope.READ, 30))
    assert api_tokens.find_usable(text).user_id == erin.id
    public_id = text.split("_")[1]
    forged = f"inw_{public_id}_{'A' * 43}"  # the right id, a made-up secret
    for bad in ["", "inw_", text + "x", text.upper(), forged, "inw_000000000000_" + "A" * 43]:
        assert api_tokens.find_usable(bad) is None, bad


def test_your_own_profile_links_to_your_tokens(app):
    erin = factories.make_user(email="erin@example.com", name="Erin")
    ivan = factories.make_user(email="ivan@example.com", name="Ivan")
    client = signed_in_client(app, erin)
    assert 'href="/me/tokens"' in client.get(f"/people/{erin.id}").get_data(as_text=True)
    assert 'href="/me/tokens"' not in client.get(f"/people/{ivan.id}").get_data(as_text=True)


def test_last_used_is_written_at_most_once_a_minute(app):
    erin = factories.make_user(email="erin@example.com", name="Erin")
    row, text = api_tokens.issue(erin, api_tokens.NewToken("Bot", TokenScope.READ, 30))
    start = clock.now()
    caller = api_tokens.find_usable(text)
    api_tokens.mark_used(caller, start)
    api_tokens.mark_used(caller, start + timedelta(seconds=30))
    db.session.expire_all()
    assert clock.aware(db.session.get(ApiToken, row.id).last_used_at) == start
    api_tokens.mark_used(api_tokens.find_usable(text), start + timedelta(seconds=61))
    db.session.expire_all()
    assert clock.aware(db.session.get(ApiToken, row.id).last_used_at) > start


def test_the_api_reads_a_body_with_the_services_own_form(app, worlds):
    from portal.api import forms
    from portal.service_requests.services import promises

    desk = worlds.it_desk()
    factories.make_field(desk.laptop, "model", "choice", options=["Standard", "Developer"])
    factories.make_field(desk.laptop, "reason", "short_text", required=False,
                         show_when_key="model", show_when_value="Developer")
    specs = promises.form_fields(desk.laptop)
    body = {"title": "Laptop", "description": "For Sam.", "priority": "high",
            "fields_": {"model": "Developer", "reason": "Builds"}}
    form = forms.read_request(specs, body, "api:one")
    assert [a["key"] for a in form.answers()] == ["model", "reason"]
    # A question shown only for Developer is not kept for Standard: the page's rule.
    body["fields_"]["model"] = "Standard"
    assert [a["key"] for a in forms.read_request(specs, body, "api:two").answers()] == ["model"]
    with pytest.raises(forms.BodyProblems) as refused:
        forms.read_request(specs, {**body, "title": "", "fields_": {"model": ["a", {"b": 1}]}},
                           "api:three")
    assert {e["field"] for e in refused.value.errors} == {"title", "fields.model"}
