"""Wall pages: thin views (parse with a form, call one use case, render). Every form posts
and redirects without JavaScript; with htmx the one template per page answers with the
block that changed. A post the viewer may not see is NotFound in the use case: 404."""

from __future__ import annotations

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from portal.core import clock, policy, urls
from portal.core.errors import Refused
from portal.core.guest_access import guests_allowed
from portal.core.ids import parse_id, parse_ids
from portal.extensions import limiter
from portal.htmx import hx_redirect, is_htmx, render, trigger
from portal.presentation import local_time
from portal.recognition import bp, feed_cache, page_parts
from portal.recognition.forms import (
    AddOnForm,
    EditForm,
    ModerateForm,
    ProfileForm,
    ReactionForm,
    ReasonForm,
    RecognitionForm,
    RetireForm,
    ValueForm,
    WallQuery,
)
from portal.recognition.markup import safe_html
from portal.recognition.services import (
    feed,
    moderation,
    posting,
    reactions,
    recipients,
    values,
    visibility,
)

WALL = "recognition/wall.html"
POST = "recognition/post.html"
EDIT = "recognition/edit.html"
REPORTS = "recognition/reports.html"
VALUES = "recognition/values.html"


def _wall_filter(query) -> feed.WallFilter:
    return feed.wall_filter(
        department=page_parts.department_for_filter(query.department),
        value_id=query.value_id,
        person_id=query.person_id,
        mentions_me=query.mentions_me,
    )


def _wall_context(form, values_shown, wall_filter, before, **extra):
    timezone = _viewer_timezone()
    reader = current_user._get_current_object()  # once: each proxied read costs a lookup
    focus = wall_filter.department.id if wall_filter.department else None
    if focus is None and before is None:
        focus = reader.department_id
    first_page = before is None
    context = {
        "form": form,
        "values": values_shown,
        "wall_filter": wall_filter,
        "page": feed_cache.feed(reader, wall_filter, before, timezone),
        "before": before,
        "spotlight": feed_cache.spotlight(reader, timezone) if first_page else None,
        "month": page_parts.department_month(focus) if focus and first_page else None,
        "not_thanked_panel": page_parts.not_thanked_panel() if first_page else None,
        "poll_seconds": current_app.config.get("WALL_POLL_SECONDS", 15),
        "request_for": None,
    }
    context.update(extra)
    return context


@bp.get("/wall")
def wall():
    query = WallQuery.from_args(request.args)
    wall_filter = _wall_filter(query)
    if is_htmx() and query.before is not None:  # the next page of the feed, nothing else
        reader = current_user._get_current_object()  # read once: the cards ask for it often
        page = feed_cache.feed(reader, wall_filter, query.before, _viewer_timezone())
        return render(
            WALL, "feed_page", page=page, before=query.before, wall_filter=wall_filter, values=[]
        )
    values_shown = feed_cache.value_choices()
    chips, sr = recipients.prefill_for(
        current_user,
        to_user=query.to_user,
        to_department=query.to_department,
        request_key=query.request_key,
    )
    if not chips and sr is None:  # the form as everyone first sees it
        form, blank = None, page_parts.blank_thank_fields(values_shown)
    else:
        form = RecognitionForm(
            formdata=None,
            values=values_shown,
            chosen=[chip.token for chip in chips],
            request_key=sr.key if sr else "",
        )
        blank = None
    context = _wall_context(
        form, values_shown, wall_filter, query.before, request_for=sr, blank_thank_fields=blank
    )
    return render(WALL, "feed", **context)


@bp.post("/wall")
def post():
    values_shown = values.active_values()
    form = RecognitionForm(formdata=request.form, values=values_shown)
    if not form.validate():  # every other problem shown with the form's own, nothing posted
        form.refuse_others(posting.problems(current_user, **form.post_fields()))
    else:
        try:
            created = posting.post_recognition(current_user, **form.post_fields())
        except Refused as error:
            form.refuse(error)
        else:
            return _posted(created, values_shown)
    sr = recipients.thankable_request(current_user, form.request_key.data)
    if is_htmx():
        return render(
            WALL, "thank_form", status=422, form=form, values=values_shown, request_for=sr
        )
    context = _wall_context(form, values_shown, feed.WallFilter(), None, request_for=sr)
    return render(WALL, status=422, **context)


def _posted(created, values_shown):
    if is_htmx():
        response = render(
            WALL,
            "thank_form",
            "new_post",
            form=RecognitionForm(formdata=None, values=values_shown),
            values=values_shown,
            new_card=feed.card(current_user, created),
            posted=True,
            request_for=None,
        )
        return trigger(response, "wallPosted", {"id": created.id})
    return redirect(url_for("recognition.post_detail", post_id=created.id, posted=1), code=303)


@bp.get("/wall/reactions")
def reaction_counts():
    """The reaction bars of the posts on screen, as out-of-band swaps (polled)."""
    if not is_htmx():
        abort(404)
    ids = parse_ids(request.args.getlist("ids"), limit=60)
    return render(WALL, "reaction_poll", poll_cards=feed.visible_cards(current_user, ids))


