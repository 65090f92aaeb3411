"""The department's members: agents and managers."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.core import policy
from portal.core.errors import NotFound, Refused
from portal.core.text import text_problem
from portal.directory import picker
from portal.extensions import db
from portal.manage.services.access import check_manager
from portal.manage.services.rules import Invalid, locked_change
from portal.models import (
    Department,
    Membership,
    MembershipRole,
    User,
)

# Members ----------------------------------------------------------------------------


def department_members(department: Department) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .where(Membership.department_id == department.id)
            .order_by(Membership.role.desc(), User.name)
            .options(selectinload(Membership.user))
        )
    )


def _role_words(role: MembershipRole) -> str:
    return "an agent" if role is MembershipRole.AGENT else "a manager"


def sole_manager_id(department: Department) -> int | None:
    """The user id of the department's one manager who can act, when it has exactly one:
    they may be neither demoted nor removed. Who counts is `policy.managers_of` (active
    people only), so a deactivated manager does not keep the department managed."""
    managers = policy.managers_of(department)
    return managers[0].id if len(managers) == 1 else None


def left_without_manager(leaving: Collection[int]) -> list[Department]:
    """The current departments that deactivating the people `leaving` (user ids) would
    leave with nobody to manage them: every manager who can act (`policy.managers_of`) is
    among them. For one person, the departments whose `sole_manager_id` they are; for an
    import, also two co-managers leaving together. By name."""
    ids = set(leaving)
    if not ids:
        return []
    managed = db.session.scalars(
        select(Department)
        .join(Membership, Membership.department_id == Department.id)
        .where(
            Membership.user_id.in_(ids),
            Membership.role == MembershipRole.MANAGER,
            Department.active,
        )
        .distinct()
        .order_by(Department.name, Department.id)
    )
    left = []
    for department in managed:
        acting = {manager.id for manager in policy.managers_of(department)}
        if acting and acting <= ids:
            left.append(department)
    return left


def add_member(
    actor: User, department: Department, email: str, role: str, chosen: str = ""
) -> Membership:
    """Add an agent or manager (or change the role of someone already a member): the
    colleague chosen in the people picker (`chosen`: person-12), or typed by name, @handle
    or e-mail address (`email`; a name several people have is asked about)."""
    check_manager(actor, department)
    errors: dict[str, str] = {}
    candidates = []
    try:
        wanted = MembershipRole(role)
    except ValueError:
        errors["role"] = "Choose agent or manager."
    text = (email or "").strip()
    person = None
    if not text and not chosen:
        errors["email"] = "Enter the colleague’s name or work e-mail address."
    elif text_problem(text, multiline=False) is not None:
        errors["email"] = text_problem(text, multiline=False)
    else:
        try:
            person = picker.resolve_one(text, chosen, field="email")
        except Refused as refused:
            errors["email"] = refused.message
            candidates = getattr(refused, "candidates", [])
    if errors:
        raise Invalid(errors, candidates)
    with locked_change(department):
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == person.id, Membership.department_id == department.id
            )
        )
        if membership is not None:
            if membership.role is wanted:
                raise Invalid(
                    {
                        "email": f"{person.name} is already {_role_words(wanted)} of "
                        f"{department.name}."
                    }
                )
            _refuse_last_manager(department, membership, "make them an agent")
            before = membership.role.value
            membership.role = wanted
            audit.record(
                actor,
                "member.role",
                membership,
                label=person.name,
                department_id=department.id,
                changes={"role": [before, wanted.value]},
            )
        else:
            membership = Membership(user_id=person.id, department_id=department.id, role=wanted)
            db.session.add(membership)
            db.session.flush()
            audit.record(
                actor,
                "member.add",
                membership,
                label=person.name,
                department_id=department.id,
                changes={"role": [None, wanted.value]},
            )
    return membership


def membership_of(actor: User, department: Department, membership_id: int) -> Membership:
    check_manager(actor, department)
    membership = (
        db.session.get(Membership, membership_id) if isinstance(membership_id, int) else None
    )
    if membership is None or membership.department_id != department.id:
        raise NotFound
    return membership


def _refuse_last_manager(department: Department, membership: Membership, what: str) -> None:
    if membership.role is not MembershipRole.MANAGER:
        return
    if sole_manager_id(department) != membership.user_id:
        return
    # Any other manager on the list is deactivated: say so, or the refusal reads as wrong.
    inactive = [
        m.user.name
        for m in department_members(department)
        if m.role is MembershipRole.MANAGER and m.user_id != membership.user_id
    ]
    why = ""
    if inactive:
        verb = "is" if len(inactive) == 1 else "are"
        why = f" ({_names(inactive)} {verb} deactivated)"
    raise Invalid(
        {
            "members": (
                f"{membership.user.name} is the only manager of {department.name}{why}, so "
                f"you cannot {what}. Add another manager first."
            )
        }
    )


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def change_member_role(actor: User, department: Department, membership_id: int, role: str) -> None:
    membership = membership_of(actor, department, membership_id)
    try:
        wanted = MembershipRole(role)
    except ValueError:
        raise Invalid({"members": "Choose agent or manager."}) from None
    with locked_change(department):
        db.session.refresh(membership)
        if membership.role is wanted:
            return
        _refuse_last_manager(department, membership, "make them an agent")
        before = membership.role.value
        membership.role = wanted
        audit.record(
            actor,
            "member.role",
            membership,
            label=membership.user.name,
            department_id=department.id,
            changes={"role": [before, wanted.value]},
        )


def remove_member(actor: User, department: Department, membership_id: int) -> None:
    membership = membership_of(actor, department, membership_id)
    with locked_change(department):
        db.session.refresh(membership)
        _refuse_last_manager(department, membership, "remove them")
        audit.record(
            actor,
            "member.remove",
            membership,
            label=membership.user.name,
            department_id=department.id,
            changes={"role": [membership.role.value, None]},
        )
        db.session.delete(membership)
