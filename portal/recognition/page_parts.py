"""Parts of the wall page that are the same for many readers, drawn by the wall's
template and cached (portal.core.caching): the department filter's options, a
department's month, the blank thank-you form's fields, a manager's own "not thanked"
panel. Each reader's form token is drawn around them by the template, never inside."""

from __future__ import annotations

from flask_login import current_user
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from sqlalchemy import bindparam, select

from portal.core import caching
from portal.database import read
from portal.extensions import reader_cache
from portal.layout import header_memberships
from portal.models import Department, MembershipRole
from portal.recognition import feed_cache
from portal.recognition.forms import RecognitionForm
from portal.recognition.services import feed, highlights

WALL = "recognition/wall.html"


def _seconds() -> int:
    """Like the directory, six times over: a rename shows within a minute."""
    return caching.lifetime("DIRECTORY_CACHE_SECONDS", factor=6)


def _markup(html: str) -> Markup:
    return Markup(html)  # noqa: S704 - our own template's output, escaped when rendered


def departments() -> dict[str, feed.DepartmentRef]:
    """Every active department by slug, in name order (the filter's choices)."""
    return caching.cached("wall-departments", feed.active_departments, seconds=_seconds())


def department_for_filter(slug: str) -> feed.DepartmentRef | None:
    """One department of the filter, kept by itself (not the whole list on every view)."""
    if not slug:
        return None
    found = caching.cached(
        f"wall-department:{slug}", lambda: departments().get(slug) or False, seconds=_seconds()
    )
    return found or None


def department_options(chosen: str = "") -> Markup:
    """The department filter's options, drawn once per choice."""
    return _markup(
        caching.cached(
            f"wall-department-options:{chosen}",
            lambda: render_block(
                WALL, "department_options", departments=departments().values(), chosen=chosen
            ),
            seconds=_seconds(),
        )
    )


_NAMED = select(Department.id, Department.name).where(Department.id == bindparam("id"))


def department_month(department_id: int) -> highlights.DepartmentMonth | None:
    """The same for every reader (public posts only)."""

    def build():
        department = read(_NAMED, {"id": department_id}).first()
        return highlights.department_month(department) if department is not None else None

    return caching.cached(f"wall-month:{department_id}", build, seconds=_seconds())


def not_thanked_panel() -> Markup:
    """The manager's own "not thanked in a while" panel (never shown to anyone else),
    drawn at most once a minute. Nothing is read or kept for anyone who manages nothing."""
    if not any(row.role == MembershipRole.MANAGER for row in header_memberships()):
        return _markup("")

    def draw() -> str:
        found = highlights.not_thanked_lately(current_user)
        return "" if found is None else render_block(WALL, "not_thanked", not_thanked=found)

    return _markup(
        caching.cached(
            f"wall-not-thanked:{current_user.id}", draw, seconds=_seconds(), store=reader_cache
        )
    )


def blank_thank_fields(values) -> Markup:
    """The thank-you form's fields as a first visit shows them (nothing filled in, no
    errors): the same for everyone, drawn once per version of the values. The form
    around them, with the reader's token, is drawn on every request."""
    return _markup(
        feed_cache.cached_for_wall(
            "thank-fields",
            lambda: render_block(
                WALL, "thank_fields", form=RecognitionForm(formdata=None, values=values),
                values=values,
            ),
        )
    )
