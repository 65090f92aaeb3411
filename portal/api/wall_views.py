"""The REST API's recognition wall and scorecards (/api/v1): the wall's own services and
visibility rules (a post the token's person may not see is 404, as on the wall), and the
scorecard the department's public page draws."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_login import current_user

from portal.api import bp, presenting
from portal.api.wall_schemas import (
    AddOnIn,
    AddOnOut,
    ReactionList,
    RecognitionIn,
    RecognitionOut,
    RecognitionPage,
    ScorecardOut,
    ScorecardQuery,
    ValueList,
    WallQueryIn,
)
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.problems import field_error, problem
from portal.directory import services as directory_services
from portal.insights import scorecard as scorecards
from portal.models import ReactionKind
from portal.recognition.services import feed, posting, reactions, values, visibility

API_FIELDS = {"recipients": "people", "chosen": "people"}  # the wall's field → the API's


def _refused(error: Refused, detail: str = "The thanks needs another look.") -> tuple:
    found = getattr(error, "problems", None) or [error]
    errors = [
        field_error(API_FIELDS.get(one.field or "", one.field or "message"), one.message)
        for one in found
    ]
    return problem(422, detail, errors=errors)


@bp.get("/values")
@bp.output(ValueList)
@bp.doc(summary="The company values a thanks can be for")
def company_values():
    return {
        "values": [
            {"id": v.id, "name": v.name, "description": v.description or ""}
            for v in values.active_values()
        ]
    }


@bp.get("/recognitions")
@bp.input(WallQueryIn, location="query", arg_name="query")
@bp.output(RecognitionPage)
@bp.doc(
    summary="The recognition wall, newest first, with the wall's filters",
    description="Pass `next_cursor` back as `cursor` for the next page. A department or "
    "value that does not exist filters nothing out, as on the wall.",
)
def recognitions(query: dict):
    wall_filter = feed.wall_filter(
        department=feed.department_ref(query["department"]) if "department" in query else None,
        value_id=query.get("value"),
        person_id=query.get("person"),
        mentions_me=query.get("mentions") == "me",
    )
    page = feed.feed_page(current_user, wall_filter, before=query.get("cursor"))
    return {
        "recognitions": [presenting.recognition(card) for card in page.cards],
        "next_cursor": page.next_cursor,
    }


@bp.get("/recognitions/<int:post_id>")
@bp.output(RecognitionOut)
@bp.doc(summary="One thanks", description="404 for one you may not see, as on the wall.")
def recognition(post_id: int):
    post = visibility.get_visible(current_user, post_id)
    return presenting.recognition(feed.card(current_user, post))


def _team_tokens(slugs: list[str]) -> list[str]:
    tokens = []
    for slug in slugs:
        found = feed.department_ref(slug.lower())
        if found is None:
            raise Refused(f"No team has the address “{slug}”.", "teams")
        tokens.append(f"department-{found.id}")
    return tokens


@bp.post("/recognitions")
@bp.input(RecognitionIn, arg_name="body")
@bp.output(RecognitionOut, status_code=201)
@bp.doc(summary="Thank colleagues or whole teams on the wall")
def post_recognition(body: dict):
    try:
        post = posting.post_recognition(
            current_user,
            recipients=", ".join(body["people"]),
            chosen=_team_tokens(body["teams"]),
            value_id=body["value"],
            message=body["message"],
            visibility=body["visibility"],
            request_key=body.get("request"),
        )
    except Refused as error:
        return _refused(error)
    location = {"Location": url_for("api.recognition", post_id=post.id)}
    return presenting.recognition(feed.card(current_user, post)), 201, location


def _set_reaction(post_id: int, kind: str, on: bool) -> dict:
    if kind not in {k.value for k in ReactionKind}:
        raise NotFound(kind)
    post = visibility.get_visible(current_user, post_id)
    mine = {k.value for k, _count, is_mine in feed.card(current_user, post).reactions if is_mine}
    if (kind in mine) != on:
        reactions.toggle_reaction(current_user, post, kind)
    return {"reactions": presenting.reactions(feed.card(current_user, post).reactions)}


class Reaction(MethodView):
    """One rule for both methods (two rules on one path with a bounded <int:> answer 405
    instead of 404 for an id past the column)."""

    @bp.output(ReactionList)
    @bp.doc(summary="Add your reaction (again is fine: it stays on)")
    def put(self, post_id: int, kind: str):
        return _set_reaction(post_id, kind, True)

    @bp.output(ReactionList)
    @bp.doc(summary="Take your reaction back (again is fine: it stays off)")
    def delete(self, post_id: int, kind: str):
        return _set_reaction(post_id, kind, False)


bp.add_url_rule(
    "/recognitions/<int:post_id>/reactions/<kind>", view_func=Reaction.as_view("reaction")
)


@bp.post("/recognitions/<int:post_id>/addons")
@bp.input(AddOnIn, arg_name="body")
@bp.output(AddOnOut, status_code=201)
@bp.doc(summary="Join in: add your own words to a thanks")
def add_addon(post_id: int, body: dict):
    post = visibility.get_visible(current_user, post_id)
    try:
        addon = reactions.add_addon(current_user, post, body["message"])
    except Refused as error:
        return _refused(error, "The words need another look.")
    return {"recognition": post.id, "message": addon.message,
            "created_at": clock.aware(addon.created_at)}, 201


@bp.get("/departments/<slug>/scorecard")
@bp.input(ScorecardQuery, location="query", arg_name="query")
@bp.output(ScorecardOut)
@bp.doc(
    summary="How a department keeps its promises (its public scorecard)",
    description="Figures in business minutes of the department's own hours, from the last "
    "`flask insights refresh`; a figure below the minimum sample is null.",
)
def department_scorecard(slug: str, query: dict):
    department = directory_services.get_department(slug)
    if department is None:
        raise NotFound(slug)
    card = scorecards.scorecard(department)
    return presenting.scorecard(card, card.window(query["days"]))
