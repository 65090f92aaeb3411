"""Sign-in, sign-out and who may see what of people."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from flask import g, redirect, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import and_, bindparam, inspect, select
from sqlalchemy.orm import make_transient_to_detached, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from portal.core import urls
from portal.core.problems import is_api_request
from portal.database import read
from portal.extensions import db
from portal.htmx import hx_redirect
from portal.models import Contact, Department, Membership, User

# Endpoints reachable without signing in. Everything else needs a signed-in user.
# feedback.rate_by_link: the e-mailed rating link, whose signed single-use token is the proof;
# notifications.unsubscribe_link: the one-click unsubscribe link (RFC 8058), signed likewise.
# accounts.oidc_*: OpenID Connect sign-in (the provider's answer is the proof).
# openapi.spec: the API's OpenAPI document (what it offers is no secret).
PUBLIC_ENDPOINTS = frozenset(
    {
        "accounts.login",
        "accounts.oidc_start",
        "accounts.oidc_callback",
        "static",
        "directory.health",
        "feedback.rate_by_link",
        "notifications.unsubscribe_link",
        "openapi.spec",
        "guests.accept",  # a guest's invitation link: its signed single-use token is the proof
    }
)
# Blueprints that sign callers in themselves, by token (never by the session cookie).
TOKEN_BLUEPRINTS = frozenset({"api"})


def signs_in_by_token(endpoint: str) -> bool:
    """Whether the route (its endpoint, e.g. "api.recognitions") takes its callers by token
    only: the session's sign-in, header sign-in and the guests' guard leave it alone."""
    return endpoint.partition(".")[0] in TOKEN_BLUEPRINTS

# Spent on a password check when the account does not exist, so that response
# times do not tell which e-mail addresses have accounts.
_DUMMY_HASH = (
    "scrypt:32768:8:1$2WJYFkHPEUfEr3pZ$"
    "6bd52ebd7ac1b8c1e95da6b1b9ee2b55f6e4b1d0a1c7f2fb0c9c6a9a1a4ca9f2"
    "0f19b5fbde8b9d2b0e3f1cbe0d3f4c6e7b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e"
)


# Run on every signed-in request: the person and, one row per membership, the department's
# id (closed ones too: who may see a department's thanks) and its role, with slug and name
# when the department is active (what the page header links to); one row with no department
# for most people. Every column costs the ORM work on each execution, so a closed
# department is told by its missing slug rather than by a column of its own. Built once, so
# SQLAlchemy reuses its cache key and compiled form instead of building it again each time.
# A service account never holds a session: only its API tokens act as it. The person's
# columns, then one row per department they serve in.
_USER_COLUMNS = tuple(column.key for column in User.__table__.columns)
_USER_BY_TOKEN = (
    select(
        *(getattr(User, key) for key in _USER_COLUMNS),
        Department.slug,
        Department.name.label("department_name"),
        Membership.role,
        Membership.department_id.label("membership_department_id"),
    )
    .outerjoin(Membership, Membership.user_id == User.id)
    .outerjoin(Department, and_(Department.id == Membership.department_id, Department.active))
    .where(User.session_token == bindparam("token"), User.active, ~User.is_service)
    .order_by(Department.name)
)
_PERSON = slice(0, len(_USER_COLUMNS))
_NEW_USER = User.__mapper__.class_manager.new_instance
_MEMBERSHIP = slice(len(_USER_COLUMNS), None)


class SignInMembership(NamedTuple):
    """A department the signed-in person serves in, read with them (the department's slug
    and name are None where it is closed; every field is None for someone serving in none)."""

    slug: str | None
    name: str | None
    role: str | None
    department_id: int | None


def load_user_by_session_token(token: str) -> User | None:
    """The signed-in person (Flask-Login's user loader); the statement's rows are kept for
    the rest of the request (`departments_at_sign_in`, `memberships_at_sign_in`).

    Read on every request, so read as columns (`portal.database.read`) and made into the
    session's `User` as a query would have loaded it (`make_transient_to_detached`: no
    change pending, relationships loaded when first used): an ORM query of the entity
    cost some 900 lines of Python more, a tenth of a small page. Someone the session
    already holds is that object, as a query would return it."""
    if not token:
        return None
    rows = read(_USER_BY_TOKEN, {"token": token})
    if not rows:
        return None
    person = rows[0][_PERSON]
    session = db.session()
    user = session.identity_map.get(identity_key(User, person[0]))
    if user is None:
        user = _NEW_USER()  # as a query makes it: no constructor, no change events
        user.__dict__.update(zip(_USER_COLUMNS, person, strict=True))
        make_transient_to_detached(user)
        session.add(user)
    else:  # held already: what a commit expired is filled in from the row, as a query would
        expired = inspect(user).expired_attributes
        for key, value in zip(_USER_COLUMNS, person, strict=True):
            if key in expired:
                set_committed_value(user, key, value)
    g.sign_in_rows = (user.id, [SignInMembership(*row[_MEMBERSHIP]) for row in rows])
    return user


def memberships_at_sign_in(user_id: int) -> list[int] | None:
    """The ids of every department `user_id` holds a membership in, open or closed, as read
    with them from their session this request; None when they did not sign in this way
    this request (someone else, a token, a command)."""
    kept = g.get("sign_in_rows")
    if kept is None or kept[0] != user_id:
        return None
    return sorted({row.department_id for row in kept[1]} - {None})


def departments_at_sign_in() -> list | None:
    """(slug, name, role, department_id) of the active departments the signed-in person
    works in, by name, as read with them from their session this request; None when they
    were not."""
    kept = g.get("sign_in_rows")
    return None if kept is None else [row for row in kept[1] if row.slug is not None]


def require_sign_in():
    endpoint = request.endpoint  # read once: each read through the proxy costs a lookup
    if endpoint is None:
        if is_api_request():
            return None  # the API's 404
    elif endpoint in PUBLIC_ENDPOINTS or signs_in_by_token(endpoint):
        return None  # the API checks its tokens itself (portal/api/authentication.py)
    if current_user.is_authenticated:
        return None
    return unauthorized()


def unauthorized():
    """Send the visitor to sign in; an htmx request gets HX-Redirect, never the
    sign-in page swapped into a widget."""
    if request.headers.get("HX-Request") == "true":
        current = request.headers.get("HX-Current-URL", "")
        parts = urlsplit(current)
        target = parts.path + (f"?{parts.query}" if parts.query else "") if parts.path else "/"
        return hx_redirect(url_for("accounts.login", next=safe_next(target) or None))
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.login", next=safe_next(target) or None))


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site other than signing in or out, else None."""
    return urls.safe_next(target, avoid=(url_for("accounts.login"), url_for("accounts.logout")))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active account with this e-mail and password, else None."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active or not user.password_hash:
        from werkzeug.security import check_password_hash

        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if user.check_password(password or "") else None


def sign_in(user: User, remember: bool) -> None:
    login_user(user, remember=remember)


def sign_out(user: User) -> None:
    """End every session of this user: the cookie carries the session token,
    so a new token makes copies of the old cookie worthless."""
    user.rotate_session_token()
    db.session.commit()
    logout_user()


def profile_for(user_id: int) -> User | None:
    """An active person's profile, with what they are a contact for."""
    return db.session.scalar(
        select(User)
        .where(User.id == user_id, User.active)
        .options(selectinload(User.department), selectinload(User.memberships))
    )


def contact_roles_of(user: User) -> list[Contact]:
    return list(
        db.session.scalars(
            select(Contact)
            .where(Contact.user_id == user.id)
            .options(selectinload(Contact.department), selectinload(Contact.service))
            .order_by(Contact.department_id, Contact.position)
        )
    )


def reports_to(user: User) -> User | None:
    """The active person `user` reports to (from the org import), if any."""
    from portal.models import ReportingLine

    return db.session.scalar(
        select(User)
        .join(ReportingLine, ReportingLine.manager_id == User.id)
        .where(ReportingLine.user_id == user.id, User.active)
    )
