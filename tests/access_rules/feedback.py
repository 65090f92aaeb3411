"""Feedback and insights (issue 5): ratings are the requester's; the e-mailed link is its
own proof (no sign-in); check-in answers come from the invited, their words are for the
department; suggestions are anyone's, answered by the department; scorecards are public,
exports are for the department's managers."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.feedback import checkins, suggestion_pages
from portal.models import OutboxMessage, RequestStatus
from portal.service_requests.services import lifecycle
from tests.access_rules import ROLES, Rule, World, everyone, only

IT_PEOPLE = {"agent", "manager", "admin"}
IT_MANAGERS = {"manager", "admin"}


def setup(world: World) -> None:
    lifecycle.change_status(world.request, world.users["agent"], RequestStatus.RESOLVED)
    body = db.session.scalar(
        select(OutboxMessage.body).where(OutboxMessage.topic == "feedback.rating_asked")
    )
    world.rating_token = re.search(r"/rate/([^?\s]+)\?", body).group(1)
    world.check_in = checkins.open_check_in(
        world.users["manager"], world.it, "Q4", date.today() + timedelta(days=10), []
    )
    world.suggestion = suggestion_pages.post(world.users["employee"], world.it, "Bags", "")


def dept(w: World) -> dict:
    return {"slug": w.it.slug}


def suggestion(w: World) -> dict:
    return {"slug": w.it.slug, "suggestion_id": w.suggestion.id}


def all_roles(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


RULES = [
    Rule("feedback.rate", "GET", url=lambda w: {"key": w.request.key},
         expect=only({"employee"}, 200)),
    Rule("feedback.rate", "POST", url=lambda w: {"key": w.request.key},
         data=lambda w: {"score": "4"}, expect=only({"employee"}, 303)),
    Rule("feedback.rate_by_link", "GET", url=lambda w: {"token": w.rating_token},
         query="score=4", expect=all_roles(200)),
    Rule("feedback.rate_by_link", "POST", url=lambda w: {"token": w.rating_token},
         data=lambda w: {"score": "4"}, expect=all_roles(200),
         note="the token is the proof, whoever holds it"),
    Rule("feedback.check_in", "GET", url=dept, expect=everyone()),
    Rule("feedback.check_in_answer", "POST", url=dept, data=lambda w: {"score": "4"},
         expect={**everyone(422), "employee": 303}, note="only the invited answer"),
    Rule("feedback.check_in_open", "POST", url=dept,
         data=lambda w: {"period": "Q1", "closes_on": "2099-01-01"},
         expect=only(IT_MANAGERS, 422), note="refused: one is open already"),
    Rule("feedback.check_in_respond", "POST", url=dept,
         data=lambda w: {"heard": "Slow", "will_change": "Faster"},
         expect=only(IT_MANAGERS, 303)),
    Rule("feedback.check_in_answers", "GET",
         url=lambda w: {"slug": w.it.slug, "check_in_id": w.check_in.id},
         expect=only(IT_PEOPLE, 200)),
    Rule("feedback.suggestions", "GET", url=dept, expect=everyone()),
    Rule("feedback.suggestions", "POST", url=dept, data=lambda w: {"title": "More chairs"},
         expect=everyone(303)),
    Rule("feedback.suggestion_vote", "POST", url=suggestion, expect=everyone(303)),
    Rule("feedback.suggestion_status", "POST", url=suggestion,
         data=lambda w: {"status": "planned", "reply": "In March"},
         expect=only(IT_PEOPLE, 303)),
    Rule("insights.department_scorecard", "GET", url=dept, expect=everyone()),
    Rule("insights.portal_overview", "GET", expect=everyone()),
    Rule("insights.scorecard_csv", "GET", url=dept, expect=only(IT_MANAGERS, 200)),
    Rule("insights.requests_csv", "GET", url=dept, expect=only(IT_MANAGERS, 200)),
]
