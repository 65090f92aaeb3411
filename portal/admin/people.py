"""People, for portal admins: find them, deactivate and reactivate them, give and take
admin rights (never the last admin, never oneself)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.admin.services import require_admin
from portal.core.errors import NotFound, Refused
from portal.core.text import without_control_characters
from portal.database import write_transaction
from portal.directory import search
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.manage.services.members import left_without_manager
from portal.models import Department, User

PEOPLE_PAGE_SIZE = 50
PERSON_FIELDS = ["active", "is_admin"]


@dataclass(frozen=True)
class PeoplePage:
    people: list[User]
    query: str
    next_after: int | None


@dataclass(frozen=True)
class Deactivation:
    changed: bool
    # Departments whose last manager who could act this was: nobody can manage them now.
    left_without_manager: list[Department]


def unmanaged_words(departments: list[Department]) -> str:
    """"IT", "IT and Facilities", "HR, IT and Facilities": for notes and messages."""
    names = [department.name for department in departments]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def search_people(actor: User, query: str = "", after: int | None = None) -> PeoplePage:
    """Everyone (active or not) whose name or e-mail contains the query, by name."""
    require_admin(actor)
    query = " ".join(without_control_characters(query or "").split())[:120]
    stmt = select(User).where(~User.is_service).options(selectinload(User.department))
    if query:
        pattern = (
            "%" + query.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        )
        stmt = stmt.where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if after:
        stmt = stmt.where(User.id > after)
    rows = list(db.session.scalars(stmt.order_by(User.id).limit(PEOPLE_PAGE_SIZE + 1)))
    next_after = rows[PEOPLE_PAGE_SIZE - 1].id if len(rows) > PEOPLE_PAGE_SIZE else None
    return PeoplePage(rows[:PEOPLE_PAGE_SIZE], query, next_after)


def get_person(actor: User, user_id: int) -> User:
    require_admin(actor)
    person = db.session.get(User, user_id)
    if person is None or person.is_service:  # service accounts: /admin/service-accounts
        raise NotFound
    return person


def _active_admins() -> int:
    """How many active admins there are, with their rows locked on PostgreSQL (SQLite's
    write transaction already holds the one write lock): two admins removing each other
    at once cannot both pass the "never the last admin" check."""
    return len(
        db.session.scalars(
            select(User.id).where(User.is_admin, User.active).with_for_update()
        ).all()
    )


def _change_person(actor: User, person: User, action: str, note: str = "", **values) -> bool:
    before = audit.snapshot(person, PERSON_FIELDS)
    for name, value in values.items():
        setattr(person, name, value)
    changes = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if not changes:
        return False
    if "active" in values:
        if not values["active"]:
            # Every session ends at once: the cookies carry the old token.
            person.rotate_session_token()
        db.session.flush()
        search.index_person(person)
    audit.record(
        actor, action, person, label=f"{person.name} <{person.email}>", changes=changes, note=note
    )
    return True


def departments_left_unmanaged(actor: User, person: User) -> list[Department]:
    """The departments nobody could manage once `person` is deactivated (they are its only
    manager who can act): what the admin is warned about before going ahead."""
    require_admin(actor)
    return left_without_manager([person.id]) if person.active else []


def deactivate_person(actor: User, person: User) -> Deactivation:
    """They cannot sign in any more and every session of theirs ends now; their requests,
    replies and audit entries stay (shown as a former employee). Going ahead although they
    are a department's only manager is allowed (people do leave): the audit entry names
    the departments left without one."""
    require_admin(actor)
    if person.id == actor.id:
        raise Refused("You cannot deactivate yourself. Ask another admin.")
    with write_transaction():
        if person.is_admin and person.active and _active_admins() <= 1:
            raise Refused("This is the last admin. Make someone else an admin first.")
        # Read before the change: once they are inactive they are nobody's manager.
        unmanaged = left_without_manager([person.id]) if person.active else []
        note = f"Left without a manager: {unmanaged_words(unmanaged)}." if unmanaged else ""
        changed = _change_person(actor, person, "person.deactivate", note=note, active=False)
    directory_changed()
    return Deactivation(changed, unmanaged if changed else [])


def reactivate_person(actor: User, person: User) -> bool:
    require_admin(actor)
    with write_transaction():
        changed = _change_person(actor, person, "person.reactivate", active=True)
    directory_changed()
    return changed


def set_admin(actor: User, person: User, make_admin: bool) -> bool:
    require_admin(actor)
    with write_transaction():
        if make_admin and not person.active:
            raise Refused("Reactivate this person before making them an admin.")
        if not make_admin and person.is_admin and _active_admins() <= 1:
            raise Refused("This is the last admin. Make someone else an admin first.")
        action = "person.make_admin" if make_admin else "person.unmake_admin"
        return _change_person(actor, person, action, is_admin=make_admin)
