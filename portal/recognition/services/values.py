"""Company values: the ones the thank-you form offers, and their administration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    func,
    select,
)

from portal import audit
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import read, write_transaction
from portal.extensions import db
from portal.models import (
    CompanyValue,
    User,
)
from portal.recognition import markup
from portal.recognition.services.visibility import require_admin

PALETTE = ["blue", "teal", "green", "amber", "red", "purple", "pink", "slate", "indigo", "orange"]


# The values in use, in the order they are offered: built once (the wall's form and
# filter offer them), as objects and as the form's rows.
_IN_USE = CompanyValue.retired_at.is_(None)
_OFFERED_ORDER = (CompanyValue.position, CompanyValue.name)
_ACTIVE = select(CompanyValue).where(_IN_USE).order_by(*_OFFERED_ORDER)
_ACTIVE_CHOICES = (
    select(
        CompanyValue.id,
        CompanyValue.name,
        CompanyValue.description,
        CompanyValue.emoji,
        CompanyValue.colour,
    )
    .where(_IN_USE)
    .order_by(*_OFFERED_ORDER)
)


def active_values() -> list[CompanyValue]:
    return list(db.session.scalars(_ACTIVE))


@dataclass(frozen=True)
class ValueChoice:
    """A value as the thank-you form offers it (plain data: it can be cached)."""

    id: int
    name: str
    description: str
    emoji: str
    colour: str


def value_choices() -> list[ValueChoice]:
    return [ValueChoice(*row) for row in read(_ACTIVE_CHOICES)]


def all_values() -> list[CompanyValue]:
    return list(
        db.session.scalars(
            select(CompanyValue).order_by(
                CompanyValue.retired_at.is_not(None), CompanyValue.position, CompanyValue.name
            )
        )
    )


def _value_fields(name: str, description: str, emoji: str, colour: str) -> dict:
    name = markup.clean_text(name)[:60]
    if not name:
        raise Refused("Enter the value's name", "name")
    if colour not in PALETTE:
        raise Refused("Choose one of the colours listed", "colour")
    return {
        "name": name,
        "description": markup.clean_text(description)[:300],
        "emoji": markup.clean_text(emoji)[:16],
        "colour": colour,
    }


def _name_taken(name: str, other_id: int | None = None) -> bool:
    query = select(CompanyValue.id).where(func.lower(CompanyValue.name) == name.lower())
    if other_id is not None:
        query = query.where(CompanyValue.id != other_id)
    return db.session.scalar(query) is not None


def add_value(
    admin: User, *, name: str, description: str = "", emoji: str = "", colour: str = "slate"
) -> CompanyValue:
    require_admin(admin)
    fields = _value_fields(name, description, emoji, colour)
    with write_transaction():
        if _name_taken(fields["name"]):
            raise Refused("There is already a value with that name", "name")
        position = (db.session.scalar(select(func.max(CompanyValue.position))) or 0) + 1
        value = CompanyValue(position=position, **fields)
        db.session.add(value)
        db.session.flush()
        audit.record(admin, "value.add", value, changes=audit.diff({}, fields))
    return value


def edit_value(
    admin: User, value: CompanyValue, *, name: str, description: str, emoji: str, colour: str
) -> CompanyValue:
    require_admin(admin)
    fields = _value_fields(name, description, emoji, colour)
    with write_transaction():
        if _name_taken(fields["name"], value.id):
            raise Refused("There is already a value with that name", "name")
        before = audit.snapshot(value, list(fields))
        for key, item in fields.items():
            setattr(value, key, item)
        audit.record(admin, "value.edit", value, changes=audit.diff(before, fields))
    return value


def set_value_retired(
    admin: User, value: CompanyValue, retired: bool, now: datetime | None = None
) -> CompanyValue:
    require_admin(admin)
    with write_transaction():
        before = {"retired": value.retired_at is not None}
        value.retired_at = clock.now(now) if retired else None
        audit.record(
            admin,
            "value.retire" if retired else "value.restore",
            value,
            changes=audit.diff(before, {"retired": retired}),
        )
    return value


def value_to_edit(admin: User, value_id: int) -> CompanyValue:
    """A company value for a portal admin; NotFound for anyone else."""
    require_admin(admin)
    value = db.session.get(CompanyValue, value_id)
    if value is None:
        raise NotFound(value_id)
    return value


def values_for_edit(post) -> list[CompanyValue]:
    """The values an edit offers: the current ones, and the post's own if it was retired."""
    current = active_values()
    return current if post.value in current else [post.value, *current]
