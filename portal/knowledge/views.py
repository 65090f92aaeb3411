"""Help articles: thin views over portal/knowledge/services. Readers at /d/<dept>/help;
writers (the department's members, admins) at /manage/<dept>/articles. Every form posts
and redirects (303) without JavaScript; with htmx the same template answers with the named
block that changed. Anyone who may not write gets 404 on every writer's page and POST."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from portal.core.errors import NotFound, Refused
from portal.core.ids import parse_id
from portal.core.text import clean_text, without_control_characters
from portal.directory import fragments
from portal.htmx import is_htmx, render
from portal.knowledge import bp, forms, markup
from portal.knowledge.services import (
    access,
    deflection,
    helpfulness,
    reading,
    revisions,
    suggestions,
    writing,
)
from portal.models import ArticleAudience, ArticleStatus
from portal.service_requests.services import promises

INDEX = "knowledge/help_index.html"
ARTICLE = "knowledge/article.html"
LIST = "knowledge/manage_list.html"
EDIT = "knowledge/edit.html"
HISTORY = "knowledge/revisions.html"
DIFF = "knowledge/diff.html"

# Reading -------------------------------------------------------------------------------


@bp.get("/d/<dept>/help")
def help_index(dept: str):
    return render(INDEX, page=reading.help_index(current_user, dept))


@bp.get("/d/<dept>/help/<slug>")
def article(dept: str, slug: str):
    found = reading.reading(current_user, dept, slug)
    if isinstance(found, reading.Moved):
        return redirect(url_for(".article", dept=found.department_slug, slug=found.slug), 301)
    title, main_html, target = _shown(found)
    return render(ARTICLE, title=title, main_html=fragments.as_markup(main_html),
                  target=target, vote=found.vote, form=None)


def _shown(found: reading.Reading) -> tuple[str, str, reading.VoteTarget]:
    """The article as every reader like this one sees it, rendered, kept as the directory's
    fragments are (a few seconds; forgotten at once by an article's change)."""

    def build():
        page = reading.shown(found.article_id, found.writes)
        return page.article.title, render_block(ARTICLE, "article_main", page=page), page.target

    return fragments.cached(f"article:{found.article_id}:{int(found.writes)}", build)


@bp.post("/d/<dept>/help/<slug>/vote")
def vote(dept: str, slug: str):
    form = forms.VoteForm()
    problem = None
    if form.validate():
        try:
            helpfulness.vote(current_user, dept, slug, form.change())
        except Refused as exc:
            form.missing.errors = [exc.message]
            problem = exc.message
        else:
            if not is_htmx():
                flash("Thank you: your answer is saved.")
                return redirect(url_for(".article", dept=dept, slug=slug) + "#helpful", 303)
    found = reading.reading(current_user, dept, slug)
    if isinstance(found, reading.Moved):
        return redirect(url_for(".article", dept=found.department_slug, slug=found.slug), 303)
    title, main_html, target = _shown(found)
    status = 200 if not (problem or form.errors) else 422
    return render(ARTICLE, "vote_section", status=status, title=title,
                  main_html=fragments.as_markup(main_html), target=target, vote=found.vote,
                  form=form, thanked=True)


# Writing -------------------------------------------------------------------------------


@bp.get("/manage/<dept>/articles")
def manage_list(dept: str):
    department = access.writable_department(current_user, dept)
    return render(
        LIST,
        department=department,
        articles=access.department_articles(department),
        stale=reading.is_stale,
    )


def _form(department, formdata=..., **kw) -> forms.ArticleForm:
    options = {"services": department.services, "people": access.writers(department)}
    if formdata is ...:
        return forms.ArticleForm(**options, **kw)
    return forms.ArticleForm(formdata=formdata, **options, **kw)


def _edit_page(department, form, article=None, status=200, **extra):
    return render(
        EDIT,
        "editor",
        status=status,
        department=department,
        form=form,
        article=article,
        **extra,
    )


def _show_refusal(form, exc: Refused) -> None:
    target = getattr(form, exc.field, None) if exc.field else None
    if target is not None:
        target.errors = [*target.errors, exc.message]


def _preview_requested() -> bool:
    return request.form.get("action") == "preview"


@bp.route("/manage/<dept>/articles/new", methods=["GET", "POST"])
def new_article(dept: str):
    department = access.writable_department(current_user, dept)
    if request.method == "GET":
        form = _form(
            department,
            None,
            data={
                "owner_id": str(current_user.id),
                "audience": ArticleAudience.EVERYONE.value,
                # From "What people looked for": the search's words as a first title.
                "title": clean_text(
                    without_control_characters(request.args.get("title", "")), multiline=False
                )[:200],
            },
        )
        return _edit_page(department, form)
    form = _form(department)
    if not form.validate():
        return _edit_page(department, form, status=422)
    if _preview_requested():
        return _edit_page(department, form, preview=markup.render(form.body.data or ""))
    try:
        created = writing.create_article(current_user, department, form.change())
    except Refused as exc:
        _show_refusal(form, exc)
        return _edit_page(department, form, status=422, problem=exc.message)
    flash(f"“{created.title}” saved as a draft.")
    return redirect(url_for(".edit_article", dept=dept, article_id=created.id), 303)


def _article_data(article) -> dict:
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "keywords": article.keywords,
        "audience": article.audience.value,
        "owner_id": str(article.owner_id or ""),
        "review_by": article.review_by,
        "service_ids": [str(s.id) for s in article.services],
        "base_version": str(article.version),
    }


