"""Settings, one class per environment, every value from the environment.

Development defaults are safe for a laptop; ProductionConfig refuses to start
without a real SECRET_KEY or shared rate-limit storage, and never runs in demo mode.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _switch(name: str) -> bool | None:
    """True/False when the variable is set, None when it is not."""
    return None if os.environ.get(name) is None else _bool(name)


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


HTMX_VERSION = "2.0.10"
HTMX_INTEGRITY = "sha384-H5SrcfygHmAuTDZphMHqBJLc3FhssKjG7w/CeCpFReSfwBWDTKpkzPP8c+cLsK+V"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'inward.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))

    # htmx: "cdn" (pinned URL with SRI) or "local" (static/vendor, installed from npm).
    HTMX_SOURCE = os.environ.get("HTMX_SOURCE", "cdn")

    DEMO_MODE = _bool("DEMO_MODE")
    PORTAL_NAME = os.environ.get("PORTAL_NAME", "Inward")
    # The portal's own address, for links in e-mails and webhooks (no request to ask).
    PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:5000").rstrip("/")
    # Request attachments: stored outside static/ under random names.
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR", str(BASE_DIR / "instance" / "attachments"))
    # Approvers are reminded after this many of their own business hours (issue 16).
    APPROVAL_REMIND_HOURS = int(os.environ.get("APPROVAL_REMIND_HOURS", "8"))
    ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
    # A whole upload may carry a few attachments plus the form.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(32 * 1024 * 1024)))
    DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "Europe/London")

    # Sessions: signed cookies; remember-me at most 14 days.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Rate limits: memory:// is per process; use redis:// with more than one worker.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # Failed sign-ins (portal/accounts/throttle.py): per (account, address) the first
    # SIGNIN_FREE_FAILURES are free, then each failure doubles the wait from
    # SIGNIN_DELAY_SECONDS up to SIGNIN_MAX_DELAY_SECONDS; another address is not held up.
    # Above that, a much higher ceiling per account (all addresses) and one per address.
    SIGNIN_FREE_FAILURES = int(os.environ.get("SIGNIN_FREE_FAILURES", "5"))
    SIGNIN_DELAY_SECONDS = int(os.environ.get("SIGNIN_DELAY_SECONDS", "30"))
    SIGNIN_MAX_DELAY_SECONDS = int(os.environ.get("SIGNIN_MAX_DELAY_SECONDS", "900"))
    SIGNIN_FAILURE_MEMORY_SECONDS = int(os.environ.get("SIGNIN_FAILURE_MEMORY_SECONDS", "86400"))
    SIGNIN_ACCOUNT_LIMIT = os.environ.get("SIGNIN_ACCOUNT_LIMIT", "50 per hour")
    SIGNIN_ADDRESS_LIMIT = os.environ.get("SIGNIN_ADDRESS_LIMIT", "20 per 15 minutes")

    SEARCH_MAX_QUERY_CHARS = 200

    # The REST API (/api/v1, portal/api): calls per personal access token, in the limiter's
    # storage above (shared by every worker with redis://), and the largest JSON body.
    API_TOKEN_LIMIT = os.environ.get("API_TOKEN_LIMIT", "600 per minute")
    API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))
    # APIFlask (the OpenAPI document): the refusals are added by portal/api/openapi.py.
    AUTO_404_RESPONSE = False
    AUTO_VALIDATION_ERROR_RESPONSE = False
    AUTO_AUTH_ERROR_RESPONSE = False
    AUTO_SERVERS = False

    # Sign-in: "local" (passwords) or "header" (single sign-on by a trusted reverse proxy
    # that puts the person's e-mail in AUTH_HEADER; believed only from TRUSTED_PROXIES,
    # a comma-separated list of addresses and CIDRs, refused with 403 from anywhere else).
    AUTH_MODE = os.environ.get("AUTH_MODE", "local").strip().lower()
    AUTH_HEADER = os.environ.get("AUTH_HEADER", "X-Remote-User")
    TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "")
    # OpenID Connect sign-in (portal/accounts/oidc.py), beside passwords and the header mode:
    # on when OIDC_ISSUER is set (the provider's issuer URL; its discovery document is read
    # from <issuer>/.well-known/openid-configuration). The e-mail claim names the person from
    # the org import; OIDC_JIT_ACCOUNTS=1 creates a person who is not there yet instead of
    # refusing. OIDC_BUTTON_LABEL: "Sign in with <label>" on the sign-in page.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    OIDC_JIT_ACCOUNTS = _bool("OIDC_JIT_ACCOUNTS")
    OIDC_BUTTON_LABEL = os.environ.get("OIDC_BUTTON_LABEL", "single sign-on")
    OIDC_TIMEOUT_SECONDS = float(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))
    # The largest org file (CSV) /admin/import and `flask org import` accept.
    ORG_IMPORT_MAX_BYTES = int(os.environ.get("ORG_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))

    # The one switch of every cache of rendered output (portal/core/caching.py): RENDERED_CACHE=0
    # measures cold (bench/run's BENCH_COLD). Unset, the two lifetimes below decide.
    RENDERED_CACHE = _switch("RENDERED_CACHE")
    # Rendered directory fragments (department pages, the home directory, search
    # suggestions) are cached this many seconds. SimpleCache is per process; with
    # CACHE_REDIS_URL set, every worker shares one cache and a change clears it for all.
    DIRECTORY_CACHE_SECONDS = int(os.environ.get("DIRECTORY_CACHE_SECONDS", "10"))
    # The value chain's map (portal/chain): its figures change only with the insights
    # refresh and declared links (both move its stamp at once); this bounds how long another
    # worker shows a renamed or archived department on it (SimpleCache; Redis: at once).
    CHAIN_MAP_CACHE_SECONDS = int(os.environ.get("CHAIN_MAP_CACHE_SECONDS", "60"))
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_TYPE = "RedisCache" if CACHE_REDIS_URL else os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_KEY_PREFIX = "inward:"
    # What every reader shares (directory fragments, wall cards, each department's month):
    # per process without Redis, at most this many entries. When full, SimpleCache drops the
    # entries that expire soonest, which are the most read (the 10-second fragments).
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", "5000"))
    # Rendered queues and "my requests" lists, kept at most this many seconds under
    # version stamps that every change bumps (portal/service_requests/list_cache.py).
    LIST_CACHE_SECONDS = int(os.environ.get("LIST_CACHE_SECONDS", "30"))
    # What is kept per reader (their wall page, about 50 KB; their "my requests") lives in a
    # cache of its own; per process without Redis, at most this many entries.
    READER_CACHE_ENTRIES = int(os.environ.get("READER_CACHE_ENTRIES", "1000"))
    # Article readings are added to the counts at most this often per process, not one
    # write per page view (portal/knowledge/services/read_counts.py); 0: at once.
    ARTICLE_VIEWS_FLUSH_SECONDS = float(os.environ.get("ARTICLE_VIEWS_FLUSH_SECONDS", "30"))

    # Notifications (`flask notify run`, portal/notify). E-mail goes over SMTP when
    # SMTP_HOST is set; without it, development only logs e-mails and production refuses
    # to start the worker (NOTIFY_REQUIRE_SMTP), so no e-mail is marked sent unsent.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "")  # "", "smtp" or "log"
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_SSL = _bool("SMTP_SSL", False)  # implicit TLS, port 465
    SMTP_PORT = int(os.environ.get("SMTP_PORT") or (465 if SMTP_SSL else 587))
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", True)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_TIMEOUT_SECONDS = float(os.environ.get("SMTP_TIMEOUT_SECONDS", "20"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "Inward <inward@localhost>")
    NOTIFY_REQUIRE_SMTP = False
    # Mail in (portal/mail_in, README "Requests by e-mail"). A bigger message is refused
    # unread; one sender's mails beyond the hourly limit are refused; an unknown or
    # refused sender is answered at most once in MAIL_IN_ANSWER_EVERY_HOURS.
    MAIL_IN_MAX_BYTES = int(os.environ.get("MAIL_IN_MAX_BYTES", str(20 * 1024 * 1024)))
    MAIL_IN_SENDER_LIMIT_PER_HOUR = int(os.environ.get("MAIL_IN_SENDER_LIMIT_PER_HOUR", "60"))
    MAIL_IN_ANSWER_EVERY_HOURS = int(os.environ.get("MAIL_IN_ANSWER_EVERY_HOURS", "24"))
    # IMAP mailboxes `flask mail fetch` polls, separated by spaces:
    # imaps://user:password@host:993/INBOX (TLS), imap://…?starttls=1, imap://… (plain,
    # for a server on the same host). Handled mail is moved to MAIL_IMAP_DONE_FOLDER.
    MAIL_IMAP_URLS = os.environ.get("MAIL_IMAP_URLS", "")
    MAIL_IMAP_DONE_FOLDER = os.environ.get("MAIL_IMAP_DONE_FOLDER", "Inward")
    MAIL_IMAP_TIMEOUT_SECONDS = float(os.environ.get("MAIL_IMAP_TIMEOUT_SECONDS", "30"))
    # Webhook hosts and networks that may be non-public or plain http ("hooks.lan, 10.8.0.0/16").
    WEBHOOK_ALLOWLIST = os.environ.get("WEBHOOK_ALLOWLIST", "")
    WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
    NOTIFY_POLL_SECONDS = float(os.environ.get("NOTIFY_POLL_SECONDS", "5"))
    NOTIFY_BATCH_SIZE = int(os.environ.get("NOTIFY_BATCH_SIZE", "20"))
    NOTIFY_LEASE_SECONDS = float(os.environ.get("NOTIFY_LEASE_SECONDS", "600"))
    NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "15"))
    NOTIFY_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "30"))
    NOTIFY_RETRY_MAX_SECONDS = float(os.environ.get("NOTIFY_RETRY_MAX_SECONDS", "3600"))


class DevelopmentConfig(Config):
    DEBUG = False  # the debugger would show traces; `flask run --debug` opts in


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    HTMX_SOURCE = "local"
    DEMO_MODE = True
    RATELIMIT_STORAGE_URI = os.environ.get("TEST_RATELIMIT_STORAGE_URI", "memory://")
    # No caching between a test's requests; the tests that prove caching set
    # DIRECTORY_CACHE_SECONDS themselves.
    DIRECTORY_CACHE_SECONDS = 0
    LIST_CACHE_SECONDS = 0
    ARTICLE_VIEWS_FLUSH_SECONDS = 0  # counted at once; the test of the batching sets its own
    RENDERED_CACHE = None  # never from the environment in the tests


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    FORCE_HTTPS = _bool("FORCE_HTTPS", True)
    NOTIFY_REQUIRE_SMTP = True

    @classmethod
    def check(cls) -> None:
        if cls.SECRET_KEY in ("", "dev-only-not-secret") or len(cls.SECRET_KEY) < 32:
            raise RuntimeError("Set SECRET_KEY to a random value of at least 32 characters.")
        if cls.DEMO_MODE:
            raise RuntimeError("DEMO_MODE is for demonstrations only; unset it in production.")
        if cls.RATELIMIT_STORAGE_URI.strip().lower().startswith("memory://"):
            # Per-process counts: every worker would allow the full limit again, so the
            # sign-in throttle and every other limit would multiply by the worker count.
            raise RuntimeError(
                "Set RATELIMIT_STORAGE_URI to a shared store (redis://host:6379/0): "
                "memory:// counts per worker process, so rate limits do not hold in production."
            )


def config_from_environment() -> type[Config]:
    name = os.environ.get("INWARD_ENV", "development")
    return {"production": ProductionConfig, "test": TestConfig}.get(name, DevelopmentConfig)
