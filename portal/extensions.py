"""Extension instances only; they are bound to the app in create_app. Flask-Migrate is not
here: only the command line needs it (portal.cli.register_migrations)."""
from flask import g, request
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class PortalLoginManager(LoginManager):
    """Flask-Login's manager, which on an API call (`g.api_caller`, set by
    portal.api.authentication once the token is checked) takes the token's person as the
    current user, loaded by `caller_loader` only when something first asks for them, and
    never the session's."""

    caller_loader = None  # (caller) -> User, registered in create_app

    def _load_user(self):
        caller = g.get("api_caller")
        if caller is None:
            return super()._load_user()
        # None (the person gone since the token was checked) becomes the anonymous user
        return self._update_request_context_with_user(self.caller_loader(caller))


login_manager = PortalLoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _reading_a_page() -> bool:
    """A GET or HEAD outside the API skips the limiter's work (resolving the route's limits:
    some 340 Python lines a request, 2–5 % of a cached page): the only limits are on POSTs
    (signing in, reacting) and on every API call, per token (tests/test_house_rules.py
    checks that no other GET has one)."""
    return request.method in ("GET", "HEAD") and request.blueprint != "api"


cache = Cache()
# What is kept per reader (their page of the wall, their "my requests"): a cache of its own,
# so that many readers cannot push out what every reader shares (SimpleCache drops the
# entries that expire soonest once it is full).
reader_cache = Cache()
