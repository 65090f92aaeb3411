"""The REST API v1 (issue 19): tokens, the same permission rules as the pages, problem
documents, the form rules of the service, idempotency, ETags, and the bad inputs of the issue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts import api_tokens
from portal.core import clock
from portal.extensions import db, login_manager
from portal.models import ApiToken, ServiceRequest, TokenScope
from tests import factories
from tests.conftest import signed_in_client
from tests.statements import count_statements

PROBLEM = "application/problem+json"


def make_token(user, scope=TokenScope.READ_WRITE, days=30, name="Robot"):
    _row, text = api_tokens.issue(user, api_tokens.NewToken(name, scope, days))
    return text


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def desk(worlds):
    world = worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))
    factories.make_field(world.laptop, "model", "choice", options=["Standard", "Developer"])
    factories.make_field(world.laptop, "needed_by", "date", required=False)
    factories.make_field(world.laptop, "monitors", "number", required=False,
                         min_value=0, max_value=3)
    world.erin_token = make_token(world.erin)
    world.ivan_token = make_token(world.ivan)
    return world


def new_request(client, token, **changes):
    body = {
        "department": "it",
        "service": "new-laptop",
        "title": "A laptop for Sam",
        "description": "Sam starts on Monday.",
        "fields": {"model": "Developer"},
    }
    body.update(changes)
    headers = bearer(token)
    headers.update(changes.pop("headers", {}) if "headers" in changes else {})
    return client.post("/api/v1/requests", json=body, headers=headers)


# --- reading -----------------------------------------------------------------------------


def test_department_with_hours_promises_and_open_now(client, desk):
    response = client.get("/api/v1/departments/it", headers=bearer(desk.erin_token))
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()
    assert data["slug"] == "it"
    assert len(data["hours"]) == 7
    assert {p["priority"] for p in data["promises"]} == {"normal", "urgent"}
    assert isinstance(data["open_now"]["open"], bool)


def test_unknown_department_is_a_problem_document(client, desk):
    response = client.get("/api/v1/departments/nowhere", headers=bearer(desk.erin_token))
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert response.get_json()["status"] == 404


def test_services_carry_their_form(client, desk):
    response = client.get("/api/v1/departments/it/services", headers=bearer(desk.erin_token))
    assert response.status_code == 200
    (service,) = response.get_json()["services"]
    assert service["slug"] == "new-laptop"
    assert [f["key"] for f in service["form"]] == ["model", "needed_by", "monitors"]
    assert service["form"][0]["options"] == ["Standard", "Developer"]


def test_search_finds_the_service(client, desk):
    from portal.directory import search

    search.reindex_all()
    response = client.get("/api/v1/search?q=laptop", headers=bearer(desk.erin_token))
    assert response.status_code == 200
    data = response.get_json()
    assert data["query"] == "laptop"
    assert {"kind": "service", "title": "New laptop", "department": "it",
            "path": "/d/it/new-laptop"} in data["hits"]


def test_search_without_q_names_the_field(client, desk):
    response = client.get("/api/v1/search", headers=bearer(desk.erin_token))
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert [e["field"] for e in response.get_json()["errors"]] == ["q"]


def test_etag_answers_304_when_nothing_changed(client, desk):
    first = client.get("/api/v1/departments/it", headers=bearer(desk.erin_token))
    etag = first.headers["ETag"]
    again = client.get(
        "/api/v1/departments/it", headers={**bearer(desk.erin_token), "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.get_data() == b""


# --- requests ----------------------------------------------------------------------------


def test_a_token_files_a_request_with_the_forms_rules_and_reads_it_back(client, desk):
    response = new_request(client, desk.erin_token, fields={"model": "Developer", "monitors": 2})
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert response.headers["Location"] == f"/api/v1/requests/{data['key']}"
    assert data["requester"] == "erin@example.com"
    assert [(a["key"], a["value"]) for a in data["answers"]] == [
        ("model", "Developer"), ("monitors", 2.0)]
    read = client.get(response.headers["Location"], headers=bearer(desk.erin_token))
    assert read.status_code == 200
    assert read.get_json()["first_response"]["target_minutes"] == 240


def test_the_same_idempotency_key_gives_back_the_same_request(client, desk):
    headers = {**bearer(desk.erin_token), "Idempotency-Key": "onboarding-sam-1"}
    body = {"department": "it", "service": "new-laptop", "title": "Laptop",
            "description": "For Sam.", "fields": {"model": "Standard"}}
    first = client.post("/api/v1/requests", json=body, headers=headers)
    second = client.post("/api/v1/requests", json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["key"] == second.get_json()["key"]
    assert db.session.scalar(select(db.func.count()).select_from(ServiceRequest)) == 1


@pytest.mark.parametrize(
    ("fields", "wrong"),
    [
        ({}, "fields.model"),  # a required question left out
        ({"model": "Gaming"}, "fields.model"),  # not one of the choices
        ({"model": "Standard", "monitors": 9}, "fields.monitors"),  # above the maximum
        ({"model": "Standard", "needed_by": "2026-02-30"}, "fields.needed_by"),  # no such day
        ({"model": "Standard", "colour": "red"}, "fields.colour"),  # no such question
        ({"model": {"nested": 1}}, "fields.model"),  # not text, a number or a list
    ],
)
def test_the_services_form_rules_name_the_wrong_field(client, desk, fields, wrong):
    response = new_request(client, desk.erin_token, fields=fields)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert wrong in [e["field"] for e in response.get_json()["errors"]]
    assert db.session.scalar(select(db.func.count()).select_from(ServiceRequest)) == 0


def test_an_unknown_service_is_refused_beside_the_field(client, desk):
    response = new_request(client, desk.erin_token, service="time-machine")
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["service"]


def test_my_requests_in_keyset_pages(client, desk, monkeypatch):
    from portal.models import RequestStatus
    from portal.service_requests.services import mine

    start = clock.now() - timedelta(days=1)
    for n in range(3):
        sr = factories.make_request(desk.laptop, desk.erin, title=f"Old {n}",
                                    now=start + timedelta(minutes=n))
        sr.status = RequestStatus.CLOSED
    db.session.commit()
    factories.make_request(desk.laptop, desk.erin, title="Open one")
    monkeypatch.setattr(mine, "CLOSED_PAGE_SIZE", 2)
    first = client.get("/api/v1/requests?mine", headers=bearer(desk.erin_token)).get_json()
    assert [r["title"] for r in first["requests"]] == ["Open one", "Old 2", "Old 1"]
    assert [r["group"] for r in first["requests"]] == ["open", "closed", "closed"]
    assert first["next_cursor"]
    second = client.get(f"/api/v1/requests?mine&cursor={first['next_cursor']}",
                        headers=bearer(desk.erin_token)).get_json()
    assert [r["title"] for r in second["requests"]] == ["Old 0"]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("cursor", ["-1", "99999999999999999999999", "bm90IGEgY3Vyc29y",
                                    "MjAyNi0wMS0wMVQwMDowMDowMCswMDowMHwtNQ"])
def test_bad_cursors_are_refused(client, desk, cursor):
    response = client.get(f"/api/v1/requests?mine&cursor={cursor}",
                          headers=bearer(desk.erin_token))
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["cursor"]


def test_another_departments_request_is_404_for_an_employees_token(client, desk):
    hr_service = factories.make_service(desk.hr, slug="payslip", name="Payslip")
    theirs = factories.make_request(hr_service, desk.hugo)
    mine_ = factories.make_request(desk.laptop, desk.erin)
    for key in (theirs.key, "HR-999999", "IT-0", "-1", "IT-99999999999"):
        response = client.get(f"/api/v1/requests/{key}", headers=bearer(desk.erin_token))
        assert response.status_code == 404, key
        assert response.mimetype == PROBLEM
    assert client.get(f"/api/v1/requests/{mine_.key}",
                      headers=bearer(desk.erin_token)).status_code == 200
    # The IT agent works IT's request, not HR's: the page's rule.
    assert client.get(f"/api/v1/requests/{mine_.key}",
                      headers=bearer(desk.ivan_token)).status_code == 200
    assert client.get(f"/api/v1/requests/{theirs.key}",
                      headers=bearer(desk.ivan_token)).status_code == 404


def test_a_reply_through_the_api(client, desk):
    sr = factories.make_request(desk.laptop, desk.erin)
    response = client.post(f"/api/v1/requests/{sr.key}/replies", json={"body": "Any news?"},
                           headers=bearer(desk.erin_token))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["key"] == sr.key
    hidden = client.post(f"/api/v1/requests/{sr.key}/replies", json={"body": "Hi"},
                         headers=bearer(make_token(desk.hugo)))
    assert hidden.status_code == 404


# --- tokens and sessions -------------------------------------------------------------------


def _tampered(text: str) -> str:
    last = "A" if text[-1] != "A" else "B"
    return text[:-1] + last


def test_no_token_is_401_with_a_challenge(client, desk):
    response = client.get("/api/v1/departments/it")
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("how", ["tampered", "revoked", "expired", "deactivated", "garbage",
                                 "basic"])
def test_unusable_tokens_are_401(client, desk, how):
    text = desk.erin_token
    headers = bearer(text)
    if how == "tampered":
        headers = bearer(_tampered(text))
    elif how == "revoked":
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == desk.erin.id))
        api_tokens.revoke(desk.erin, token.id)
    elif how == "expired":
        _row, text = api_tokens.issue(
            desk.erin, api_tokens.NewToken("Old", TokenScope.READ, 7),
            now=clock.now() - timedelta(days=8),
        )
        headers = bearer(text)
    elif how == "deactivated":
        desk.erin.active = False
        db.session.commit()
    elif how == "garbage":
        headers = bearer("inw_\x00' OR 1=1 --")
    else:
        headers = {"Authorization": "Basic ZXJpbjppbndhcmQ="}
    response = client.get("/api/v1/departments/it", headers=headers)
    assert response.status_code == 401, how
    assert response.mimetype == PROBLEM


def test_a_read_only_token_cannot_write(client, desk):
    reader = make_token(desk.erin, scope=TokenScope.READ)
    assert client.get("/api/v1/departments/it", headers=bearer(reader)).status_code == 200
    response = new_request(client, reader)
    assert response.status_code == 403
    assert response.mimetype == PROBLEM
    assert db.session.scalar(select(db.func.count()).select_from(ServiceRequest)) == 0


def test_a_session_cookie_opens_nothing_on_the_api(app, desk):
    browser = signed_in_client(app, desk.erin)
    assert browser.get("/requests/mine").status_code == 200  # the page: signed in
    assert browser.get("/api/v1/requests?mine").status_code == 401
    # A cross-site form post with the cookie and no CSRF token: nothing is filed.
    response = browser.post("/api/v1/requests", data={"title": "x"})
    assert response.status_code == 401
    response = browser.post("/api/v1/requests", json={"department": "it"})
    assert response.status_code == 401
    assert db.session.scalar(select(db.func.count()).select_from(ServiceRequest)) == 0


def test_the_token_is_the_caller_even_beside_a_session_cookie(app, desk):
    """The person an API call acts as is the token's, loaded when the call needs them;
    the session cookie the same client sends for the pages is never read."""
    filed = new_request(app.test_client(), desk.erin_token)
    assert filed.status_code == 201
    browser = signed_in_client(app, desk.ivan)  # Ivan's cookie, Erin's token
    mine = browser.get("/api/v1/requests?mine", headers=bearer(desk.erin_token)).get_json()
    assert [row["key"] for row in mine["requests"]] == [filed.get_json()["key"]]
    theirs = browser.get("/api/v1/requests?mine", headers=bearer(desk.ivan_token)).get_json()
    assert theirs["requests"] == []


def test_a_call_that_needs_no_person_reads_only_the_token(cached_app, desk, monkeypatch):
    """A department's JSON (kept, as every reader gets the same) needs a live token and
    nothing of its person: one statement, the token's row with its person's flags, and the
    person is never loaded; a call about the person's own requests loads them once."""
    loaded = []

    def person_of(caller):
        loaded.append(caller.user_id)
        return api_tokens.person_of(caller)

    monkeypatch.setattr(login_manager, "caller_loader", person_of)
    client = cached_app.test_client()
    client.get("/api/v1/departments/it", headers=bearer(desk.erin_token))  # kept from now
    with count_statements() as statements:
        response = client.get("/api/v1/departments/it", headers=bearer(desk.erin_token))
    assert response.status_code == 200
    assert len(statements) == 1
    assert "api_token" in statements[0] and "user_account" in statements[0]
    assert loaded == []
    assert client.get("/api/v1/requests?mine", headers=bearer(desk.erin_token)).status_code == 200
    assert loaded == [desk.erin.id]


