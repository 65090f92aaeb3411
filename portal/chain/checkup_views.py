"""A relationship check-up's page (/chain/checkups/<id>): the invited answer, both
departments read the results, the serving manager says what they'll change. Opening one
is on the manage page (portal/manage/views/chain_links.py). Rules:
portal/chain/services/checkups.py."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.chain import bp
from portal.chain.services import checkups
from portal.core.errors import Refused
from portal.core.policy import manages
from portal.extensions import db
from portal.feedback import checkins
from portal.feedback.forms import AnswerForm, RespondForm
from portal.htmx import is_htmx, render
from portal.models import Department

TEMPLATE = "chain/checkup.html"


def _page(ci, status: int = 200, **extra):
    server = db.session.get(Department, ci.department_id)
    client = db.session.get(Department, ci.served_department_id)
    invite = checkins.invite_of(current_user, ci)
    return render(
        TEMPLATE,
        "checkup_main",
        status=status,
        ci=ci,
        server=server,
        client=client,
        invite=invite,
        is_open=checkins.is_open(ci),
        results=checkins.results(current_user, ci, server),
        can_manage=manages(current_user, server),
        questions=checkups.QUESTIONS,
        release_batch=checkins.RELEASE_BATCH,
        values=extra.pop("values", {}),
        errors=extra.pop("errors", {}),
        form_name=extra.pop("form_name", ""),
        **extra,
    )


def _done(ci, message: str):
    if is_htmx():
        return _page(ci, notice=message)
    flash(message)
    return redirect(url_for("chain.checkup", checkup_id=ci.id), code=303)


def _refused(ci, exc: Refused, form_name: str):
    values = {k: v for k, v in request.form.items() if k != "csrf_token"}
    return _page(
        ci, 422, notice=exc.message, errors={exc.field or "": exc.message},
        values=values, form_name=form_name,
    )


@bp.get("/chain/checkups/<int:checkup_id>")
def checkup(checkup_id: int):
    return _page(checkups.get_checkup(current_user, checkup_id))


@bp.post("/chain/checkups/<int:checkup_id>/answer")
def checkup_answer(checkup_id: int):
    ci = checkups.get_checkup(current_user, checkup_id)
    form = AnswerForm(formdata=request.form)
    try:
        if not form.validate():
            raise Refused("The form expired. Reload the page and try again.")
        checkups.answer(
            current_user, ci, form.score.data, form.best.data, form.obstacles.data,
            request.form.get("extra_0", ""),
        )
    except Refused as exc:
        return _refused(ci, exc, "answer")
    return _done(ci, "Thank you — your answers were recorded anonymously.")


@bp.post("/chain/checkups/<int:checkup_id>/respond")
def checkup_respond(checkup_id: int):
    ci = checkups.get_checkup(current_user, checkup_id)
    form = RespondForm(formdata=request.form)
    try:
        if not form.validate():
            raise Refused("The form expired. Reload the page and try again.")
        checkups.respond(current_user, ci, form.will_change.data)
    except Refused as exc:
        return _refused(ci, exc, "respond")
    return _done(ci, "Your answer is published on both departments' pages.")
