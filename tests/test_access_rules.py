"""Walks the access-rule table (tests/access_rules/) against the live URL map.

Every (endpoint, method) of the app must have a rule, and every rule is tried as every
role on a fresh world: the status must be the one the table says. A new route without a
rule fails `test_every_route_has_a_rule`.
"""

from __future__ import annotations

import secrets

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.access_rules import ROLES, all_rules, build_world

RULES = all_rules()
UNGUARDED = {"static"}  # Flask's own static files: public by design
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_every_route_has_a_rule(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNGUARDED
        for method in rule.methods & METHODS
    }
    covered = {(rule.endpoint, rule.method) for _module, rule in RULES}
    missing = sorted(routes - covered)
    assert not missing, f"routes without an access rule in tests/access_rules/: {missing}"
    stale = sorted(covered - routes)
    assert not stale, f"access rules for routes that do not exist: {stale}"


def _sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True


def _token(user) -> str:
    """A read-and-write personal access token of the user's (API rules)."""
    from portal.accounts import api_tokens
    from portal.models import TokenScope

    _row, text = api_tokens.issue(user, api_tokens.NewToken("Rules", TokenScope.READ_WRITE, 7))
    return text


def _csrf_token(app, client) -> str:
    """A valid CSRF token for the client's session (what a form on any page would carry)."""
    raw = secrets.token_hex(20)
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


@pytest.mark.parametrize(
    ("module", "rule", "role"),
    [(module, rule, role) for module, rule in RULES for role in ROLES],
    ids=[f"{rule.id}-{role}" for _module, rule in RULES for role in ROLES],
)
def test_access_rule(app, module, rule, role):
    world = build_world()
    if hasattr(module, "setup"):
        module.setup(world)
    client = app.test_client()
    headers = dict(rule.headers)
    if rule.token and role != "anonymous":
        headers["Authorization"] = f"Bearer {_token(world.users[role])}"
    elif role != "anonymous":
        _sign_in(client, world.users[role])
    with app.test_request_context():
        from flask import url_for

        url = url_for(rule.endpoint, **(rule.url(world) if rule.url else {}))
    if rule.query:
        url = f"{url}?{rule.query}"
    data, body = None, None
    if rule.method != "GET" and rule.token:
        body = dict(rule.data(world)) if rule.data else {}
    elif rule.method != "GET":
        data = dict(rule.data(world)) if rule.data else {}
        data.setdefault("csrf_token", _csrf_token(app, client))
    with client.open(url, method=rule.method, data=data, json=body, headers=headers) as response:
        status = response.status_code
    expected = rule.expect[role]
    assert status == expected, f"{rule.method} {url} as {role}: {status}, the table says {expected}"
