"""The recognition wall: every signed-in person reads the wall and posts; a department-only
post is seen by its audience (the recipients' departments, the people in it) and portal
admins, 404 for everyone else; authors edit and delete their own; moderation and company
values are for portal admins (404 for the rest)."""

from __future__ import annotations

from portal.extensions import db
from portal.models import CompanyValue
from portal.recognition.services import posting
from tests.access_rules import Rule, World, everyone, only

HX = {"HX-Request": "true"}
AUDIENCE = {"employee", "agent", "manager", "admin"}  # author, recipient, IT, admin
ADMIN = {"admin"}


def setup(world: World) -> None:
    world.value = CompanyValue(name="Customer first", colour="blue")
    db.session.add(world.value)
    db.session.commit()
    erin = world.users["employee"]
    world.post = posting.post_recognition(
        erin, recipients="@ivan", value_id=world.value.id, message="Thanks **Ivan**"
    )
    world.private = posting.post_recognition(
        erin,
        recipients="@ivan",
        value_id=world.value.id,
        message="Just for IT",
        visibility="department",
    )
    # A thanks to the partner (issue 18): hers to open, through her own page.
    world.partner_post = posting.post_recognition(
        erin,
        recipients="",
        chosen=[f"person-{world.users['guest'].id}"],
        value_id=world.value.id,
        message="Thanks for the dock",
    )


def post(w: World) -> dict:
    return {"post_id": w.post.id}


def private(w: World) -> dict:
    return {"post_id": w.private.id}


def partner_post(w: World) -> dict:
    return {"post_id": w.partner_post.id}


def value(w: World) -> dict:
    return {"value_id": w.value.id}


RULES = [
    Rule("recognition.wall", "GET", expect=everyone()),
    Rule(
        "recognition.wall",
        "GET",
        query="department=it&value=1&mentions=me&before=999",
        headers=HX,
        expect=everyone(anonymous=204),
        note="a filtered next page",
    ),
    Rule(
        "recognition.post",
        "POST",
        data=lambda w: {"recipients": "HR", "value": str(w.value.id), "message": "Thanks!"},
        expect=everyone(303),
    ),
    Rule(
        "recognition.post",
        "POST",
        data=lambda w: {"recipients": ""},
        expect=everyone(422),
        note="an empty form is refused with its messages",
    ),
    Rule(
        "recognition.reaction_counts",
        "GET",
        query="ids=1,2",
        headers=HX,
        expect=everyone(200, anonymous=204),
    ),
    Rule("recognition.post_detail", "GET", url=post, expect=everyone(),
         note="a guest: 404 for a post not addressed to her organisation"),
    Rule("recognition.post_detail", "GET", url=partner_post, expect=everyone(guest=302),
         note="a thanks to the partner: she is sent to her page, at the post"),
    Rule("recognition.partner_thanks", "GET", expect=only({"guest"}, 200),
         note="a partner's thanks; employees have the wall"),
    Rule(
        "recognition.post_detail",
        "GET",
        url=private,
        expect=only(AUDIENCE, 200),
        note="department-only",
    ),
    Rule(
        "recognition.react",
        "POST",
        url=private,
        data=lambda w: {"kind": "clap"},
        expect=only(AUDIENCE, 303),
    ),
    Rule(
        "recognition.add_addon",
        "POST",
        url=private,
        data=lambda w: {"message": "Yes!"},
        expect=only(AUDIENCE, 303),
    ),
    Rule(
        "recognition.report",
        "POST",
        url=private,
        data=lambda w: {"reason": "Off-topic"},
        expect=only(AUDIENCE, 303),
    ),
    Rule("recognition.edit", "GET", url=post, expect=only({"employee"}, 200)),
    Rule(
        "recognition.edit",
        "POST",
        url=post,
        data=lambda w: {"value": str(w.value.id), "message": "Thanks again"},
        expect=only({"employee"}, 303),
    ),
    Rule("recognition.delete", "POST", url=post, expect=only({"employee"}, 303)),
    Rule(
        "recognition.profile_visibility",
        "POST",
        url=post,
        data=lambda w: {"hidden": "1"},
        expect=only({"agent"}, 303),
    ),
    Rule(
        "recognition.department_thanks", "GET", url=lambda w: {"slug": w.it.slug}, expect=everyone()
    ),
    Rule("recognition.reports", "GET", expect=only(ADMIN, 200)),
    Rule(
        "recognition.moderate",
        "POST",
        url=post,
        data=lambda w: {"action": "hide", "reason": "Off-topic"},
        expect=only(ADMIN, 303),
    ),
    Rule("recognition.values", "GET", expect=only(ADMIN, 200)),
    Rule(
        "recognition.values",
        "POST",
        data=lambda w: {"name": "Own it", "colour": "teal"},
        expect=only(ADMIN, 303),
    ),
    Rule("recognition.edit_value", "GET", url=value, expect=only(ADMIN, 200)),
    Rule(
        "recognition.edit_value",
        "POST",
        url=value,
        data=lambda w: {"name": "Customers first", "colour": "blue"},
        expect=only(ADMIN, 303),
    ),
    Rule(
        "recognition.retire_value",
        "POST",
        url=value,
        data=lambda w: {"retired": "1"},
        expect=only(ADMIN, 303),
    ),
]
