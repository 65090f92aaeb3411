"""Feedback pages: thin views over ratings.py, checkins.py and insights/suggestions.py.
Every form posts and redirects without JavaScript; with htmx the same template answers
with the block that changed."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from portal.feedback import ratings
from portal.htmx import is_htmx, render, trigger
from portal.service_requests import services as request_services

bp = Blueprint("feedback", __name__)

RATE_TEMPLATE = "feedback/rate.html"


@bp.app_context_processor
def _feedback_globals():
    def rating_panel_for(sr):
        return ratings.panel_for(current_user, sr)

    return {"rating_panel_for": rating_panel_for, "score_words": ratings.SCORE_WORDS}


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
