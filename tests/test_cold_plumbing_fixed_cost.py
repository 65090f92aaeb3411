"""The fixed cost of a request: no ping before each connection checkout on SQLite (a file
has no server to drop a pooled connection); PostgreSQL keeps it (restarts, issue 12)."""

from __future__ import annotations

from portal.extensions import db


def test_only_a_server_database_is_pinged_before_each_checkout(app):
    server = db.engine.dialect.name != "sqlite"
    assert db.engine.pool._pre_ping is server
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is server
