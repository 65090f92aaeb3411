"""Personal access tokens for the REST API (/api/v1): stored as a sha256 of the whole token,
found by the public id it starts with; shown to their owner once, when made."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._time import utcnow
from portal.models.accounts import User
from portal.models.directory import _str_enum


class TokenScope(enum.StrEnum):
    READ = "read"
    READ_WRITE = "read_write"

    @property
    def label(self) -> str:
        return "Read only" if self is TokenScope.READ else "Read and write"


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    # The part of the token after "inw_" and before the next "_": how a token is found.
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the whole token
    scope: Mapped[TokenScope] = mapped_column(_str_enum(TokenScope))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
