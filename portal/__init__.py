"""Inward: the intranet portal where colleagues serve each other as internal customers."""

from __future__ import annotations

import logging

from apiflask import APIFlask
from flask import Flask, request
from flask.templating import Environment
from flask_talisman import Talisman
from sqlalchemy import event

from config import HTMX_CDN_URL, HTMX_INTEGRITY, HTMX_VERSION, Config, config_from_environment
from portal.core import static_files
from portal.core.ids import BoundedIntConverter
from portal.extensions import cache, csrf, db, limiter, login_manager, reader_cache

log = logging.getLogger(__name__)


class TemplateEnvironment(Environment):
    """Flask's Jinja environment, each template's globals a plain dict: Jinja's own
    `ChainMap` over the environment's is copied key by key in Python into every context
    it starts (each render, include and macro import: some 150 lines of Python each) and
    compared key by key with an importer's on every `{% from … import %}`. All globals
    are registered in `create_app`, before any template loads (as Jinja asks: "avoid
    modifying any globals after a template is loaded")."""

    def make_globals(self, d):
        return {**self.globals, **d} if d else dict(self.globals)


class InwardApp(APIFlask):
    """The app. Its views, hooks, handlers and context processors are all plain functions
    (a house rule in tests/test_house_rules.py checks every one), so `ensure_sync` hands
    them back as they are: Flask's own asks `inspect.iscoroutinefunction` about each, some
    fifteen times a request."""

    jinja_environment = TemplateEnvironment

    def ensure_sync(self, func):
        return func


def create_app(config_class: type[Config] | None = None) -> Flask:
    config_class = config_class or config_from_environment()
    if hasattr(config_class, "check"):
        config_class.check()
    # APIFlask is Flask with an OpenAPI generator: the HTML app is unchanged (its JSON error
    # pages are off; /api/v1/openapi.json is its one route of its own). See portal/api.
    app = InwardApp(
        __name__,
        title="Inward API",
        version="1",
        spec_path="/api/v1/openapi.json",
        docs_path=None,
        json_errors=False,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config_class)
    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added

    register_extensions(app)
    static_files.register(app)
    register_security_headers(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_globals(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401  (one metadata for Alembic)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file has no server to drop a pooled connection: the ping before each checkout
        # (one round trip per request) guards PostgreSQL restarts only.
        options = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    reader_cache.init_app(
        app,
        config={
            "CACHE_TYPE": app.config["CACHE_TYPE"],
            "CACHE_REDIS_URL": app.config.get("CACHE_REDIS_URL"),
            "CACHE_KEY_PREFIX": f"{app.config['CACHE_KEY_PREFIX']}reader:",
            "CACHE_THRESHOLD": app.config["READER_CACHE_ENTRIES"],
            "CACHE_DEFAULT_TIMEOUT": 60,
        },
    )
    login_manager.init_app(app)
    _configure_sqlite(app)

    from portal.accounts import api_tokens, oidc, trusted_header
    from portal.accounts import services as accounts_services

    login_manager.user_loader(accounts_services.load_user_by_session_token)
    login_manager.caller_loader = api_tokens.person_of  # an API call's person, when asked
    login_manager.unauthorized_handler(accounts_services.unauthorized)
    login_manager.session_protection = "basic"
    trusted_header.init_app(app)  # AUTH_MODE=header: checks every request, first
    oidc.init_app(app)  # OpenID Connect sign-in, when OIDC_ISSUER is set
    app.before_request(accounts_services.require_sign_in)
    from portal.guests import guard as guest_guard

    app.before_request(guest_guard.guard)  # guests: declared routes only, 404 elsewhere


def _configure_sqlite(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    busy_ms = app.config["SQLITE_BUSY_TIMEOUT_MS"]

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        # pysqlite's own transaction handling is off so that SQLAlchemy's BEGIN is the
        # only one, and write transactions can be made IMMEDIATE where they need it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Reads: a bigger page cache per connection, the file mapped instead of copied,
        # temporary sort tables in memory.
        cursor.execute("PRAGMA cache_size=-16000")
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A transaction that will write (portal.database.write_transaction) takes the write
        # lock up front: a deferred one that read first could not upgrade under load.
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def register_security_headers(app: Flask) -> None:
    from portal.accounts import oidc

    script_src = ["'self'"]
    if app.config["HTMX_SOURCE"] != "local":
        script_src.append(HTMX_CDN_URL)
    csp = {
        "default-src": "'self'",
        "script-src": script_src,
        "style-src": "'self'",
        "img-src": ["'self'", "data:"],
        "font-src": "'self'",
        "connect-src": "'self'",
        # Signing out posts on to the OpenID Connect provider's end-session page.
        "form-action": ["'self'", *filter(None, [oidc.provider_origin(app)])],
        "base-uri": "'none'",
        "object-src": "'none'",
        "frame-ancestors": "'none'",
    }
    # One Talisman per app: the extension keeps its settings on itself, so a shared
    # instance would let the last app built (a production one in the tests) set them all.
    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=csp,
        frame_options="DENY",
        referrer_policy="same-origin",
        x_content_type_options=True,
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def register_blueprints(app: Flask) -> None:
    from portal import layout
    from portal.accounts import bp as accounts_bp
    from portal.admin import bp as admin_bp
    from portal.approvals.views import bp as approvals_bp
    from portal.chain import bp as chain_bp
    from portal.directory import bp as directory_bp
    from portal.feedback.views import bp as feedback_bp
    from portal.fulfilment import bp as fulfilment_bp
    from portal.guests import bp as guests_bp
    from portal.insights.views import bp as insights_bp
    from portal.knowledge import bp as knowledge_bp
    from portal.knowledge.services.read_counts import flush_at_exit as flush_readings_at_exit
    from portal.manage import bp as manage_bp
    from portal.notify.views import bp as notifications_bp
    from portal.recognition import bp as recognition_bp
    from portal.service_requests import bp as service_requests_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(service_requests_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(approvals_bp)
    app.register_blueprint(insights_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(guests_bp)
    app.register_blueprint(knowledge_bp)
    app.register_blueprint(fulfilment_bp)
    flush_readings_at_exit(app)
    layout.register(app)  # the header's links, for every blueprint
    app.register_blueprint(recognition_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(chain_bp)
    register_api(app)


def register_api(app: APIFlask) -> None:
    from portal.api import bp as api_bp
    from portal.api import docs_page, openapi

    app.register_blueprint(api_bp)
    app.register_blueprint(docs_page.bp)
    for blueprint in app.blueprints.values():
        # APIFlask reads this flag on every blueprint; the HTML ones are not in the document.
        if not hasattr(blueprint, "enable_openapi"):
            blueprint.enable_openapi = False
    app.spec_processor(openapi.complete)
    app.error_processor(openapi.from_validation)


def register_errorhandlers(app: Flask) -> None:
    from portal import errors

    errors.register(app)


def register_template_globals(app: Flask) -> None:
    from portal import presentation

    app.jinja_env.globals.update(
        htmx_version=HTMX_VERSION,
        htmx_cdn_url=HTMX_CDN_URL,
        htmx_integrity=HTMX_INTEGRITY,
        portal_name=app.config["PORTAL_NAME"],
    )
    presentation.register(app)

    @app.context_processor
    def _request_context():
        return {"current_path": request.path}


def register_cli(app: Flask) -> None:
    from portal import cli

    cli.register(app)
