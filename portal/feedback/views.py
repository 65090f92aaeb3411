"""Feedback pages: thin views over ratings.py, checkins.py and insights/suggestions.py.
Every form posts and redirects without JavaScript; with htmx the same template answers
with the block that changed."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.directory import services as directory_services
from portal.extensions import db
from portal.feedback import checkins, ratings, suggestion_pages
from portal.htmx import is_htmx, render, trigger
from portal.service_requests import services as request_services

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
    try:
        return request_services.get_visible_request(current_user, key)
    except request_services.NotFound:
        abort(404)


# Ratings ------------------------------------------------------------------------------


@bp.route("/requests/<key>/rate", methods=["GET", "POST"])
def rate(key: str):
    sr = _visible_request(key)
    if not ratings.may_rate(current_user, sr):
        abort(404)
    if request.method == "GET":
        return render(RATE_TEMPLATE, "rating_panel", sr=sr)
    values = {"score": request.form.get("score", ""), "comment": request.form.get("comment", "")}
    try:
        rating = ratings.rate(
            current_user,
            sr,
            values["score"],
            values["comment"],
            change=request.form.get("change") == "1",
        )
    except ratings.RatingRefused as exc:
        errors = {exc.field or "score": exc.message}
        return render(
            RATE_TEMPLATE,
            "rating_panel",
            status=422,
            sr=sr,
            rating_errors=errors,
            rating_values=values,
            rating_notice="Your rating was not saved: " + exc.message,
        )
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
def rate_by_link(token: str):
    """The e-mailed link: works without signing in (the token is the proof); the page
    has the score already chosen and one button, so a mail scanner that opens links
    records nothing."""
    values = {"score": request.values.get("score", ""), "comment": request.form.get("comment", "")}
    try:
        target = ratings.check_token(token)
    except ratings.RatingRefused as exc:
        return render("feedback/rate_link.html", status=410, problem=exc.message)
    context = {"sr": target.request, "token": token, "values": values, "errors": {}}
    if request.method == "GET":
        return render("feedback/rate_link.html", **context)
    try:
        rating = ratings.rate_by_token(token, values["score"], values["comment"])
    except ratings.RatingRefused as exc:
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
        abort(404)
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


def _check_in_refused(department, exc, form_name: str, values: dict):
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


@bp.get("/d/<slug>/check-in")
def check_in(slug: str):
    department = _department_or_404(slug)
    return render(CHECK_IN_TEMPLATE, "check_in_main", **_check_in_context(department))


@bp.post("/d/<slug>/check-in/answer")
def check_in_answer(slug: str):
    department = _department_or_404(slug)
    ci = checkins.latest(department)
    if ci is None:
        abort(404)
    values = request.form.to_dict()
    extra = [request.form.get(f"extra_{i}", "") for i in range(len(ci.questions or []))]
    try:
        checkins.answer(
            current_user,
            ci,
            values.get("score", ""),
            values.get("best", ""),
            values.get("obstacles", ""),
            extra,
        )
    except checkins.CheckInRefused as exc:
        return _check_in_refused(department, exc, "answer", values)
    return _check_in_done(department, "Thank you — your answers were recorded anonymously.")


@bp.post("/d/<slug>/check-in/open")
def check_in_open(slug: str):
    department = _department_or_404(slug)
    if not checkins.can_manage(current_user, department):
        abort(404)
    values = request.form.to_dict()
    try:
        closes_on = _parse_date(values.get("closes_on", ""))
        checkins.open_check_in(
            current_user,
            department,
            values.get("period", ""),
            closes_on,
            [request.form.get(f"question_{i}", "") for i in range(checkins.MAX_EXTRA_QUESTIONS)],
            portal_url=current_app.config["PORTAL_URL"],
        )
    except checkins.CheckInRefused as exc:
        return _check_in_refused(department, exc, "open", values)
    return _check_in_done(department, "Check-in opened: the people you served are invited.")


@bp.post("/d/<slug>/check-in/respond")
def check_in_respond(slug: str):
    department = _department_or_404(slug)
    ci = checkins.latest(department)
    if ci is None or not checkins.can_manage(current_user, department):
        abort(404)
    values = request.form.to_dict()
    try:
        checkins.respond(
            current_user, ci, department, values.get("heard", ""), values.get("will_change", "")
        )
    except checkins.CheckInRefused as exc:
        return _check_in_refused(department, exc, "respond", values)
    return _check_in_done(department, "Your answer is published on this page.")


@bp.get("/d/<slug>/check-in/<int:check_in_id>/answers")
def check_in_answers(slug: str, check_in_id: int):
    """Every answer's text, without names: for the department's own people only."""
    department = _department_or_404(slug)
    ci = checkins.get_check_in(department, check_in_id)
    if ci is None or not checkins.reads_answers(current_user, department):
        abort(404)
    return render(
        "feedback/check_in_answers.html",
        department=department,
        ci=ci,
        results=checkins.results(current_user, ci, department),
        fixed=checkins.fixed_questions(department),
    )


def _parse_date(text: str) -> date | None:
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007  (a calendar date)
        except ValueError:
            continue
    if text:
        raise checkins.CheckInRefused(
            "Give the last day for answers as a date, like 31/03/2027.", "closes_on"
        )
    return None


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
    if request.method == "GET":
        return render(SUGGESTIONS_TEMPLATE, "suggestions_main", **_suggestions_context(department))
    values = request.form.to_dict()
    try:
        suggestion_pages.post(current_user, department, values.get("title"), values.get("body"))
    except suggestion_pages.SuggestionRefused as exc:
        db.session.rollback()
        return render(
            SUGGESTIONS_TEMPLATE,
            "suggestions_main",
            status=422,
            **_suggestions_context(
                department, errors={"title": str(exc)}, values=values, notice=str(exc)
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
    suggestion = suggestion_pages.get(department, suggestion_id)
    if suggestion is None:
        abort(404)
    return department, suggestion


@bp.post("/d/<slug>/suggestions/<int:suggestion_id>/vote")
def suggestion_vote(slug: str, suggestion_id: int):
    department, suggestion = _suggestion_or_404(slug, suggestion_id)
    added = suggestion_pages.vote(current_user, suggestion)
    message = "Your vote is counted." if added else "You have already voted for this."
    if is_htmx():
        context = _suggestions_context(department)
        response = render(
            SUGGESTIONS_TEMPLATE,
            "suggestion_item",
            status=200 if added else 409,
            s=suggestion,
            item_notice=message,
            **context,
        )
        return response
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
        abort(404)
    values = request.form.to_dict()
    try:
        suggestion_pages.answer(
            current_user, suggestion, values.get("status", ""), values.get("reply", "")
        )
    except suggestion_pages.SuggestionRefused as exc:
        db.session.rollback()
        return render(
            SUGGESTIONS_TEMPLATE,
            "suggestions_main",
            status=422,
            **_suggestions_context(
                department,
                errors={f"reply-{suggestion.id}": str(exc)},
                values={f"reply-{suggestion.id}": values.get("reply", "")},
                notice=str(exc),
            ),
        )
    if is_htmx():
        return render(
            SUGGESTIONS_TEMPLATE,
            "suggestions_main",
            **_suggestions_context(department, notice="Status and reply saved."),
        )
    return redirect(url_for("feedback.suggestions", slug=department.slug), code=303)
