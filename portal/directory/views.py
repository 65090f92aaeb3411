from flask import abort, make_response, request
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import text

from portal.core.guest_access import guests_allowed, guests_go_to
from portal.directory import bp, fragments, picker, search, services
from portal.directory.forms import PickerAsk
from portal.directory.home import department_index, home_directory
from portal.extensions import db
from portal.htmx import is_htmx, render
from portal.layout import reader_department_ids


@bp.get("/")
@guests_go_to("guests.home")
def home():
    html = fragments.cached(
        "home",
        lambda: render_block(
            "directory/home.html",
            "home_directory",
            directory=home_directory(),
            popular=services.popular_services(),
        ),
    )
    return render("directory/home.html", directory_html=fragments.as_markup(html))


@bp.get("/departments")
@guests_go_to("guests.home")
def departments():
    """Every department that offers services, A to Z (linked from the home page)."""
    html = fragments.cached(
        "departments",
        lambda: render_block(
            "directory/departments.html", "department_index", index=department_index()
        ),
    )
    return render("directory/departments.html", index_html=fragments.as_markup(html))


SEARCH_BOXES = frozenset({"header-search", "home-search", "page-search"})


@bp.get("/search")
def search_page():
    args = request.args
    query = args.get("q", "")
    if is_htmx():
        box = args.get("box")
        box = box if box in SEARCH_BOXES else "header-search"
        return _search_suggestions(query, box)
    results = search.search_directory(query, limit=10, viewer=current_user)
    return render("directory/search.html", results=results, query=results.query)


def _search_suggestions(query: str, box: str):
    """Type-ahead suggestions: the same for everyone who may find the same articles, so
    cached briefly per query and audience; a query that finds nothing is still counted
    every time it is asked."""
    cleaned = search.clean_query(query)
    member_of = reader_department_ids()  # read with the person: no statement of its own
    viewer = current_user._get_current_object()
    audience = search.audience_key(viewer, member_of)

    def build():
        results = search.search_directory(
            query,
            record=False,
            viewer=viewer,
            overall=search.SUGGESTIONS,
            member_of=member_of,
        )
        html = render_block(
            "directory/search.html",
            "search_suggestions",
            results=results,
            query=results.query,
            box=box,
        )
        return html, bool(results.terms) and results.is_empty

    html, missed = fragments.cached(f"suggest:{box}:{audience}:{cleaned.lower()}", build)
    if missed:
        search.record_miss(cleaned)
    response = make_response(html)
    response.vary.add("HX-Request")
    return response


@bp.get("/pick")
def pick():
    """A people-and-teams picker's type-ahead: its popup, for htmx only (a page has none)."""
    if not is_htmx():
        abort(404)
    ask = PickerAsk.from_args(request.args)
    picks = picker.type_ahead(
        current_user,
        ask.typed,
        teams=ask.teams,
        leave_me_out=ask.leave_me_out,
        within=ask.within,
        partners=ask.partners,
    )
    return render(
        "directory/picker.html", "picker_popup", box=ask.box, picks=picks, typed=ask.typed
    )


@bp.get("/d/<slug>")
def department(slug: str):
    def build():
        page = services.department_page(slug)
        if page is None:
            return None
        html = render_block("directory/department.html", "department_main", page=page)
        return page.department.name, html

    cached = fragments.cached(f"department:{slug}", build)
    if cached is None:
        abort(404)  # not core NotFound: the 404 handler redirects a department's old slug
    title, html = cached
    return render("directory/department.html", title=title, main_html=fragments.as_markup(html))


@bp.get("/d/<slug>/<service_slug>")
def service(slug: str, service_slug: str):
    page = services.service_page(slug, service_slug)
    if page is None:
        abort(404)  # not core NotFound: the 404 handler redirects a department's old slug
    return render("directory/service.html", page=page)


@bp.get("/healthz")
@guests_allowed
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
