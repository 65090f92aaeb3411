""""My requests": what a person asked for or had filed for them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, or_, select, union
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    ServiceRequest,
    User,
)


@dataclass(frozen=True)
class MinePage:
    rows: list[ServiceRequest]
    next_cursor: int | None


def my_requests(user: User, before_id: int | None = None, limit: int = 50) -> MinePage:
    """Requests the user made or that were filed for them, newest first.

    Read as the newest ids from each of two indexes, (requester_id, id) and
    (filed_by_id, id), merged: one OR over both columns would make the database walk
    every request from the newest down looking for the user's."""

    def newest(column):
        ids = select(ServiceRequest.id).where(column == user.id)
        if before_id:
            ids = ids.where(ServiceRequest.id < before_id)
        return select(ids.order_by(ServiceRequest.id.desc()).limit(limit + 1).subquery().c.id)

    ids = union(newest(ServiceRequest.requester_id), newest(ServiceRequest.filed_by_id))
    rows = list(
        db.session.scalars(
            select(ServiceRequest)
            .where(ServiceRequest.id.in_(ids))
            .order_by(ServiceRequest.id.desc())
            .limit(limit + 1)
            .options(selectinload(ServiceRequest.department), selectinload(ServiceRequest.assignee))
        )
    )
    return MinePage(rows[:limit], rows[limit - 1].id if len(rows) > limit else None)


def has_requests(user: User) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    or_(
                        ServiceRequest.requester_id == user.id,
                        ServiceRequest.filed_by_id == user.id,
                    )
                )
            )
        )
    )
