"""Wall pages: thin views over services.py. Every form posts and redirects without
JavaScript; with htmx the one template per page answers with the block that changed."""

from __future__ import annotations

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2_fragments.flask import render_block
from markupsafe import Markup, escape

from portal.extensions import cache, db, limiter, reader_cache
from portal.htmx import hx_redirect, is_htmx, render, trigger
from portal.models import CompanyValue, Department, Recognition
from portal.recognition import bp, feed_cache, services
from portal.recognition.forms import (
    AddOnForm,
    EditForm,
    ReactionForm,
    ReasonForm,
    RecognitionForm,
    ValueForm,
)
from portal.recognition.markup import safe_html

WALL = "recognition/wall.html"
POST = "recognition/post.html"
EDIT = "recognition/edit.html"
REPORTS = "recognition/reports.html"
VALUES = "recognition/values.html"


def _visible_or_404(post_id: int) -> Recognition:
    try:
        return services.get_visible(current_user, post_id)
    except services.NotFound:
        abort(404)


def _admin_or_404() -> None:
    if not current_user.is_admin:
        abort(404)


def _cached(key: str, make, factor: int = 6, store=cache):
    """Something cached like the directory (not in tests): the same for every reader, or
    with `store=reader_cache` a reader's own."""
    seconds = current_app.config.get("DIRECTORY_CACHE_SECONDS", 0)
    if not seconds:
        return make()
    found = store.get(key)
    if found is None:
        found = make()
        store.set(key, found, timeout=seconds * factor)
    return found


def _not_thanked_panel() -> Markup:
    """The manager's own "not thanked in a while" panel (never shown to anyone else),
    drawn at most once a minute. Nothing is read or kept for anyone who manages nothing."""
    from portal.models import MembershipRole
    from portal.service_requests.views import header_memberships

    if not any(row.role == MembershipRole.MANAGER for row in header_memberships()):
        return Markup("")

    def draw() -> str:
        found = services.not_thanked_lately(current_user)
        return "" if found is None else render_block(WALL, "not_thanked", not_thanked=found)

    html = _cached(f"wall-not-thanked:{current_user.id}", draw, store=reader_cache)
    return Markup(html)  # noqa: S704 - our render


def _blank_thank_form(values) -> Markup:
    """The thank-you form as a first visit shows it (nothing filled in, no errors): the
    same for everyone but the form token, so it is drawn once per version of the values
    and each reader's own token put in."""
    token = generate_csrf()
    html = feed_cache.cached_for_wall(
        "thank-form",
        lambda: render_block(
            WALL,
            "thank_form",
            form=RecognitionForm(formdata=None, values=values),
            values=values,
            request_for=None,
        ).replace(generate_csrf(), feed_cache.TOKEN_MARK),
    )
    return Markup(html.replace(feed_cache.TOKEN_MARK, token))  # noqa: S704 - our render, a token


def _departments() -> dict[str, services.DepartmentRef]:
    """Every active department by slug, in name order, for the filter (kept like the
    directory: a rename shows within a minute)."""
    from sqlalchemy import select

    return _cached(
        "wall-departments",
        lambda: {
            row.slug: services.DepartmentRef(*row)
            for row in db.session.execute(
                select(Department.id, Department.slug, Department.name)
                .where(Department.active)
                .order_by(Department.name)
            )
        },
    )


def _parse_filter() -> services.WallFilter:
    """The filter from the query string; a department by slug from the cached list."""
    slug = (request.args.get("department") or "").strip().lower()[:64]
    known = None
    if slug:
        found = _cached(f"wall-department:{slug}", lambda: _departments().get(slug) or "none")
        known = {slug: found} if found != "none" else None
    return services.parse_filter(request.args, known_departments=known)


