"""Links a department's manager declares on /manage/<dept>: whom the department serves and
whom it relies on, each with one line of why. "External customers" is a node of its own
(a link with no client department); a department can serve them, not rely on them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.core.errors import NotFound, Refused
from portal.core.policy import manages
from portal.database import write_transaction
from portal.extensions import db
from portal.models import ChainLink, Department, User

EXTERNAL = "external"
Direction = Literal["serves", "relies"]


@dataclass(frozen=True)
class LinkChange:
    """What the form gives: the direction, the other end (a department id, or None for
    external customers) and the line of why."""

    direction: Direction
    external: bool
    other_id: int | None
    reason: str


@dataclass(frozen=True)
class DeclaredLinks:
    serves: list[ChainLink]
    relies_on: list[ChainLink]


def links_of(department: Department) -> DeclaredLinks:
    """The department's declared links both ways, in one read (names loaded with them)."""
    rows = db.session.scalars(
        select(ChainLink)
        .where(or_(ChainLink.server_id == department.id, ChainLink.client_id == department.id))
        .options(selectinload(ChainLink.server), selectinload(ChainLink.client))
        .order_by(ChainLink.id)
    ).all()
    serves = [r for r in rows if r.server_id == department.id]
    serves.sort(key=lambda r: (r.client is None, r.client.name if r.client else ""))
    relies = sorted(
        (r for r in rows if r.client_id == department.id), key=lambda r: r.server.name
    )
    return DeclaredLinks(serves=serves, relies_on=relies)


def other_choices(department: Department) -> list[tuple[str, str]]:
    """The other end's choices: external customers, then every other current department."""
    names = db.session.execute(
        select(Department.id, Department.name)
        .where(Department.active, Department.id != department.id)
        .order_by(Department.name)
    ).all()
    return [(EXTERNAL, "External customers"), *((str(i), n) for i, n in names)]


def _other(department: Department, change: LinkChange) -> Department | None:
    if not change.external and change.other_id is None:
        raise Refused("Choose a department, or external customers.", field="other")
    if change.external:
        if change.direction == "relies":
            raise Refused(
                "External customers are served, not relied on: choose a department.",
                field="other",
            )
        return None
    if change.other_id == department.id:
        raise Refused("A department cannot serve itself: choose another one.", field="other")
    other = db.session.get(Department, change.other_id)
    if other is None or not other.active:
        raise Refused(
            "That department is archived or gone: choose a current department.", field="other"
        )
    return other


def declare_link(actor: User, department: Department, change: LinkChange) -> ChainLink:
    """Declare (or re-word) a link from the department's side. Refused beside the field:
    a link to itself, to an archived department, relying on external customers."""
    if not manages(actor, department):
        raise NotFound
    if not change.reason or len(change.reason) > 200:
        raise Refused(
            "Say why in one line of at most 200 characters, like “laptops and accounts”.",
            field="reason",
        )
    with write_transaction():
        other = _other(department, change)
        if change.direction == "serves":
            server_id, client_id = department.id, other.id if other else None
        else:
            server_id, client_id = other.id, department.id
        link = db.session.scalar(
            select(ChainLink).where(
                ChainLink.server_id == server_id,
                ChainLink.client_id.is_(None) if client_id is None
                else ChainLink.client_id == client_id,
            )
        )
        before = link.reason if link else None
        if link is None:
            link = ChainLink(server_id=server_id, client_id=client_id, declared_by_id=department.id)
            db.session.add(link)
        link.reason = change.reason
        db.session.flush()
        audit.record(
            actor,
            "chain.link_declare",
            object_type="chain_link",
            object_id=link.id,
            label=link.label,
            department_id=department.id,
            changes={"reason": [before, change.reason]},
        )
    return link


def remove_link(actor: User, department: Department, link_id: int) -> str:
    """Remove a link the department is one end of; returns its words for the message."""
    if not manages(actor, department):
        raise NotFound
    with write_transaction():
        link = db.session.get(ChainLink, link_id)
        if link is None or department.id not in (link.server_id, link.client_id):
            raise NotFound
        label = link.label
        audit.record(
            actor,
            "chain.link_remove",
            object_type="chain_link",
            object_id=link.id,
            label=label,
            department_id=department.id,
        )
        db.session.delete(link)
    return label
