"""Feedback pages: thin views over ratings.py, checkins.py and insights/suggestions.py.
Every form posts and redirects without JavaScript; with htmx the same template answers
with the block that changed."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from flask_login import current_user

from portal.core.errors import NotFound, Refused
from portal.core.guest_access import guests_allowed
from portal.directory import services as directory_services
from portal.extensions import db
from portal.feedback import checkins, ratings, suggestion_pages
from portal.feedback.forms import (
    AnswerForm,
    OpenCheckInForm,
    RatingForm,
    RespondForm,
    SuggestionForm,
    SuggestionStatusForm,
)
from portal.htmx import is_htmx, render, trigger
from portal.service_requests.services import access

bp = Blueprint("feedback", __name__)

RATE_TEMPLATE = "feedback/rate.html"


@bp.app_context_processor
def _feedback_globals():
    def rating_panel_for(sr):
        return ratings.panel_for(current_user, sr)

    return {
        "rating_panel_for": rating_panel_for,
        "score_words": ratings.SCORE_WORDS,
        "status_labels": suggestion_pages.STATUS_LABELS,
    }


def _visible_request(key: str):
    return access.get_visible_request(current_user, key)


# Ratings ------------------------------------------------------------------------------


def _rating_refused(sr, exc: Refused, values: dict):
    return render(
        RATE_TEMPLATE,
        "rating_panel",
        status=422,
        sr=sr,
        rating_errors={exc.field or "score": exc.message},
        rating_values=values,
        rating_notice="Your rating was not saved: " + exc.message,
    )


@bp.route("/requests/<key>/rate", methods=["GET", "POST"])
@guests_allowed
def rate(key: str):
    sr = _visible_request(key)
    if not ratings.may_rate(current_user, sr):
        raise NotFound
    if request.method != "POST":
        return render(RATE_TEMPLATE, "rating_panel", sr=sr)
    form = RatingForm(formdata=request.form)
    values = {"score": form.score.data or "", "comment": form.comment.data or ""}
    try:
        if not form.validate():
            raise form.first_problem()
        rating = ratings.rate(
            current_user, sr, values["score"], values["comment"],
            change=request.form.get("change") == "1",
        )
    except Refused as exc:
        return _rating_refused(sr, exc, values)
    if is_htmx():
        response = render(
            RATE_TEMPLATE,
            "rating_panel",
            sr=sr,
            rating_notice=f"Thank you — you rated {sr.key} {rating.score} out of 5.",
        )
        return trigger(response, "requestRated", {"key": sr.key})
    return redirect(url_for("service_requests.detail", key=sr.key), code=303)


@bp.route("/rate/<token>", methods=["GET", "POST"])
@guests_allowed
def rate_by_link(token: str):
    """The e-mailed link: works without signing in (the token is the proof); the page
    has the score already chosen and one button, so a mail scanner that opens links
    records nothing."""
    form = RatingForm(formdata=request.form if request.method == "POST" else None)
    score = form.score.data if request.method == "POST" else request.args.get("score", "")
    values = {"score": score or "", "comment": form.comment.data or ""}
    try:
        target = ratings.check_token(token)
    except Refused as exc:
        return render("feedback/rate_link.html", status=410, problem=exc.message)
    context = {"sr": target.request, "token": token, "values": values, "errors": {}}
    if request.method != "POST":
        return render("feedback/rate_link.html", **context)
    try:
        if not form.validate():
            raise form.first_problem()
        rating = ratings.rate_by_token(token, values["score"], values["comment"])
    except Refused as exc:
        if exc.field is None:
            return render("feedback/rate_link.html", status=410, problem=exc.message)
        context["errors"] = {exc.field: exc.message}
        return render("feedback/rate_link.html", status=422, **context)
    return render("feedback/rate_link.html", done=rating, **context)


# Check-ins ----------------------------------------------------------------------------

CHECK_IN_TEMPLATE = "feedback/check_in.html"


def _department_or_404(slug: str):
    department = directory_services.get_department(slug)
    if department is None:
        raise NotFound
    return department


def _check_in_context(department, **extra):
    ci = checkins.latest(department)
    context = {
        "department": department,
        "ci": ci,
        "is_open": ci is not None and checkins.is_open(ci),
        "invite": checkins.invite_of(current_user, ci) if ci else None,
        "results": checkins.results(current_user, ci, department) if ci else None,
        "can_manage": checkins.can_manage(current_user, department),
        "fixed": checkins.fixed_questions(department),
        "release_batch": checkins.RELEASE_BATCH,
        "errors": {},
        "values": {},
        "notice": "",
        "form_name": "",
    }
    context.update(extra)
    return context


def _check_in_done(department, message: str):
    if is_htmx():
        return render(
            CHECK_IN_TEMPLATE, "check_in_main", **_check_in_context(department, notice=message)
        )
    return redirect(url_for("feedback.check_in", slug=department.slug), code=303)


def _check_in_refused(department, exc: Refused, form_name: str, values: dict):
    db.session.rollback()
    return render(
        CHECK_IN_TEMPLATE,
        "check_in_main",
        status=422,
        **_check_in_context(
            department,
            errors={exc.field or "form": exc.message},
            values=values,
            notice=exc.message,
            form_name=form_name,
        ),
    )


def _typed(form) -> dict:
    """What was typed, to put back in the form (text parts only)."""
    return {field.name: field.data for field in form if isinstance(field.data, str)}


@bp.get("/d/<slug>/check-in")
def check_in(slug: str):
    department = _department_or_404(slug)
    return render(CHECK_IN_TEMPLATE, "check_in_main", **_check_in_context(department))


@bp.post("/d/<slug>/check-in/answer")
def check_in_answer(slug: str):
    department = _department_or_404(slug)
    ci = checkins.latest(department)
    if ci is None:
        raise NotFound
    count = len(ci.questions or [])
    form = AnswerForm.for_questions(count, request.form)
    try:
        if not form.validate():
            raise form.first_problem()
        checkins.answer(
            current_user, ci, form.score.data, form.best.data, form.obstacles.data,
            form.extra_answers(count),
        )
    except Refused as exc:
        return _check_in_refused(department, exc, "answer", _typed(form))
    return _check_in_done(department, "Thank you — your answers were recorded anonymously.")


@bp.post("/d/<slug>/check-in/open")
def check_in_open(slug: str):
    department = _department_or_404(slug)
    if not checkins.can_manage(current_user, department):
        raise NotFound
    form = OpenCheckInForm.build(request.form)
    try:
        if not form.validate():
            raise form.first_problem()
        checkins.open_check_in(
            current_user,
            department,
            form.period.data,
            form.closes_on_date(),
            form.questions(),
            portal_url=current_app.config["PORTAL_URL"],
        )
    except Refused as exc:
        return _check_in_refused(department, exc, "open", _typed(form))
    return _check_in_done(department, "Check-in opened: the people you served are invited.")


@bp.post("/d/<slug>/check-in/respond")
def check_in_respond(slug: str):
    department = _department_or_404(slug)
    ci = checkins.latest(department)
    if ci is None or not checkins.can_manage(current_user, department):
        raise NotFound
    form = RespondForm(formdata=request.form)
    try:
        if not form.validate():
            raise form.first_problem()
        checkins.respond(current_user, ci, department, form.heard.data, form.will_change.data)
    except Refused as exc:
        return _check_in_refused(department, exc, "respond", _typed(form))
    return _check_in_done(department, "Your answer is published on this page.")


@bp.get("/d/<slug>/check-in/<int:check_in_id>/answers")
def check_in_answers(slug: str, check_in_id: int):
    """Every answer's text, without names: for the department's own people only."""
    department = _department_or_404(slug)
    ci = checkins.get_check_in(department, check_in_id)
    if not checkins.reads_answers(current_user, department):
        raise NotFound
    return render(
        "feedback/check_in_answers.html",
        department=department,
        ci=ci,
        results=checkins.results(current_user, ci, department),
        fixed=checkins.fixed_questions(department),
    )


# Suggestions --------------------------------------------------------------------------

SUGGESTIONS_TEMPLATE = "feedback/suggestions.html"


def _suggestions_context(department, **extra):
    page = suggestion_pages.page(current_user, department)
    context = {
        "department": department,
        "page": page,
        "statuses": suggestion_pages.SETTABLE,
        "errors": {},
        "values": {},
        "notice": "",
    }
    context.update(extra)
    return context


@bp.route("/d/<slug>/suggestions", methods=["GET", "POST"])
def suggestions(slug: str):
    department = _department_or_404(slug)
    if request.method != "POST":
        return render(SUGGESTIONS_TEMPLATE, "suggestions_main", **_suggestions_context(department))
    form = SuggestionForm(formdata=request.form)
    try:
        if not form.validate():
            raise form.first_problem()
        suggestion_pages.post(current_user, department, form.title.data, form.body.data)
    except Refused as exc:
        db.session.rollback()
        return render(
            SUGGESTIONS_TEMPLATE,
            "suggestions_main",
            status=422,
            **_suggestions_context(
                department,
                errors={exc.field or "title": exc.message},
                values=_typed(form),
                notice=exc.message,
            ),
        )
    if is_htmx():
        return render(
            SUGGESTIONS_TEMPLATE,
            "suggestions_main",
            **_suggestions_context(department, notice="Thank you — your suggestion is posted."),
        )
    return redirect(url_for("feedback.suggestions", slug=department.slug), code=303)


def _suggestion_or_404(slug: str, suggestion_id: int):
    department = _department_or_404(slug)
    return department, suggestion_pages.get(department, suggestion_id)


@bp.post("/d/<slug>/suggestions/<int:suggestion_id>/vote")
def suggestion_vote(slug: str, suggestion_id: int):
    department, suggestion = _suggestion_or_404(slug, suggestion_id)
    added = suggestion_pages.vote(current_user, suggestion)
    message = "Your vote is counted." if added else "You have already voted for this."
    if is_htmx():
        context = _suggestions_context(department)
        return render(
            SUGGESTIONS_TEMPLATE,
            "suggestion_item",
            status=200 if added else 409,
            s=suggestion,
            item_notice=message,
            **context,
        )
    if not added:
        return render(
            SUGGESTIONS_TEMPLATE,
            status=409,
            **_suggestions_context(department, notice=message),
        )
    return redirect(url_for("feedback.suggestions", slug=department.slug), code=303)


@bp.post("/d/<slug>/suggestions/<int:suggestion_id>/status")
def suggestion_status(slug: str, suggestion_id: int):
    department, suggestion = _suggestion_or_404(slug, suggestion_id)
    if not suggestion_pages.can_answer(current_user, department):
        raise NotFound
    key = f"reply-{suggestion.id}"
    form = SuggestionStatusForm.for_suggestion(suggestion.id, request.form)
    try:
        if not form.validate():
            raise Refused(next(iter(form.problems().values())), key)
        suggestion_pages.answer(current_user, suggestion, form.status.data, form.reply_text())
    except Refused as exc:
        db.session.rollback()
        return render(
            SUGGESTIONS_TEMPLATE,
            "suggestions_main",
            status=422,
            **_suggestions_context(
                department,
                errors={key: exc.message},
                values={key: form.reply_text()},
                notice=exc.message,
            ),
        )
    if is_htmx():
        return render(
            SUGGESTIONS_TEMPLATE,
            "suggestions_main",
            **_suggestions_context(department, notice="Status and reply saved."),
        )
    return redirect(url_for("feedback.suggestions", slug=department.slug), code=303)