def _wall_context(
    form: RecognitionForm | None,
    values: list,
    wall_filter: services.WallFilter,
    before: int | None,
    **extra,
):
    timezone = _viewer_timezone()
    focus = wall_filter.department.id if wall_filter.department else None
    if focus is None and before is None:
        focus = current_user.department_id
    context = {
        "form": form,
        "values": values,
        "wall_filter": wall_filter,
        "page": feed_cache.feed(current_user, wall_filter, before, timezone),
        "before": before,
        "spotlight": feed_cache.spotlight(current_user, timezone) if before is None else None,
        "month": _department_month(focus) if focus is not None and before is None else None,
        "not_thanked_panel": _not_thanked_panel() if before is None else None,
        "poll_seconds": current_app.config.get("WALL_POLL_SECONDS", 15),
        "request_for": None,
    }
    context.update(extra)
    return context


def _department_month(department_id: int):
    """The same for every reader (public posts only)."""
    return _cached(
        f"wall-month:{department_id}",
        lambda: services.department_month(db.session.get(Department, department_id)),
    )


@bp.get("/wall")
def wall():
    wall_filter = _parse_filter()
    before = services.parse_cursor(request.args.get("before"))
    if is_htmx() and before is not None:  # the next page of the feed, nothing else
        page = feed_cache.feed(current_user, wall_filter, before, _viewer_timezone())
        return render(
            WALL, "feed_page", page=page, before=before, wall_filter=wall_filter, values=[]
        )
    values = feed_cache.value_choices()
    recipients, sr = services.prefill_for(
        current_user,
        to_user=services.parse_cursor(request.args.get("to")),
        to_department=request.args.get("to_department"),
        request_key=request.args.get("request"),
    )
    if not recipients and sr is None:  # the form as everyone first sees it
        form, blank = None, _blank_thank_form(values)
    else:
        form = RecognitionForm(
            formdata=None, values=values, recipients=recipients, request_key=sr.key if sr else ""
        )
        blank = None
    context = _wall_context(
        form, values, wall_filter, before, request_for=sr, blank_thank_form=blank
    )
    return render(WALL, "feed", **context)


@bp.post("/wall")
def post():
    values = services.active_values()
    form = RecognitionForm(formdata=request.form, values=values)
    wall_filter = services.WallFilter()
    if form.validate():
        try:
            created = services.post_recognition(
                current_user,
                recipients=form.recipients.data or "",
                value_id=form.value.data,
                message=form.message.data or "",
                visibility=form.visibility.data or "public",
                request_key=form.request_key.data or None,
            )
        except services.WallError as error:
            form.refuse(error)
        else:
            if is_htmx():
                fresh = RecognitionForm(formdata=None, values=values)
                response = render(
                    WALL,
                    "thank_form",
                    "new_post",
                    form=fresh,
                    values=values,
                    new_card=services.card(current_user, created),
                    posted=True,
                    request_for=None,
                )
                return trigger(response, "wallPosted", {"id": created.id})
            return redirect(
                url_for("recognition.post_detail", post_id=created.id, posted=1), code=303
            )
    sr = services.thankable_request(current_user, form.request_key.data)
    if is_htmx():
        return render(WALL, "thank_form", status=422, form=form, values=values, request_for=sr)
    return render(
        WALL, status=422, **_wall_context(form, values, wall_filter, None, request_for=sr)
    )


@bp.get("/wall/people")
def pick_recipient():
    """Type-ahead for the recipients box: a datalist whose options complete the last entry."""
    if not is_htmx():
        abort(404)
    typed = request.args.get("recipients", "")[:600]
    return render(WALL, "recipient_options", options=services.picker_options(current_user, typed))


@bp.get("/wall/reactions")
def reaction_counts():
    """The reaction bars of the posts on screen, as out-of-band swaps (polled)."""
    if not is_htmx():
        abort(404)
    raw = [part for value in request.args.getlist("ids") for part in value.split(",")]
    ids = [int(i) for i in raw if i.isdigit() and len(i) < 12][:60]
    from sqlalchemy import select

    posts = list(
        db.session.scalars(
            select(Recognition)
            .where(Recognition.id.in_(ids), services.visible_posts(current_user))
            .order_by(Recognition.id.desc())
        )
    )
    return render(
        WALL, "reaction_poll", poll_cards=services.cards(current_user, posts, addons_per_post=0)
    )


