"""The value chain (issue 17): the map and the goals are for everyone signed in; links are
declared on the manage page by the department's managers (and admins); goals are published
by portal admins."""

from __future__ import annotations

from datetime import date, timedelta

from portal.chain.services import checkups, declaring, goals
from tests.access_rules import Rule, World, everyone, only

MANAGERS = {"manager", "admin"}


def setup(world: World) -> None:
    world.chain_link = declaring.declare_link(
        world.users["manager"],
        world.it,
        declaring.LinkChange("serves", external=False, other_id=world.sales.id, reason="laptops"),
    )
    world.goal = goals.publish_goal(
        world.users["admin"],
        goals.GoalChange(
            title="New hires productive in their first week",
            target="90 % with a laptop on day one",
            owner_email=world.users["manager"].email,
            starts_on="",
            ends_on=(date.today() + timedelta(days=60)).isoformat(),
        ),
    )
    _checkup_setup(world)


def dept(w: World) -> dict:
    return {"dept": w.it.slug}


def future() -> str:
    return (date.today() + timedelta(days=30)).isoformat()


def _checkup_setup(world: World) -> None:
    world.checkup = checkups.open_checkup(
        world.users["manager"], world.it, world.sales.id, "Q4",
        date.today() + timedelta(days=10),
    )


def checkup(w: World) -> dict:
    return {"checkup_id": w.checkup.id}


RULES = [
    Rule("chain.chain_map", "GET", expect=everyone()),
    Rule("chain.department_chain", "GET", url=lambda w: {"slug": w.it.slug}, expect=everyone()),
    Rule("chain.goal_list", "GET", expect=everyone()),
    Rule("chain.goal", "GET", url=lambda w: {"goal_id": w.goal.id}, expect=everyone()),
    Rule("chain.publish_goal", "POST",
         data=lambda w: {"title": "Refunds fast", "target": "2 days", "owner": "iris@example.com",
                         "ends_on": future()},
         expect=only({"admin"}, 303)),
    Rule("manage.add_chain_link", "POST", url=dept,
         data=lambda w: {"direction": "serves", "other": str(w.hr.id), "reason": "hiring kit"},
         expect=only(MANAGERS, 303)),
    Rule("manage.remove_chain_link", "POST",
         url=lambda w: {"dept": w.it.slug, "link_id": w.chain_link.id},
         expect=only(MANAGERS, 303)),
    Rule("manage.add_goal_contribution", "POST", url=dept,
         data=lambda w: {"goal": str(w.goal.id), "service": str(w.laptop.id), "how": "day one"},
         expect=only(MANAGERS, 303)),
    Rule("manage.open_checkup", "POST", url=dept,
         data=lambda w: {"served": str(w.sales.id), "period": "Q1", "closes_on": future()},
         expect=only(MANAGERS, 422), note="refused: the one with Sales is still open"),
    Rule("chain.checkup", "GET", url=checkup,
         expect={**everyone(), "other_manager": 404},
         note="both departments' people, the invited and admins; outsiders 404"),
    Rule("chain.checkup_answer", "POST", url=checkup, data=lambda w: {"score": "4"},
         expect=only({"employee"}, 303), note="only the invited answer"),
    Rule("chain.checkup_respond", "POST", url=checkup, data=lambda w: {"will_change": "Faster"},
         expect=only(MANAGERS, 303)),
]

