"""The value chain (issue 17): the map and the goals are for everyone signed in; links are
declared on the manage page by the department's managers (and admins); goals are published
by portal admins."""

from __future__ import annotations

from datetime import date, timedelta

from portal.chain.services import declaring, goals
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


def dept(w: World) -> dict:
    return {"dept": w.it.slug}


def future() -> str:
    return (date.today() + timedelta(days=30)).isoformat()


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
]