def _detail(post: Recognition, status: int = 200, **extra):
    context = {
        "card": services.card(current_user, post),
        "addon_form": extra.pop("addon_form", None) or AddOnForm(formdata=None),
        "report_form": extra.pop("report_form", None) or ReasonForm(formdata=None),
        "moderate_form": extra.pop("moderate_form", None) or ReasonForm(formdata=None),
        "posted": request.args.get("posted") == "1",
    }
    context.update(extra)
    return render(POST, status=status, **context)


@bp.get("/wall/<int:post_id>")
def post_detail(post_id: int):
    post = _visible_or_404(post_id)
    return _detail(post)


def _reaction_key() -> str:
    return f"wall-react:{current_user.get_id()}"


@bp.post("/wall/<int:post_id>/react")
@limiter.limit(
    lambda: current_app.config.get("WALL_REACTION_LIMIT", "10/second;120/minute"),
    key_func=_reaction_key,
)
def react(post_id: int):
    post = _visible_or_404(post_id)
    form = ReactionForm(formdata=request.form)
    if not form.validate() or not form.valid_kind():
        abort(422)
    try:
        now_on = services.toggle_reaction(current_user, post, form.kind.data)
    except services.NotFound:
        abort(404)
    if is_htmx():
        card = services.card(current_user, post)
        response = render(WALL, "reactions", reacted_card=card)
        return trigger(response, "wallReacted", {"id": post.id, "on": now_on})
    return redirect(
        url_for("recognition.post_detail", post_id=post.id) + f"#post-{post.id}", code=303
    )


@bp.post("/wall/<int:post_id>/addons")
def add_addon(post_id: int):
    post = _visible_or_404(post_id)
    form = AddOnForm(formdata=request.form)
    if form.validate():
        try:
            services.add_addon(current_user, post, form.message.data or "")
        except services.WallError as error:
            form.refuse(error)
        else:
            if is_htmx():
                db.session.refresh(post)
                card = services.card(current_user, post)
                return render(
                    POST, "addons", card=card, addon_form=AddOnForm(formdata=None), added=True
                )
            return redirect(
                url_for("recognition.post_detail", post_id=post.id) + "#addons", code=303
            )
    card = services.card(current_user, post)
    if is_htmx():
        return render(POST, "addons", status=422, card=card, addon_form=form)
    return _detail(post, status=422, addon_form=form)