def _detail(post, status: int = 200, **extra):
    context = {
        "card": feed.card(current_user, post),
        "addon_form": extra.pop("addon_form", None) or AddOnForm(formdata=None),
        "report_form": extra.pop("report_form", None) or ReasonForm(formdata=None),
        "moderate_form": extra.pop("moderate_form", None) or ReasonForm(formdata=None),
        "posted": request.args.get("posted") == "1",
    }
    context.update(extra)
    return render(POST, status=status, **context)


@bp.get("/wall/<int:post_id>")
@guests_allowed
def post_detail(post_id: int):
    post = visibility.get_visible(current_user, post_id)  # a guest: only theirs, else 404
    if policy.is_guest(current_user):
        return redirect(url_for("recognition.partner_thanks", _anchor=f"post-{post.id}"))
    return _detail(post)


@bp.get("/partners/thanks")
@guests_allowed
def partner_thanks():
    """A partner's thanks: read only (guests neither post, react nor add to a thanks)."""
    page = feed.partner_thanks(current_user, before=parse_id(request.args.get("before")))
    return render("recognition/partner_thanks.html", page=page)


def _reaction_key() -> str:
    return f"wall-react:{current_user.get_id()}"


@bp.post("/wall/<int:post_id>/react")
@limiter.limit(
    lambda: current_app.config.get("WALL_REACTION_LIMIT", "10/second;120/minute"),
    key_func=_reaction_key,
)
def react(post_id: int):
    post = visibility.get_visible(current_user, post_id)
    form = ReactionForm(formdata=request.form)
    if not form.validate() or not form.valid_kind():
        abort(422)
    now_on = reactions.toggle_reaction(current_user, post, form.kind.data)
    if is_htmx():
        response = render(WALL, "reactions", reacted_card=feed.card(current_user, post))
        return trigger(response, "wallReacted", {"id": post.id, "on": now_on})
    back = urls.safe_next(form.next.data) or url_for("recognition.wall")
    return redirect(back.split("#", 1)[0] + f"#post-{post.id}", code=303)


@bp.post("/wall/<int:post_id>/addons")
def add_addon(post_id: int):
    post = visibility.get_visible(current_user, post_id)
    form = AddOnForm(formdata=request.form)
    if form.validate():
        try:
            reactions.add_addon(current_user, post, form.message.data or "")
        except Refused as error:
            form.refuse(error)
        else:
            if is_htmx():
                card = feed.card(current_user, visibility.get_visible(current_user, post_id))
                return render(
                    POST, "addons", card=card, addon_form=AddOnForm(formdata=None), added=True
                )
            return redirect(
                url_for("recognition.post_detail", post_id=post.id) + "#addons", code=303
            )
    if is_htmx():
        card = feed.card(current_user, post)
        return render(POST, "addons", status=422, card=card, addon_form=form)
    return _detail(post, status=422, addon_form=form)


