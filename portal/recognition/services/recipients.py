"""Who a thanks is for: the recipients box typed by the author, its type-ahead and
what it starts with when opened from a person's, a department's or a request's page."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import (
    func,
    or_,
    select,
)
from sqlalchemy.orm import selectinload

from portal.core.errors import Refused
from portal.extensions import db
from portal.models import (
    Department,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.recognition import markup
from portal.recognition.services.visibility import handle_of

MAX_RECIPIENTS = 10


@dataclass
class Recipients:
    people: list[User] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.people and not self.departments


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _person_by_handle(handle: str) -> list[User]:
    handle = handle.lower().lstrip("@")
    if "@" in handle:  # a whole e-mail address
        return list(db.session.scalars(select(User).where(func.lower(User.email) == handle)))
    return list(
        db.session.scalars(
            select(User)
            .where(func.lower(User.email).like(f"{_like_literal(handle)}@%", escape="\\"))
            .limit(3)
        )
    )


def _department_by_name(text: str) -> Department | None:
    lowered = text.lower()
    return db.session.scalar(
        select(Department).where(
            Department.active,
            or_(func.lower(Department.name) == lowered, Department.slug == lowered),
        )
    )


def resolve_recipients(author: User, typed: str) -> Recipients:
    """'@ivan, IT, amara.okafor@example.com' → people and departments. Each entry is a
    colleague's @handle (their e-mail address before the @) or e-mail address, or a
    department's name."""
    entries = [markup.clean_text(e) for e in typed.replace(";", ",").split(",")]
    entries = [e for e in entries if e]
    if not entries:
        raise Refused(
            "Enter who you are thanking: a colleague's @handle or a team's name", "recipients"
        )
    if len(entries) > MAX_RECIPIENTS:
        raise Refused(f"Thank at most {MAX_RECIPIENTS} people or teams in one post", "recipients")
    found = Recipients()
    for entry in entries:
        entry = entry[:254]
        looks_like_person = entry.startswith("@") or "@" in entry
        department = None if entry.startswith("@") else _department_by_name(entry)
        if department is not None and not looks_like_person:
            if department not in found.departments:
                found.departments.append(department)
            continue
        people = _person_by_handle(entry.lstrip("@")) if entry.strip("@") else []
        if len(people) > 1:
            raise Refused(
                f"More than one person matches “{entry}”: use their full e-mail address",
                "recipients",
            )
        if not people:
            raise Refused(
                f"We could not find “{entry}”. Use a colleague's @handle (their e-mail address "
                "before the @) or a team's name",
                "recipients",
            )
        person = people[0]
        if not person.active:
            raise Refused(
                f"{person.name} has left: thank someone who is still here", "recipients"
            )
        if person.id == author.id:
            raise Refused(
                "You cannot recognise yourself — thank a colleague or a team", "recipients"
            )
        if person not in found.people:
            found.people.append(person)
    return found


def resolve_mentions(text: str) -> dict[str, User]:
    mentions: dict[str, User] = {}
    for handle in markup.mention_handles(text):
        people = _person_by_handle(handle)
        if len(people) != 1 or not people[0].active:
            raise Refused(
                f"We could not find @{handle} among current colleagues: "
                "check the handle, or remove the @",
                "message",
            )
        mentions[handle] = people[0]
    return mentions


def prefill_for(
    viewer: User,
    *,
    to_user: int | None = None,
    to_department: str | None = None,
    request_key: str | None = None,
) -> tuple[str, ServiceRequest | None]:
    """What the recipients box starts with when the form is opened from a person's or a
    department's page, or from a resolved request ("Thank the team")."""
    sr = thankable_request(viewer, request_key)
    if sr is not None:
        entries = []
        if sr.assignee_id and sr.assignee_id != viewer.id:
            entries.append("@" + handle_of(db.session.get(User, sr.assignee_id)))
        entries.append(sr.department.name)
        return ", ".join(entries), sr
    if to_user:
        person = db.session.get(User, to_user)
        if person is not None and person.active and person.id != viewer.id:
            return "@" + handle_of(person), None
    if to_department and to_department.isascii() and "\x00" not in to_department:
        department = db.session.scalar(
            select(Department).where(Department.slug == to_department[:64])
        )
        if department is not None:
            return department.name, None
    return "", None


def picker_options(viewer: User, typed: str, limit: int = 8) -> list[tuple[str, str]]:
    """Type-ahead for the recipients box: (whole new value of the box, label). The last
    comma-separated entry is completed; the ones before it are kept."""
    parts = typed.split(",")
    head = [p.strip() for p in parts[:-1] if p.strip()]
    term = markup.clean_text(parts[-1]).lstrip("@")[:60]
    if len(term) < 2:
        return []
    like = "%" + _like_literal(term.lower()) + "%"
    prefix = ", ".join(head) + (", " if head else "")
    options: list[tuple[str, str]] = []
    for department in db.session.scalars(
        select(Department)
        .where(Department.active, func.lower(Department.name).like(like, escape="\\"))
        .order_by(Department.name)
        .limit(3)
    ):
        options.append((prefix + department.name, f"{department.name} (the whole team)"))
    people = db.session.scalars(
        select(User)
        .where(
            User.active,
            User.id != viewer.id,
            or_(
                func.lower(User.name).like(like, escape="\\"),
                func.lower(User.email).like(like, escape="\\"),
            ),
        )
        .order_by(User.name)
        .limit(limit)
        .options(selectinload(User.department))
    )
    for person in people:
        where = f" · {person.department.name}" if person.department else ""
        options.append((prefix + "@" + handle_of(person), f"{person.name}{where}"))
    return options[:limit]


def thankable_request(viewer: User, key: str | None) -> ServiceRequest | None:
    """A resolved (or closed) request the viewer asked for: the one "Thank the team" links to."""
    if not key or len(key) > 24 or not key.isascii() or "\x00" in key:
        return None
    sr = db.session.scalar(select(ServiceRequest).where(ServiceRequest.key == key))
    if sr is None or sr.requester_id != viewer.id:
        return None
    if sr.status not in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return None
    return sr
