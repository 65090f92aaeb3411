"""Sign-in, sign-out, sessions that really end, and no open redirects."""

from __future__ import annotations

import os
import time

import pytest

from portal.extensions import db
from tests import worlds
from tests.factories import PASSWORD
from tests.statements import count_statements


def sign_in(client, email, password=PASSWORD, csrf_token=None, environ_base=None, **extra):
    environ_base = environ_base or {}
    page = client.get("/login", environ_base=environ_base)
    from tests.conftest import csrf_token_from

    token = csrf_token or csrf_token_from(page.get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, **extra},
        environ_base=environ_base,
    )


def test_every_page_needs_a_signed_in_user(client):
    response = client.get("/d/it")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/d/it")


def test_unknown_url_needs_sign_in_too(client):
    # Whether a route exists is not told to strangers.
    assert client.get("/no/such/page").status_code == 302


def test_htmx_request_without_session_gets_hx_redirect(client):
    response = client.get(
        "/search?q=laptop",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/d/it?tab=1"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/login?next=/d/it?tab%3D1"
    assert b"<html" not in response.data


def test_sign_in_and_out(client, make_user):
    user = make_user(email="erin@example.com")
    response = sign_in(client, "Erin@Example.com ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    home = client.get("/").get_data(as_text=True)
    from tests.conftest import csrf_token_from

    out = client.post("/logout", data={"csrf_token": csrf_token_from(home)})
    assert out.status_code == 303
    assert client.get("/").status_code == 302
    assert user.session_token  # rotated, still set


def test_wrong_password_is_422_with_message_beside_the_field_and_email_kept(client, make_user):
    make_user(email="erin@example.com")
    response = sign_in(client, "erin@example.com", password="wrong")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The e-mail address or password is not right" in html
    assert 'value="erin@example.com"' in html
    assert 'aria-invalid="true"' in html
    assert "There is a problem" in html  # error summary


def test_empty_fields_are_422_with_messages(client):
    response = sign_in(client, "", password="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your work e-mail address" in html
    assert "Enter your password" in html


@pytest.mark.parametrize(
    "email",
    [
        "erin\x00@example.com",
        "x" * 10_000,
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "\u202eerin@example.com",
    ],
)
def test_bad_email_input_is_422_never_500(client, make_user, email):
    make_user(email="erin@example.com")
    response = sign_in(client, email, password="whatever")
    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_unknown_and_inactive_accounts_cannot_sign_in(client, make_user):
    make_user(email="gone@example.com", active=False)
    assert sign_in(client, "gone@example.com").status_code == 422
    assert sign_in(client, "nobody@example.com").status_code == 422


def test_post_without_csrf_token_is_refused(client, make_user):
    make_user(email="erin@example.com")
    response = client.post("/login", data={"email": "erin@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in


def test_logout_is_post_only(client, login, make_user):
    login(make_user())
    assert client.get("/logout").status_code == 405


def test_a_cookie_copied_before_logout_does_not_work_after_it(app, make_user):
    make_user(email="erin@example.com")
    victim = app.test_client()
    assert sign_in(victim, "erin@example.com").status_code == 303
    stolen = victim.get_cookie("session").value

    from tests.conftest import csrf_token_from

    victim.post(
        "/logout", data={"csrf_token": csrf_token_from(victim.get("/").get_data(as_text=True))}
    )

    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    assert attacker.get("/").status_code == 302


def test_remember_cookie_is_also_ended_by_logout(app, make_user):
    make_user(email="erin@example.com")
    client = app.test_client()
    sign_in(client, "erin@example.com", remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None
    from tests.conftest import csrf_token_from

    client.post(
        "/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))}
    )
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert replay.get("/").status_code == 302


def test_remember_me_lasts_at_most_14_days(app):
    assert app.config["REMEMBER_COOKIE_DURATION"].days <= 14


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\r\nLocation: https://evil.example",
        " //evil.example",
        "http://localhost.evil.example",
    ],
)
def test_next_goes_only_to_a_local_path(client, make_user, target):
    make_user(email="erin@example.com")
    response = sign_in(client, "erin@example.com", next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_next_local_path_is_followed(client, make_user):
    make_user(email="erin@example.com")
    response = sign_in(client, "erin@example.com", next="/d/it?x=1")
    assert response.headers["Location"] == "/d/it?x=1"


def test_failed_sign_ins_are_throttled_per_account(client, make_user):
    make_user(email="erin@example.com")
    for _ in range(5):
        assert sign_in(client, "erin@example.com", password="nope").status_code == 422
    response = sign_in(client, "erin@example.com")  # even the right password waits
    assert response.status_code == 429
    assert "too many attempts" in response.get_data(as_text=True).lower()
    # Another account from the same address is not locked by this one.
    make_user(email="ivan@example.com")
    assert sign_in(client, "ivan@example.com").status_code == 303


def test_successful_sign_ins_are_not_counted(app, make_user):
    make_user(email="erin@example.com")
    for _ in range(8):
        assert sign_in(app.test_client(), "erin@example.com").status_code == 303


def test_throttle_holds_across_workers_with_shared_storage(build_app, make_user, app):
    """Two app instances (as two gunicorn workers) sharing Redis share the count."""
    url = worlds.redis_url()
    if url is None:
        pytest.skip("Redis not reachable (TEST_REDIS_URL, or 127.0.0.1:6379/15)")
    shared = {
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"inward-test-{os.getpid()}-{time.time_ns()}",
    }
    make_user(email="erin@example.com")
    worker_a, worker_b = build_app(**shared), build_app(**shared)
    try:
        for i in range(5):
            worker = worker_a if i % 2 == 0 else worker_b
            with worker.app_context():
                assert (
                    sign_in(worker.test_client(), "erin@example.com", password="x").status_code
                    == 422
                )
        with worker_b.app_context():
            assert sign_in(worker_b.test_client(), "erin@example.com").status_code == 429
    finally:
        with worker_a.app_context():
            from portal.extensions import limiter

            limiter.reset()


def test_profile_shows_person_and_what_they_are_contact_for(
    client, login, make_user, make_department
):
    from portal.models import Contact

    department = make_department(name="IT", slug="it")
    ivan = make_user(name="Ivan Petrov", title="Service desk analyst", department_id=department.id)
    db.session.add(
        Contact(department_id=department.id, user_id=ivan.id, label="Laptops and phones")
    )
    db.session.commit()
    login(make_user())
    html = client.get(f"/people/{ivan.id}").get_data(as_text=True)
    assert "Ivan Petrov" in html
    assert "Laptops and phones" in html


@pytest.mark.parametrize("path", ["/people/999999", "/people/0"])
def test_unknown_profile_is_404(client, login, make_user, path):
    login(make_user())
    assert client.get(path).status_code == 404


def test_inactive_persons_profile_is_404(client, login, make_user):
    gone = make_user(active=False)
    login(make_user())
    assert client.get(f"/people/{gone.id}").status_code == 404


def test_me_goes_to_own_profile(client, login, make_user):
    user = login(make_user())
    assert client.get("/me").headers["Location"] == f"/people/{user.id}"


def test_demo_accounts_listed_only_in_demo_mode(app, client, build_app):
    assert "erin@example.com" in client.get("/login").get_data(as_text=True)
    plain = build_app(DEMO_MODE=False)
    with plain.app_context():
        assert "erin@example.com" not in plain.test_client().get("/login").get_data(as_text=True)


def test_failed_sign_ins_are_throttled_per_address(app, make_user):
    """Guessing across many accounts from one address is slowed down too."""
    make_user(email="erin@example.com")
    client = app.test_client()
    for n in range(20):
        assert sign_in(client, f"guess{n}@example.com", password="x").status_code == 422
    assert sign_in(client, "erin@example.com").status_code == 429
    other_address = app.test_client()
    response = sign_in(other_address, "erin@example.com", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 303


def test_head_login_answers_like_get(client):
    """Issue 12 #13: HEAD /login answered 422 (it ran the POST branch)."""
    response = client.head("/login")
    assert response.status_code == 200
    assert response.get_data() == b""


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(app, make_user):
    """Issue 12 #16: five wrong passwords from address A, then the right one from B."""
    make_user(email="erin@example.com")
    attacker = app.test_client()
    for _ in range(5):
        response = sign_in(
            attacker, "erin@example.com", password="nope", environ_base={"REMOTE_ADDR": "10.0.0.66"}
        )
        assert response.status_code == 422
    blocked = sign_in(attacker, "erin@example.com", environ_base={"REMOTE_ADDR": "10.0.0.66"})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    owner = sign_in(
        app.test_client(), "erin@example.com", environ_base={"REMOTE_ADDR": "10.0.0.7"}
    )
    assert owner.status_code == 303


def test_the_wait_grows_with_each_further_failure(app, make_user):
    from portal.accounts import throttle
    from portal.extensions import limiter

    make_user(email="erin@example.com")
    client = app.test_client()
    address = {"REMOTE_ADDR": "10.0.0.66"}
    assert [throttle.delay_after(n) for n in range(1, 9)] == [0, 0, 0, 0, 30, 60, 120, 240]
    assert throttle.delay_after(40) == 900  # at most 15 minutes
    for _ in range(5):
        sign_in(client, "erin@example.com", password="nope", environ_base=address)
    assert 25 <= throttle.wait_seconds("erin@example.com", "10.0.0.66") <= 30
    limiter.storage.clear("signin-wait:erin@example.com|10.0.0.66")  # the 30 s went by
    again = sign_in(client, "erin@example.com", password="nope", environ_base=address)
    assert again.status_code == 422
    assert 55 <= throttle.wait_seconds("erin@example.com", "10.0.0.66") <= 60
    response = sign_in(client, "erin@example.com", environ_base=address)
    assert response.status_code == 429
    assert "wait" in response.get_data(as_text=True).lower()


def test_a_success_forgets_the_failures_of_that_address(app, make_user):
    from portal.accounts import throttle

    make_user(email="erin@example.com")
    client = app.test_client()
    for _ in range(4):
        sign_in(client, "erin@example.com", password="nope")
    assert sign_in(client, "erin@example.com").status_code == 303
    client = app.test_client()
    for _ in range(4):
        assert sign_in(client, "erin@example.com", password="nope").status_code == 422
    assert throttle.wait_seconds("erin@example.com", "127.0.0.1") == 0


def test_the_per_account_ceiling_still_holds_across_addresses(build_app, make_user):
    """Slow guessing from many machines: the account's own ceiling (much higher) holds."""
    make_user(email="erin@example.com")
    strict = build_app(SIGNIN_ACCOUNT_LIMIT="6 per hour")
    with strict.app_context():
        for n in range(6):
            address = {"REMOTE_ADDR": f"10.0.1.{n}"}
            response = sign_in(
                strict.test_client(), "erin@example.com", password="x", environ_base=address
            )
            assert response.status_code == 422
        response = sign_in(
            strict.test_client(), "erin@example.com", environ_base={"REMOTE_ADDR": "10.0.2.1"}
        )
        assert response.status_code == 429
        from portal.extensions import limiter

        limiter.reset()


def test_the_default_account_ceiling_is_far_above_the_per_address_throttle(app):
    from limits import parse

    ceiling = parse(app.config["SIGNIN_ACCOUNT_LIMIT"])
    assert ceiling.amount >= 10 * app.config["SIGNIN_FREE_FAILURES"]


def test_the_signed_in_person_is_the_sessions_own_object_as_a_query_loads_it(
    app, make_user, make_department
):
    """The user loader reads the person as columns and makes them the session's User: no
    change pending, relationships loaded on first use, a change saved by a commit, and
    someone the session already holds is that same object."""
    from sqlalchemy import inspect

    from portal.accounts.services import departments_at_sign_in, load_user_by_session_token
    from portal.models import User

    team = make_department()
    erin = make_user(roles={team: "agent"}, title="Analyst")
    db.session.commit()
    erin_id, token, team_id, team_slug = erin.id, erin.session_token, team.id, team.slug
    db.session.expunge_all()  # a new request's session holds nobody
    with app.test_request_context():
        user = load_user_by_session_token(token)
        state = inspect(user)
        assert state.persistent and not state.modified and user not in db.session.dirty
        assert (user.id, user.title, user.active) == (erin_id, "Analyst", True)
        assert [m.department_id for m in user.memberships] == [team_id]  # a lazy load works
        assert [(row.slug, row.role) for row in departments_at_sign_in()] == [
            (team_slug, "agent")
        ]
        user.title = "Lead analyst"
        db.session.commit()
    db.session.expunge_all()
    assert db.session.get(User, erin_id).title == "Lead analyst"
    held = db.session.get(User, erin_id)
    with app.test_request_context():
        assert load_user_by_session_token(token) is held
        assert load_user_by_session_token("no-such-token") is None
    db.session.commit()  # expires what the session holds
    with app.test_request_context(), count_statements() as sent:
        assert load_user_by_session_token(token) is held
        assert held.title == "Lead analyst"  # filled in from the row: no statement of its own
    assert len(sent) == 1
