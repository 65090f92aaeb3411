"""Fixtures, flaskr style: app, client, runner, login; factories in tests/factories.py;
the shared worlds (the IT desk, the wall, a check-in, an app with its caches on) in
tests/worlds.py.

The suite runs against SQLite by default and against PostgreSQL when
TEST_DATABASE_URL is set. The schema comes from the Alembic migrations (so the
migrations are tested too), once per session; every test starts with empty tables.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from flask import g, request_started
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from config import TestConfig
from portal import create_app
from portal.extensions import db, limiter
from portal.insights.rollup import KeptPerRefresh
from tests import factories

pytest_plugins = ("tests.worlds", "tests.oidc_provider")

CSRF_PATTERN = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"'
)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def config_class(database_url):
    class SuiteConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    return SuiteConfig


@pytest.fixture(scope="session")
def _migrated_app(config_class):
    app = create_app(config_class)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:  # a fresh schema for every run
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
                # A test database: a commit need not wait for the disk (a crash loses
                # the last commits, never consistency). A third off the run's time.
                name = conn.execute(text("SELECT current_database()")).scalar_one()
                conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
            db.engine.dispose()  # new connections take the setting
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    yield app
    with app.app_context():
        db.engine.dispose()


def empty_all_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        _empty_postgres(tables)
        return
    for table in tables:
        db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608  (table names from metadata)
    db.session.commit()


def _empty_postgres(tables: list[str], attempts: int = 10) -> None:
    """Empty every table and restart every sequence, as TRUNCATE ... RESTART IDENTITY
    would, but with DELETE: a test leaves a few rows in a few tables, and TRUNCATE of
    eighty tables costs a tenth of a second per test (new files for every table and
    index), DELETE of empty ones almost nothing. Foreign keys are not checked while the
    tables empty (session_replication_role), so the order does not matter.

    A browser test's last request may still be finishing in the live server's thread
    when the test ends (the server stops accepting, its handler threads run on):
    PostgreSQL may then end one side of a lock wait as a deadlock. That side is ours:
    roll back, let the request finish, try again."""
    statements = [text("SET LOCAL session_replication_role = replica")]
    statements += [text(f"DELETE FROM {table}") for table in tables]  # noqa: S608
    sequences = db.session.scalars(
        text(
            "SELECT relname FROM pg_class "
            "WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
        )
    ).all()
    if sequences:
        restart = ", ".join(f"setval('{name}', 1, false)" for name in sequences)
        statements.append(text(f"SELECT {restart}"))  # noqa: S608  (names from pg_class)
    for attempt in range(attempts):
        try:
            for statement in statements:
                db.session.execute(statement)
            db.session.commit()
            return
        except OperationalError:
            db.session.rollback()
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _forget_request_user(sender, **extra):
    # Tests hold an app context open, so every request of a test would share `g`
    # (Flask-Login caches the user there, Flask-WTF the CSRF token). In production
    # each request has its own app context: start every request with an empty g.
    for name in list(vars(g)):
        g.pop(name, None)


@pytest.fixture
def app(_migrated_app):
    request_started.connect(_forget_request_user, _migrated_app)
    settings = dict(_migrated_app.config)  # a test's changes end with it
    with _migrated_app.app_context():
        yield _migrated_app
        db.session.remove()
        empty_all_tables()
        limiter.reset()
        KeptPerRefresh.forget_all()  # figures kept per process under the refresh instant
    _migrated_app.config.clear()
    _migrated_app.config.update(settings)


@pytest.fixture
def build_app(config_class):
    """build_app(**settings): another app on the suite's database with some settings
    changed (as another worker, or another configuration); disposed afterwards."""
    built = []

    def _build(**settings):
        other = create_app(type("OtherConfig", (config_class,), settings))
        request_started.connect(_forget_request_user, other)
        built.append(other)
        return other

    yield _build
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    return factories.make_user


@pytest.fixture
def make_department(app):
    return factories.make_department


@pytest.fixture
def make_service(app):
    return factories.make_service


def signed_in_client(app, user):
    """A test client of `app` with `user` signed in (a session of its own)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


def csrf_token_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user through the session cookie."""

    def _login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture
def csrf(client):
    """csrf(path='/') returns a valid CSRF token from a page the client can see."""

    def _csrf(path: str = "/") -> str:
        return csrf_token_from(client.get(path).get_data(as_text=True))

    return _csrf
