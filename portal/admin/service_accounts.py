"""Service accounts for integrations (issue 19): made by portal admins, each with a name, a
department and the role it acts with there (agent or manager), and API tokens.

A service account is a `user_account` row with `is_service` set and one membership: so an
API call with its token acts as it through the same services and `core.policy` as anyone,
and sees only what that role in that department may see. It has no password, cannot hold
a session (`accounts.services.load_user_by_session_token`), is never matched by a sign-in,
gets no e-mail and is left alone by the org import. Its tokens are the personal-token
machinery (`accounts.api_tokens`), made and revoked by an admin (who the audit names).
Switching an account off stops every token of it at once (`find_usable` wants it active).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.accounts import api_tokens
from portal.core import policy
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.models import ApiToken, Department, Membership, MembershipRole, User
from portal.models.accounts import SERVICE_EMAIL_DOMAIN


@dataclass(frozen=True)
class NewServiceAccount:
    name: str
    department_id: int
    role: MembershipRole


def _admin_only(actor: User) -> None:
    if not policy.is_admin(actor):
        raise NotFound


def service_accounts(actor: User) -> list[User]:
    _admin_only(actor)
    return list(
        db.session.scalars(
            select(User)
            .where(User.is_service)
            .options(selectinload(User.memberships).selectinload(Membership.department))
            .order_by(User.name, User.id)
        )
    )


def get(actor: User, account_id: int) -> User:
    _admin_only(actor)
    account = db.session.get(User, account_id)
    if account is None or not account.is_service:
        raise NotFound
    return account


def role_of(account: User) -> Membership | None:
    return account.memberships[0] if account.memberships else None


def create(actor: User, wanted: NewServiceAccount) -> User:
    _admin_only(actor)
    department = db.session.get(Department, wanted.department_id)
    if department is None or not department.active:
        raise Refused("Choose a department from the list.", "department")
    name = " ".join(wanted.name.split())
    if not name:
        raise Refused("Name the service account.", "name")
    with write_transaction(keep_loaded=True):
        account = User(
            email=f"svc-{secrets.token_hex(8)}@{SERVICE_EMAIL_DOMAIN}",
            name=name,
            title="Service account",
            department_id=department.id,
            is_service=True,
        )
        db.session.add(account)
        db.session.flush()
        db.session.add(
            Membership(user_id=account.id, department_id=department.id, role=wanted.role)
        )
        audit.record(
            actor,
            "service_account.create",
            account,
            department_id=department.id,
            changes={"department": [None, department.name], "role": [None, wanted.role.value]},
        )
    return account


def set_active(actor: User, account: User, active: bool) -> bool:
    """Switch the account (and so every token of it) off or on; False when unchanged."""
    _admin_only(actor)
    if account.active == active:
        return False
    with write_transaction(keep_loaded=True):
        account.active = active
        audit.record(
            actor,
            "service_account.reactivate" if active else "service_account.deactivate",
            account,
        )
    return True


def tokens_of(actor: User, account: User) -> list[ApiToken]:
    _admin_only(actor)
    return api_tokens.tokens_of(account)


def issue_token(actor: User, account: User, wanted: api_tokens.NewToken) -> tuple[ApiToken, str]:
    _admin_only(actor)
    if not account.active:
        raise Refused("Switch the service account on before making tokens for it.", "name")
    return api_tokens.issue(account, wanted, actor=actor)


def revoke_token(actor: User, account: User, token_id: int) -> ApiToken:
    _admin_only(actor)
    return api_tokens.revoke(account, token_id, actor=actor)