@bp.route("/wall/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int):
    post = posting.post_to_edit(current_user, post_id)
    choices = values.values_for_edit(post)
    editable = visibility.can_edit(current_user, post)
    if request.method == "GET":
        form = EditForm(formdata=None, values=choices, value=post.value_id, message=post.message)
        return render(EDIT, post=post, form=form, editable=editable)
    form = EditForm(formdata=request.form, values=choices)
    if form.validate():
        try:
            posting.edit_recognition(
                current_user, post, value_id=form.value.data, message=form.message.data or ""
            )
        except Refused as error:
            form.refuse(error)
        else:
            return redirect(url_for("recognition.post_detail", post_id=post.id), code=303)
    return render(EDIT, status=422, post=post, form=form, editable=editable)


@bp.post("/wall/<int:post_id>/delete")
def delete(post_id: int):
    post = visibility.get_visible(current_user, post_id)
    ReasonForm(formdata=request.form).validate()
    posting.delete_recognition(current_user, post)
    if is_htmx():
        return hx_redirect(url_for("recognition.wall"))
    return redirect(url_for("recognition.wall"), code=303)


@bp.post("/wall/<int:post_id>/report")
def report(post_id: int):
    post = visibility.get_visible(current_user, post_id)
    form = ReasonForm(formdata=request.form)
    if form.validate():
        try:
            moderation.report_post(current_user, post, form.reason.data or "")
        except Refused as error:
            form.refuse(error)
        else:
            if is_htmx():
                card = feed.card(current_user, post)
                return render(POST, "report", card=card, report_form=form, reported=True)
            return redirect(
                url_for("recognition.post_detail", post_id=post.id, reported=1), code=303
            )
    if is_htmx():
        card = feed.card(current_user, post)
        return render(POST, "report", status=422, card=card, report_form=form)
    return _detail(post, status=422, report_form=form)


@bp.post("/wall/<int:post_id>/profile")
def profile_visibility(post_id: int):
    post = visibility.get_visible(current_user, post_id)
    form = ProfileForm(formdata=request.form)
    form.validate()
    moderation.hide_from_profile(current_user, post, form.hidden.data == "1")
    return redirect(url_for("recognition.post_detail", post_id=post.id), code=303)


@bp.get("/wall/departments/<slug>")
def department_thanks(slug: str):
    """Thanks a department received (the section the department page loads when shown)."""
    department = feed.department_by_slug(slug)
    thanks = feed.received_by_department(current_user, department)
    return render(
        "recognition/department_thanks.html", "thanks_section", department=department,
        thanks=thanks,
    )


# Moderation and values (portal admins) --------------------------------------------------


def _reports_page(status: int = 200, **extra):
    return render(
        REPORTS,
        status=status,
        reported=moderation.open_reports(current_user),
        hidden=moderation.hidden_posts(current_user),
        form=ReasonForm(formdata=None),
        **extra,
    )


@bp.get("/wall/reports")
def reports():
    return _reports_page()


@bp.post("/wall/<int:post_id>/moderate")
def moderate(post_id: int):
    post = moderation.post_to_moderate(current_user, post_id)
    form = ModerateForm(formdata=request.form)
    if form.validate():
        try:
            moderation.moderate(current_user, post, hide=form.hide, reason=form.reason.data or "")
        except Refused as error:
            form.refuse(error)
        else:
            return redirect(url_for("recognition.reports"), code=303)
    return _reports_page(422, failed_form=form, failed_post_id=post.id)


def _value_fields(form: ValueForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data or "",
        "emoji": form.emoji.data or "",
        "colour": form.colour.data or "slate",
    }


@bp.route("/admin/values", methods=["GET", "POST"], endpoint="values")
def values_page():
    visibility.require_admin(current_user)
    form = ValueForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            value = values.add_value(current_user, **_value_fields(form))
        except Refused as error:
            form.refuse(error)
        else:
            return redirect(url_for("recognition.values", added=value.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render(VALUES, status=status, form=form, all_values=values.all_values(), editing=None)


@bp.route("/admin/values/<int:value_id>", methods=["GET", "POST"])
def edit_value(value_id: int):
    value = values.value_to_edit(current_user, value_id)
    if request.method == "GET":
        form = ValueForm(formdata=None, obj=value)
        return render(VALUES, form=form, all_values=values.all_values(), editing=value)
    form = ValueForm(formdata=request.form)
    if form.validate():
        try:
            values.edit_value(current_user, value, **_value_fields(form))
        except Refused as error:
            form.refuse(error)
        else:
            return redirect(url_for("recognition.values"), code=303)
    return render(VALUES, status=422, form=form, all_values=values.all_values(), editing=value)


@bp.post("/admin/values/<int:value_id>/retire")
def retire_value(value_id: int):
    value = values.value_to_edit(current_user, value_id)
    form = RetireForm(formdata=request.form)
    form.validate()
    values.set_value_retired(current_user, value, form.retired.data == "1")
    return redirect(url_for("recognition.values"), code=303)


# Template globals and the pieces other pages include -----------------------------------


def _viewer_timezone() -> str:
    if "wall_timezone" not in g:
        g.wall_timezone = current_user.timezone
    return g.wall_timezone


@bp.app_template_global("wall_html")
def wall_html(stored: str):
    return safe_html(stored)


@bp.app_template_global("wall_department_options")
def department_options(chosen: str = ""):
    return page_parts.department_options(chosen)


@bp.app_template_global("wall_card_body")
def card_body(card, detail: bool, compact: bool, level: int, prefix: str = ""):
    """A card's body from the one card cache (the macro `post_card` draws it around)."""
    variant = feed_cache.Variant(detail=detail, compact=compact, level=level, prefix=prefix)
    return feed_cache.card_body(card, _viewer_timezone(), variant)


@bp.app_template_global("wall_ago")
def time_ago(at) -> str:
    """ "just now", "5 min ago", "2 h ago", "3 days ago", then the date."""
    if at is None:
        return ""
    seconds = (clock.now() - clock.aware(at)).total_seconds()
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


@bp.app_context_processor
def _wall_pieces():
    """Sections other areas' pages include ({% include "recognition/_….html" %}); each
    reads through the wall's visibility rule for the signed-in viewer."""

    def person_thanks(person):
        if not current_user.is_authenticated or person is None:
            return []
        return feed.received_by_person(current_user, person)

    def recent_thanks():
        """The newest thanks as compact card bodies (no reactions): drawn from plain rows."""
        if not current_user.is_authenticated:
            return []
        viewer = current_user._get_current_object()
        ids = feed.recent_thanks_ids(viewer)
        bodies = feed_cache.card_bodies(viewer, ids, _viewer_timezone(), feed_cache.COMPACT)
        return [bodies[i] for i in ids if i in bodies]

    return {
        "wall_person_thanks": person_thanks,
        "wall_recent_thanks": recent_thanks,
        "wall_handle": visibility.handle_of,
    }
