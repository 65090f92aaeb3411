"""The fixed cost of a request: no ping before each connection checkout on SQLite (a file
has no server to drop a pooled connection); PostgreSQL keeps it (restarts, issue 12)."""

from __future__ import annotations

from portal.extensions import db


def test_only_a_server_database_is_pinged_before_each_checkout(app):
    server = db.engine.dialect.name != "sqlite"
    assert db.engine.pool._pre_ping is server
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is server


def test_gunicorn_config_freezes_what_a_worker_built(monkeypatch):
    import gc
    import runpy
    from pathlib import Path

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    assert settings["worker_class"] == "sync" and settings["workers"] >= 3
    assert settings["preload_app"] is False
    try:
        settings["post_worker_init"](None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
