"""Help articles (issue 14): everyone signed in reads published ones at /d/<dept>/help;
the department's members (agents and managers) and portal admins write them at
/manage/<dept>/articles. Everyone else gets 404 for every writer's page and POST."""

from __future__ import annotations

from portal.knowledge.services import writing
from portal.models import ArticleStatus
from tests.access_rules import Rule, World, everyone, only

WRITERS = {"agent", "manager", "admin"}


def setup(world: World) -> None:
    iris = world.users["manager"]
    article = writing.create_article(
        iris,
        world.it,
        writing.ArticleChange(
            title="Set up a printer", body="1. Open settings", service_ids=[world.laptop.id]
        ),
    )
    writing.update_article(
        iris,
        article,
        writing.ArticleChange(
            title="Set up a printer", body="1. Open settings\n2. Add the printer",
            service_ids=[world.laptop.id],
        ),
    )
    writing.set_status(iris, article, ArticleStatus.PUBLISHED)
    world.article = article


def dept(w: World) -> dict:
    return {"dept": w.it.slug}


def reading(w: World) -> dict:
    return {"dept": w.it.slug, "slug": w.article.slug}


def article(w: World) -> dict:
    return {"dept": w.it.slug, "article_id": w.article.id}


def article_form(w: World) -> dict:
    return {"title": "Set up a printer at home", "body": "Plug it in.", "audience": "everyone"}


def writers(status: int) -> dict[str, int]:
    return only(WRITERS, status)


RULES = [
    Rule("knowledge.help_index", "GET", url=dept, expect=everyone()),
    Rule("knowledge.article", "GET", url=reading, expect=everyone()),
    Rule("knowledge.vote", "POST", url=reading, data=lambda w: {"helpful": "yes"},
         expect=everyone(303)),
    Rule("knowledge.manage_list", "GET", url=dept, expect=writers(200)),
    Rule("knowledge.new_article", "GET", url=dept, expect=writers(200)),
    Rule("knowledge.new_article", "POST", url=dept, data=article_form, expect=writers(303)),
    Rule("knowledge.edit_article", "GET", url=article, expect=writers(200)),
    Rule("knowledge.edit_article", "POST", url=article, data=article_form,
         expect=writers(303)),
    Rule("knowledge.preview", "POST", url=dept, data=lambda w: {"body": "**Hello**"},
         expect=writers(200)),
    Rule("knowledge.publish", "POST", url=article, expect=writers(303)),
    Rule("knowledge.archive", "POST", url=article, expect=writers(303)),
    Rule("knowledge.history", "GET", url=article, expect=writers(200)),
    Rule("knowledge.diff", "GET", url=article, query="from=1&to=2", expect=writers(200)),
    Rule("knowledge.restore", "POST", url=lambda w: {**article(w), "number": 1},
         expect=writers(303)),
]

# Deflection (issue 14 item 4): suggestions on any request form; "This answered my question"
# only with a token signed for the person's own form (Erin's here: 404 for everyone else).
HX = {"HX-Request": "true"}


def form(w: World) -> dict:
    return {"dept": w.it.slug, "service_slug": w.laptop.slug}


def erins_answer(w: World) -> dict:
    from portal.knowledge.services import deflection

    token = deflection.token_for(w.users["employee"], w.laptop, "erins-form")
    return {"article": str(w.article.id), "token": token}


RULES += [
    Rule("knowledge.request_suggestions", "POST", url=form, headers=HX,
         data=lambda w: {"title": "printer", "form_token": "t"},
         expect=everyone(200, anonymous=204)),
    Rule("knowledge.request_answered", "POST", url=form, headers=HX, data=erins_answer,
         expect=only({"employee"}, 200, anonymous=204)),
]
