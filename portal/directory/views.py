from flask import abort, request
from sqlalchemy import text

from portal.directory import bp, search, services
from portal.extensions import db
from portal.htmx import is_htmx, render


@bp.get("/")
def home():
    return render(
        "directory/home.html",
        cards=services.department_cards(),
        popular=services.popular_services(),
    )


SEARCH_BOXES = frozenset({"header-search", "home-search", "page-search"})


@bp.get("/search")
def search_page():
    query = request.args.get("q", "")
    results = search.search_directory(query)
    if is_htmx():
        box = request.args.get("box")
        box = box if box in SEARCH_BOXES else "header-search"
        return render(
            "directory/search.html", "search_suggestions", results=results, query=query, box=box
        )
    return render("directory/search.html", results=results, query=results.query)


@bp.get("/d/<slug>")
def department(slug: str):
    page = services.department_page(slug)
    if page is None:
        abort(404)
    return render("directory/department.html", page=page)


@bp.get("/d/<slug>/<service_slug>")
def service(slug: str, service_slug: str):
    page = services.service_page(slug, service_slug)
    if page is None:
        abort(404)
    return render("directory/service.html", page=page)


@bp.get("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
