"""Which organisation a person represents, for the "Partner: <Organisation>" tag beside what
guests write (requests, replies, the wall)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from portal.extensions import db
from portal.models import Guest


def organisations_of(user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: organisation} for the guests among `user_ids` (employees are left out)."""
    ids = sorted({i for i in user_ids if i})
    if not ids:
        return {}
    found = db.session.execute(
        select(Guest.user_id, Guest.organisation).where(Guest.user_id.in_(ids))
    )
    return {user_id: organisation for user_id, organisation in found}
