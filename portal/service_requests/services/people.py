"""Finding colleagues for the request form's person fields."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    User,
)


def active_colleague(user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def find_colleague_by_email(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email, User.active))


def people_matching(query: str, limit: int = 8) -> list[User]:
    """For the person picker: active colleagues whose name or e-mail starts a word."""
    query = (query or "").replace("\x00", "").strip()[:80]
    if len(query) < 2:
        return []
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active,
                or_(
                    func.lower(User.name).like(f"{escaped}%", escape="\\"),
                    func.lower(User.name).like(f"% {escaped}%", escape="\\"),
                    func.lower(User.email).like(f"{escaped}%", escape="\\"),
                ),
            )
            .order_by(User.name)
            .limit(limit)
            .options(selectinload(User.department))
        )
    )
