"""The value chain's pages: the map (/chain, /chain/<dept>), company goals (/goals,
/goals/<id>). Thin views over portal/chain/services; the declared links are edited on the
manage page (portal/manage/views/chain_links.py)."""

from __future__ import annotations

import hashlib

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from portal.chain import bp, forms
from portal.chain.services import SCOPE, checkups, goals, mapping, neighbours, reaching
from portal.core import caching
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin
from portal.directory import services as directory_services
from portal.htmx import render

WINDOWS = (90, 30)


@bp.app_context_processor
def _chain_globals():
    return {
        "chain_neighbours": neighbours.cached_neighbourhood,
        "your_chains": reaching.cached_chains,
        "chain_checkups": lambda department: checkups.marks(department.id),
    }


def _days() -> int:
    days = request.args.get("days", type=int)
    return days if days in WINDOWS else WINDOWS[0]


def _page_number() -> int:
    raw = request.args.get("page", type=int) or 1
    return min(max(raw, 1), 10_000)


def _map_page(focus=None):
    """The map and one page of its table. Both are the same for everyone (no form, no
    token), so each is rendered once per version of the chain's stamp (read first) and
    kept as HTML: a page served from the cache unpickles no graph."""
    days, page, show_all = _days(), _page_number(), request.args.get("links") == "all"
    marks = {(m.server_id, m.client_id): m for m in checkups.marks()}
    # A check-up's results move with its releases and its closing, not with the chain's
    # stamp: the key carries what the marks say, so a new mark is a new key.
    said = "|".join(f"{k[0]}-{k[1]}:{m.answers}:{m.average:.3f}" for k, m in sorted(marks.items()))
    key = (
        f"{days}:{focus.id if focus else 'all'}:{'every' if show_all else 'busy'}:"
        f"{hashlib.sha256(said.encode()).hexdigest()[:16]}"
    )
    versions = caching.versions((SCOPE,))
    seconds = caching.lifetime("DIRECTORY_CACHE_SECONDS")
    built: dict = {}

    def drawn() -> dict:
        if not built:
            chain_map = mapping.cached_map(
                days, focus.id if focus else None, versions, show_all=show_all
            )
            built.update(
                chain_map=chain_map, nodes={n.id: n for n in chain_map.nodes},
                focus=focus, days=days, checkup_marks=marks, links="all" if show_all else None,
            )
        return built

    svg = caching.cached(
        f"chain-svg:{key}", lambda: render_template("chain/_svg.html", **drawn()),
        seconds=seconds, scopes=(SCOPE,), read_versions=versions,
    )
    table = caching.cached(
        f"chain-table:{key}:{page}",
        lambda: render_template(
            "chain/_table.html", table=mapping.table_page(drawn()["chain_map"], page), **drawn()
        ),
        seconds=seconds, scopes=(SCOPE,), read_versions=versions,
    )
    # The map's "show all / only the busier links" swaps the map and its table (htmx);
    # the table's pager swaps the table alone.
    swapped = "chain_views" if request.headers.get("HX-Target") == "chain-views" else "chain_table"
    return render(
        "chain/map.html",
        swapped,
        svg=_ours(svg),
        table_html=_ours(table),
        focus=focus,
        days=days,
        windows=WINDOWS,
        links="all" if show_all else None,
    )


def _ours(html: str) -> Markup:
    return Markup(html)  # noqa: S704 - our own template's output, escaped when rendered


@bp.get("/chain")
def chain_map():
    return _map_page()


@bp.get("/chain/<slug>")
def department_chain(slug: str):
    department = directory_services.get_department(slug)
    if department is None:
        raise NotFound
    return _map_page(department)


def _goals_page(form: forms.GoalForm, status: int = 200, problem: str | None = None):
    return render(
        "chain/goals.html",
        goals=goals.all_goals(),
        form=form,
        can_publish=is_admin(current_user),
        problem=problem,
        status=status,
    )


@bp.get("/goals")
def goal_list():
    return _goals_page(forms.GoalForm(formdata=None))


@bp.post("/goals")
def publish_goal():
    if not is_admin(current_user):
        raise NotFound
    form = forms.GoalForm()
    if not form.validate():
        return _goals_page(form, 422, "The form expired. Reload the page and try again.")
    try:
        goal = goals.publish_goal(current_user, form.change())
    except Refused as exc:
        form[exc.field or "title"].errors = [exc.message]
        return _goals_page(form, 422)
    return redirect(url_for("chain.goal", goal_id=goal.id), code=303)


@bp.get("/goals/<int:goal_id>")
def goal(goal_id: int):
    found = goals.get_goal(goal_id)
    return render("chain/goal.html", goal=found, contributors=goals.contributors(found))
