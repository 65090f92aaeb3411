from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models._time import utcnow

if TYPE_CHECKING:
    from portal.models.directory import Department


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class MembershipRole(enum.StrEnum):
    AGENT = "agent"
    MANAGER = "manager"


# A service account's e-mail address (portal/admin/service_accounts.py) is in this domain
# (RFC 2606: never a real one); e-mail to it is skipped at delivery (notify/mail_choices.py).
SERVICE_EMAIL_DOMAIN = "service-accounts.invalid"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # A service account (portal/admin/service_accounts.py): never signs in, never gets
    # e-mail, is nobody's colleague in search; only its API tokens act as it.
    is_service: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A partner or vendor contact (portal/guests): sees only what core.policy lets guests see.
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The session cookie and the remember cookie carry this token, not the id:
    # rotating it (logout, password change) ends every session copied before.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(db.Model):
    """A person's role in a department they serve in (agent or manager)."""

    __tablename__ = "department_membership"
    __table_args__ = (UniqueConstraint("user_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MembershipRole] = mapped_column(
        Enum(
            MembershipRole,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )

    user: Mapped[User] = relationship(back_populates="memberships")
    department: Mapped[Department] = relationship(back_populates="memberships")
