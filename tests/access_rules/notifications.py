"""In-app notifications: each person reads and marks only their own (404 for another's);
e-mail choices: each person their own page; the one-click unsubscribe link needs no sign-in."""

from __future__ import annotations

from portal.extensions import db
from portal.notify.outbox import notify_user
from portal.notify.unsubscribe import token_for_person
from tests.access_rules import ROLES, Rule, World, everyone, only


def setup(world: World) -> None:
    world.notice = notify_user(world.users["employee"], "wall.recognised", "Ivan thanked you", "/")
    db.session.commit()
    world.unsubscribe_token = token_for_person(world.users["employee"].id, "wall_thanks")


RULES = [
    Rule("notifications.index", "GET", expect=everyone(guest=200)),
    Rule(
        "notifications.read",
        "POST",
        url=lambda w: {"notification_id": w.notice.id},
        expect=only({"employee"}, 303),
    ),
    Rule("notifications.read_all", "POST", expect=everyone(303, guest=303)),
    Rule("notifications.preferences_page", "GET", expect=everyone()),
    Rule(
        "notifications.preferences_page",
        "POST",
        data=lambda w: {"kinds": ["request_replies"]},
        expect=everyone(303),
        note="each person their own choices",
    ),
    Rule(
        "notifications.unsubscribe_link",
        "GET",
        url=lambda w: {"token": w.unsubscribe_token},
        expect=dict.fromkeys(ROLES, 200),
    ),
    Rule(
        "notifications.unsubscribe_link",
        "POST",
        url=lambda w: {"token": w.unsubscribe_token},
        data=lambda w: {"List-Unsubscribe": "One-Click"},
        expect=dict.fromkeys(ROLES, 200),
        note="the signed token is the proof, whoever holds it (RFC 8058 one-click)",
    ),
]