def test_a_token_opens_no_page(client, desk):
    response = client.get("/requests/mine", headers=bearer(desk.erin_token))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    response = client.post("/me/tokens", data={"name": "x", "scope": "read", "days": "7"},
                           headers=bearer(desk.erin_token))
    assert response.status_code in (302, 400)
    assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 2


def test_calls_are_limited_per_token(app, client, desk, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_LIMIT", "3 per minute")
    other = make_token(desk.ivan, name="Other")
    statuses = [client.get("/api/v1/departments/it", headers=bearer(desk.erin_token)).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/departments/it", headers=bearer(desk.erin_token))
    assert limited.mimetype == PROBLEM
    # Another token has its own count.
    assert client.get("/api/v1/departments/it", headers=bearer(other)).status_code == 200


def test_last_used_is_recorded(client, desk):
    client.get("/api/v1/departments/it", headers=bearer(desk.erin_token))
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == desk.erin.id))
    db.session.refresh(token)
    assert token.last_used_at is not None


# --- bad bodies -----------------------------------------------------------------------------


def test_malformed_json_is_400(client, desk):
    response = client.post("/api/v1/requests", data=b'{"title": "x",',
                           content_type="application/json", headers=bearer(desk.erin_token))
    assert response.status_code == 400
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"null", b"42"])
def test_json_that_is_not_an_object_is_refused(client, desk, body):
    response = client.post("/api/v1/requests", data=body, content_type="application/json",
                           headers=bearer(desk.erin_token))
    assert response.status_code in (400, 422)
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_wrong_content_types_are_415(client, desk, content_type):
    response = client.post("/api/v1/requests", data=b"title=x", content_type=content_type,
                           headers=bearer(desk.erin_token))
    assert response.status_code == 415
    assert response.mimetype == PROBLEM


