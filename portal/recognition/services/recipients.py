"""Who a thanks is for: the recipients picker's chips and plain field, and the chips it
starts with when opened from a person's, a department's or a request's page."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.core.errors import Refused
from portal.directory import picker
from portal.extensions import db
from portal.models import (
    Department,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.recognition import markup

MAX_RECIPIENTS = 10


@dataclass
class Recipients:
    people: list[User] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.people and not self.departments


def resolve_recipients(author: User, typed: str, chosen: list[str] | None = None) -> Recipients:
    """The chips chosen (`person-12`, `department-3`) and what was typed in the plain field
    ('Ivan Petrov, IT, @amara, amara.okafor@example.com') → people and departments, through
    the portal's one picker rule (`directory.picker`: a name several people have is asked
    about, with its candidates)."""
    if not chosen and not picker.entries_of(typed):
        raise Refused(
            "Enter who you are thanking: start typing a colleague's or a team's name",
            "recipients",
        )
    found = Recipients()
    for person_or_team in picker.resolve(
        typed, chosen, field="recipients", limit=MAX_RECIPIENTS, guests=True
    ):
        if isinstance(person_or_team, Department):
            found.departments.append(person_or_team)
        elif person_or_team.id == author.id:
            raise Refused(
                "You cannot recognise yourself — thank a colleague or a team", "recipients"
            )
        else:
            found.people.append(person_or_team)
    return found


def _person_by_handle(handle: str) -> list[User]:
    return picker.people_by_address(handle)


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
) -> tuple[list[picker.Pick], ServiceRequest | None]:
    """The chips the recipients box starts with when the form is opened from a person's or a
    department's page, or from a resolved request ("Thank the team")."""
    sr = thankable_request(viewer, request_key)
    if sr is not None:
        chips = []
        if sr.assignee_id and sr.assignee_id != viewer.id:
            chips.append(picker.pick_of(db.session.get(User, sr.assignee_id)))
        chips.append(picker.pick_of(sr.department))
        return chips, sr
    if to_user:
        person = db.session.get(User, to_user)
        if person is not None and person.active and person.id != viewer.id:
            return [picker.pick_of(person)], None
    if to_department and to_department.isascii() and "\x00" not in to_department:
        department = db.session.scalar(
            select(Department).where(Department.slug == to_department[:64], Department.active)
        )
        if department is not None:
            return [picker.pick_of(department)], None
    return [], None


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
