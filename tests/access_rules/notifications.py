"""In-app notifications: each person reads and marks only their own (404 for another's)."""

from __future__ import annotations

from portal.extensions import db
from portal.notify.outbox import notify_user
from tests.access_rules import Rule, World, everyone, only


def setup(world: World) -> None:
    world.notice = notify_user(world.users["employee"], "wall.recognised", "Ivan thanked you", "/")
    db.session.commit()


RULES = [
    Rule("notifications.index", "GET", expect=everyone()),
    Rule(
        "notifications.read",
        "POST",
        url=lambda w: {"notification_id": w.notice.id},
        expect=only({"employee"}, 303),
    ),
    Rule("notifications.read_all", "POST", expect=everyone(303)),
]