def test_a_10_mb_body_is_413(client, desk):
    body = b'{"title": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = client.post("/api/v1/requests", data=body, content_type="application/json",
                           headers=bearer(desk.erin_token))
    assert response.status_code == 413
    assert response.mimetype == PROBLEM


def test_unknown_fields_are_named(client, desk):
    response = new_request(client, desk.erin_token, is_admin=True)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["is_admin"]


@pytest.mark.parametrize(("field", "value"), [("title", "Laptop\x00"), ("title", "Two\nlines"),
                                              ("description", "Bell\x07")])
def test_nul_and_control_characters_are_refused_beside_the_field(client, desk, field, value):
    response = new_request(client, desk.erin_token, **{field: value})
    assert response.status_code == 422
    assert field in [e["field"] for e in response.get_json()["errors"]]
    assert db.session.scalar(select(db.func.count()).select_from(ServiceRequest)) == 0


def test_a_control_character_in_a_reply_is_refused(client, desk):
    sr = factories.make_request(desk.laptop, desk.erin)
    response = client.post(f"/api/v1/requests/{sr.key}/replies", json={"body": "hi\x00"},
                           headers=bearer(desk.erin_token))
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["body"]


@pytest.mark.parametrize("key", ["", "x" * 57, "has space", "naïve"])
def test_bad_idempotency_keys_are_named(client, desk, key):
    response = client.post(
        "/api/v1/requests",
        json={"department": "it", "service": "new-laptop", "title": "t", "description": "d",
              "fields": {"model": "Standard"}},
        headers={**bearer(desk.erin_token), "Idempotency-Key": key},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["Idempotency-Key"]


@pytest.mark.parametrize("path", ["/api/v1/requests/-1", "/api/v1/requests/99999999999999999999",
                                  "/api/v1/nothing-here", "/api/v1/departments/%00"])
def test_odd_addresses_are_404_problems(client, desk, path):
    response = client.get(path, headers=bearer(desk.erin_token))
    assert response.status_code == 404
    assert response.mimetype == PROBLEM


def test_a_method_the_address_does_not_take_is_405(client, desk):
    response = client.delete("/api/v1/departments/it", headers=bearer(desk.erin_token))
    assert response.status_code == 405
    assert response.mimetype == PROBLEM