@bp.route("/wall/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int):
    post = _visible_or_404(post_id)
    if post.author_id != current_user.id:
        abort(404)
    values = services.active_values()
    if post.value not in values:
        values = [post.value, *values]
    if request.method == "GET":
        form = EditForm(formdata=None, values=values, value=post.value_id, message=post.message)
        return render(EDIT, post=post, form=form, editable=services.can_edit(current_user, post))
    form = EditForm(formdata=request.form, values=values)
    if form.validate():
        try:
            services.edit_recognition(
                current_user, post, value_id=form.value.data, message=form.message.data or ""
            )
        except services.WallError as error:
            form.refuse(error)
        else:
            return redirect(url_for("recognition.post_detail", post_id=post.id), code=303)
    return render(
        EDIT, status=422, post=post, form=form, editable=services.can_edit(current_user, post)
    )


@bp.post("/wall/<int:post_id>/delete")
def delete(post_id: int):
    post = _visible_or_404(post_id)
    form = ReasonForm(formdata=request.form)
    form.validate()
    try:
        services.delete_recognition(current_user, post)
    except services.NotFound:
        abort(404)
    if is_htmx():
        return hx_redirect(url_for("recognition.wall"))
    return redirect(url_for("recognition.wall"), code=303)


@bp.post("/wall/<int:post_id>/report")
def report(post_id: int):
    post = _visible_or_404(post_id)
    form = ReasonForm(formdata=request.form)
    if form.validate():
        try:
            services.report_post(current_user, post, form.reason.data or "")
        except services.WallError as error:
            form.refuse(error)
        else:
            if is_htmx():
                return render(
                    POST,
                    "report",
                    card=services.card(current_user, post),
                    report_form=form,
                    reported=True,
                )
            return redirect(
                url_for("recognition.post_detail", post_id=post.id, reported=1), code=303
            )
    if is_htmx():
        return render(
            POST, "report", status=422, card=services.card(current_user, post), report_form=form
        )
    return _detail(post, status=422, report_form=form)


@bp.post("/wall/<int:post_id>/profile")
def profile_visibility(post_id: int):
    post = _visible_or_404(post_id)
    form = ReasonForm(formdata=request.form)
    form.validate()
    try:
        services.hide_from_profile(current_user, post, request.form.get("hidden") == "1")
    except services.NotFound:
        abort(404)
    return redirect(url_for("recognition.post_detail", post_id=post.id), code=303)


@bp.get("/wall/departments/<slug>")
def department_thanks(slug: str):
    """Thanks a department received (the section the department page loads when shown)."""
    from sqlalchemy import select

    if "\x00" in slug or len(slug) > 64:
        abort(404)
    department = db.session.scalar(
        select(Department).where(Department.slug == slug, Department.active)
    )
    if department is None:
        abort(404)
    thanks = services.received_by_department(current_user, department)
    return render(
        "recognition/department_thanks.html",
        "thanks_section",
        department=department,
        thanks=thanks,
    )


# Moderation and values (portal admins) --------------------------------------------------


@bp.get("/wall/reports")
def reports():
    _admin_or_404()
    return render(
        REPORTS,
        reported=services.open_reports(current_user),
        hidden=services.hidden_posts(current_user),
        form=ReasonForm(formdata=None),
    )


@bp.post("/wall/<int:post_id>/moderate")
def moderate(post_id: int):
    _admin_or_404()
    post = db.get_or_404(Recognition, post_id)
    form = ReasonForm(formdata=request.form)
    hide = request.form.get("action") != "restore"
    if form.validate():
        try:
            services.moderate(current_user, post, hide=hide, reason=form.reason.data or "")
        except services.WallError as error:
            form.refuse(error)
        else:
            return redirect(url_for("recognition.reports"), code=303)
    return render(
        REPORTS,
        status=422,
        reported=services.open_reports(current_user),
        hidden=services.hidden_posts(current_user),
        form=ReasonForm(formdata=None),
        failed_form=form,
        failed_post_id=post.id,
    )


@bp.route("/admin/values", methods=["GET", "POST"])
def values():
    _admin_or_404()
    form = ValueForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            value = services.add_value(
                current_user,
                name=form.name.data,
                description=form.description.data or "",
                emoji=form.emoji.data or "",
                colour=form.colour.data or "slate",
            )
        except services.WallError as error:
            form.refuse(error)
        else:
            return redirect(url_for("recognition.values", added=value.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render(VALUES, status=status, form=form, all_values=services.all_values(), editing=None)


@bp.route("/admin/values/<int:value_id>", methods=["GET", "POST"])
def edit_value(value_id: int):
    _admin_or_404()
    value = db.get_or_404(CompanyValue, value_id)
    if request.method == "GET":
        form = ValueForm(formdata=None, obj=value)
        return render(VALUES, form=form, all_values=services.all_values(), editing=value)
    form = ValueForm(formdata=request.form)
    if form.validate():
        try:
            services.edit_value(
                current_user,
                value,
                name=form.name.data,
                description=form.description.data or "",
                emoji=form.emoji.data or "",
                colour=form.colour.data or "slate",
            )
        except services.WallError as error:
            form.refuse(error)
        else:
            return redirect(url_for("recognition.values"), code=303)
    return render(VALUES, status=422, form=form, all_values=services.all_values(), editing=value)


@bp.post("/admin/values/<int:value_id>/retire")
def retire_value(value_id: int):
    _admin_or_404()
    value = db.get_or_404(CompanyValue, value_id)
    ReasonForm(formdata=request.form).validate()
    services.set_value_retired(current_user, value, request.form.get("retired", "1") == "1")
    return redirect(url_for("recognition.values"), code=303)


@bp.app_template_global("wall_html")
def wall_html(stored: str):
    return safe_html(stored)


def _viewer_timezone() -> str:
    if "wall_timezone" not in g:
        g.wall_timezone = current_user.timezone
    return g.wall_timezone


@bp.app_template_global("wall_department_options")
def department_options(chosen: str = "") -> Markup:
    """The department filter's options (every department: one join, not a template loop)."""
    html = _cached(
        f"wall-department-options:{chosen}",
        lambda: "".join(
            f'<option value="{escape(slug)}"{" selected" if slug == chosen else ""}>'
            f"{escape(name)}</option>"
            for slug, name in ((d.slug, d.name) for d in _departments().values())
        ),
    )
    return Markup(html)  # noqa: S704 - every value was escaped above


@bp.app_template_global("wall_reaction_bar")
def reaction_bar(card, oob: bool = False) -> Markup:
    """The reaction form of a post (the markup the macro `reaction_bar` stands for)."""
    return Markup(  # noqa: S704 - fixed enum strings, integers and escaped values only
        feed_cache.reaction_form(card.post.id, card.reactions, str(escape(generate_csrf())), oob)
    )


@bp.app_template_global("wall_post_card")
def post_card(top, tail, card, detail: bool, compact: bool, level: int) -> Markup:
    """A post's card (the macro `post_card`): its parts, the same for every reader, from
    `card_part`; the reaction bar, the reader's own, drawn every time."""
    before, after = feed_cache.card_markup(
        lambda c, *args: card_part(top, c, *args),
        lambda c, *args: card_part(tail, c, *args),
        card,
        detail,
        compact,
        level,
    )
    bar = "" if compact else str(reaction_bar(card))
    return Markup(before + bar + after)  # noqa: S704 - our own template's output


def card_part(macro, card, *args):
    """A part of a post's card that is the same for every reader who may see the post,
    cached per post state, reader's time zone and minute (the "2 h ago") when caching is on.
    Reactions, which differ per reader, are rendered around it every time."""
    seconds = current_app.config.get("DIRECTORY_CACHE_SECONDS", 0)
    if not seconds:
        return macro(card, *args)
    from datetime import UTC, datetime

    post = card.post
    stamp = (
        post.edited_at.timestamp() if post.edited_at else 0,
        post.addon_count,
        post.value_id,
        post.visibility.value,
    )
    minute = int(datetime.now(UTC).timestamp() // 60)
    key = f"wall-card:{macro.name}:{post.id}:{stamp}:{_viewer_timezone()}:{minute}:{args}"
    html = cache.get(key)
    if html is None:
        html = str(macro(card, *args))
        cache.set(key, html, timeout=seconds * 6)
    return Markup(html)  # noqa: S704 - our own template's output, escaped when rendered


@bp.app_template_global("wall_ago")
def time_ago(at) -> str:
    """ "just now", "5 min ago", "2 h ago", "3 days ago", then the date."""
    from datetime import UTC, datetime

    from portal.presentation import local_time

    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    seconds = (datetime.now(UTC) - at).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 7 * 86400:
        days = int(seconds // 86400)
        return "yesterday" if days == 1 else f"{days} days ago"
    return local_time(at).rsplit(" ", 1)[0]


# Pieces other pages include -------------------------------------------------------------


@bp.app_context_processor
def _wall_pieces():
    """Sections other areas' pages include ({% include "recognition/_….html" %}); each
    reads through the wall's visibility rule for the signed-in viewer."""

    def person_thanks(person):
        if not current_user.is_authenticated or person is None:
            return []
        return services.received_by_person(current_user, person)

    def recent_thanks():
        if not current_user.is_authenticated:
            return []
        return services.recent_thanks(current_user)

    return {
        "wall_person_thanks": person_thanks,
        "wall_recent_thanks": recent_thanks,
        "wall_handle": services.handle_of,
    }
