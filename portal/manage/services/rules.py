"""The shared rules of every manage change: `Invalid` (a whole change refused, one message
per field), the text rule for typed fields, the slug rule, and `locked_change` (one write
transaction with the department row locked; the directory's caches cleared after)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import select

from portal.core.text import clean_text, text_problem
from portal.database import write_transaction
from portal.directory.fragments import directory_changed
from portal.directory.services import SLUG_PATTERN
from portal.extensions import db
from portal.models import Department


class Invalid(Exception):
    """A change refused as a whole: {field name: message}. Nothing was saved."""

    def __init__(self, errors: Mapping[str, str], candidates=()):
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)
        self.candidates = list(candidates)  # a colleague's name several people have


# Text rules (portal.core.text) ----------------------------------------------------


def text_field(
    errors: dict[str, str],
    name: str,
    label: str,
    value: str | None,
    limit: int,
    *,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """`value` cleaned by the one text rule; a message in `errors[name]` when it is
    missing, too long, or carries control characters (or a line break on one line)."""
    problem = text_problem(value, multiline=multiline)
    text = clean_text(value) if problem is None else ""
    if problem:
        errors[name] = problem
    elif required and not text:
        errors[name] = f"Enter {label.lower()}."
    elif len(text) > limit:
        errors[name] = f"{label} must be {limit:,} characters or fewer."
    return text


EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_slug(value: str | None) -> str | None:
    """The message for a slug that may not be used, or None. Slugs are ASCII lowercase
    letters, digits and hyphens: no `/`, no `..`, no look-alike letters from other scripts."""
    text = value or ""
    if not text:
        return "Enter a short web address name, like new-laptop."
    if len(text) > 64:
        return "The web address name must be 64 characters or fewer."
    if not SLUG_PATTERN.fullmatch(text):
        return (
            "Use only lowercase letters a–z, digits and hyphens, starting with a letter or "
            "digit (no spaces, slashes, dots or accented letters), like new-laptop."
        )
    return None


@contextmanager
def locked_change(department: Department) -> Iterator[None]:
    """One write transaction; the department row is locked first (PostgreSQL), so two
    managers' changes to the same department queue instead of interleaving."""
    with write_transaction():
        db.session.execute(
            select(Department.id).where(Department.id == department.id).with_for_update()
        )
        yield
    directory_changed()


def order_words(names) -> str:
    return " · ".join(names)


def move_in_list(items: list, item, direction: str) -> bool:
    index = items.index(item)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    return True