@bp.route("/manage/<dept>/articles/<int:article_id>", methods=["GET", "POST"])
def edit_article(dept: str, article_id: int):
    department = access.writable_department(current_user, dept)
    article = access.written_article(current_user, department, article_id)
    if request.method == "GET":
        form = _form(department, None, data=_article_data(article))
        return _edit_page(department, form, article, preview=markup.render(article.body))
    form = _form(department)
    if not form.validate():
        return _edit_page(department, form, article, status=422)
    if _preview_requested():
        return _edit_page(department, form, article, preview=markup.render(form.body.data or ""))
    try:
        writing.update_article(current_user, article, form.change())
    except writing.StaleEdit as exc:
        started_from = parse_id(form.base_version.data)
        form.base_version.data = str(exc.article.version)  # a second save is deliberate
        return _edit_page(
            department,
            form,
            exc.article,
            status=409,
            stale=exc.article.version,
            stale_from=started_from,
        )
    except Refused as exc:
        _show_refusal(form, exc)
        return _edit_page(department, form, article, status=422, problem=exc.message)
    flash(f"“{article.title}” saved (revision {article.version}).")
    return redirect(url_for(".edit_article", dept=dept, article_id=article.id), 303)


@bp.post("/manage/<dept>/articles/preview")
def preview(dept: str):
    """The live preview's fragment (always a fragment: without JavaScript the editor's own
    "Preview" button posts the whole form instead)."""
    department = access.writable_department(current_user, dept)
    form = forms.PreviewForm()
    ok = form.validate()
    body = render_block(
        EDIT,
        "preview_panel",
        department=department,
        preview=markup.render(form.body.data or "") if ok else None,
        preview_problem=None if ok else next(iter(form.errors.values()))[0],
    )
    response = make_response(body, 200 if ok else 422)
    response.vary.add("HX-Request")
    return response


def _set_status(dept: str, article_id: int, status: ArticleStatus, words: str):
    department = access.writable_department(current_user, dept)
    article = access.written_article(current_user, department, article_id)
    if forms.ActionForm().validate():
        writing.set_status(current_user, article, status)
        flash(f"“{article.title}” {words}.")
    return redirect(url_for(".edit_article", dept=dept, article_id=article.id), 303)


@bp.post("/manage/<dept>/articles/<int:article_id>/publish")
def publish(dept: str, article_id: int):
    return _set_status(dept, article_id, ArticleStatus.PUBLISHED, "is published")


@bp.post("/manage/<dept>/articles/<int:article_id>/archive")
def archive(dept: str, article_id: int):
    return _set_status(dept, article_id, ArticleStatus.ARCHIVED, "is archived")


@bp.get("/manage/<dept>/articles/<int:article_id>/revisions")
def history(dept: str, article_id: int):
    department = access.writable_department(current_user, dept)
    article = access.written_article(current_user, department, article_id)
    return render(
        HISTORY, department=department, article=article, revisions=revisions.history(article)
    )


@bp.get("/manage/<dept>/articles/<int:article_id>/diff")
def diff(dept: str, article_id: int):
    department = access.writable_department(current_user, dept)
    article = access.written_article(current_user, department, article_id)
    compared = revisions.compare(
        article, parse_id(request.args.get("from")), parse_id(request.args.get("to"))
    )
    return render(DIFF, department=department, article=article, diff=compared)


@bp.post("/manage/<dept>/articles/<int:article_id>/revisions/<int:number>/restore")
def restore(dept: str, article_id: int, number: int):
    department = access.writable_department(current_user, dept)
    article = access.written_article(current_user, department, article_id)
    if forms.ActionForm().validate():
        restored = revisions.restore(current_user, article, number)
        flash(f"Revision {number} restored as revision {restored.number}.")
    return redirect(url_for(".edit_article", dept=dept, article_id=article.id), 303)


# Deflection: articles suggested on a request form --------------------------------------


def _requestable(dept: str, service_slug: str):
    service = promises.requestable_service(dept, service_slug)
    if service is None:
        raise NotFound
    return service


@bp.post("/d/<dept>/<service_slug>/request/suggestions")
def request_suggestions(dept: str, service_slug: str):
    """The request form's live suggestions (a fragment; without JavaScript they come with
    the form's first validation instead)."""
    service = _requestable(dept, service_slug)
    if not is_htmx():
        return redirect(url_for("service_requests.new", slug=dept, service_slug=service_slug), 303)
    items = suggestions.suggest(
        current_user, service, request.form.get("title", ""), request.form.get("description", "")
    )
    response = make_response(
        render_template(
            "knowledge/suggestions.html",
            items=items,
            department=service.department,
            service=service,
            token=deflection.token_for(current_user, service, request.form.get("form_token")),
        )
    )
    response.vary.add("HX-Request")
    return response


@bp.post("/d/<dept>/<service_slug>/request/answered")
def request_answered(dept: str, service_slug: str):
    """The form closes without a request ("This answered my question")."""
    service = _requestable(dept, service_slug)
    closed = deflection.answered(
        current_user, service, parse_id(request.form.get("article")), request.form.get("token")
    )
    if is_htmx():
        response = make_response(render_template("knowledge/answered.html", closed=closed))
        response.vary.add("HX-Request")
        return response
    flash(f"Glad that helped: no request was sent to {service.department.name}.")
    return redirect(url_for(".article", dept=dept, slug=closed.article.slug), 303)
