"""Approval pages: "My approvals", one approval's decision page, the e-mailed link's
confirmation page (nothing changes on GET; the POST, with its CSRF token, decides) and
the admin's reassignment of an absent approver's approvals."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from portal.approvals.forms import DecisionForm, DelegateForm, ReassignForm
from portal.approvals.services import deciding, handing_on, links, waiting
from portal.core.errors import NotFound, Refused
from portal.core.policy import is_admin
from portal.htmx import render
from portal.models import Decision

bp = Blueprint("approvals", __name__)

DECIDE_TEMPLATE = "approvals/decide.html"
LINK_PROBLEM_TEMPLATE = "approvals/link_problem.html"


@bp.app_template_global("approval_panel_for")
def approval_panel_for(sr):
    """Who decides on a request (a global: macros imported without context use it too)."""
    return waiting.panel_for(sr)


@bp.get("/me/approvals")
def mine():
    return render("approvals/mine.html", rows=waiting.my_approvals(current_user))


def _decide_page(row, status: int = 200, **extra):
    context = {
        "row": row,
        "sr": row.request,
        "panel": waiting.panel_for(row.request),
        "form": extra.pop("form", None) or DecisionForm(formdata=None),
        "delegate_form": extra.pop("delegate_form", None) or DelegateForm(formdata=None),
        "token": None,
        "chosen": "",
        "problem": "",
    }
    context.update(extra)
    return render(DECIDE_TEMPLATE, status=status, **context)


@bp.get("/approvals/<int:approval_id>")
def show(approval_id: int):
    return _decide_page(deciding.approval_for(current_user, approval_id))


def _decided(row, approve: bool):
    word = "approved" if approve else "rejected"
    flash(f"You {word} {row.request.key}.", "ok")
    return redirect(url_for("approvals.mine"), code=303)


@bp.post("/approvals/<int:approval_id>/decide")
def decide(approval_id: int):
    row = deciding.approval_for(current_user, approval_id)
    form = DecisionForm()
    if not form.validate():
        return _decide_page(row, 422, form=form, chosen=form.decision.data or "")
    try:
        deciding.decide(current_user, row.id, form.approve, form.reason.data or "")
    except Refused as refused:
        return _refused(row, form, refused)
    return _decided(row, form.approve)


def _refused(row, form, refused: Refused, token: str | None = None):
    if refused.field in form._fields:
        form[refused.field].errors = [refused.message]
        problem = ""
    else:
        problem = refused.message
    return _decide_page(row, 422, form=form, token=token, chosen=form.decision.data or "",
                        problem=problem)


@bp.post("/approvals/<int:approval_id>/delegate")
def delegate(approval_id: int):
    row = deciding.approval_for(current_user, approval_id)
    form = DelegateForm()
    try:
        if not form.validate():
            raise Refused("Reload the page and try again.", "delegate_to")
        to = form.person("delegate_to")
        handing_on.delegate(current_user, row.id, to)
    except Refused as refused:
        form.delegate_to.errors = [refused.message]
        return _decide_page(row, 422, delegate_form=form)
    flash(f"You asked {to.name} to decide on {row.request.key}.", "ok")
    return redirect(url_for("approvals.mine"), code=303)


def _link_problem(kind: str):
    status = 400 if kind == "forged" else 410
    return render(LINK_PROBLEM_TEMPLATE, status=status, kind=kind)


def _link_row(token: str):
    claim = links.read(token)
    row = deciding.approval_for(current_user, claim.approval_id)
    if row.nonce != claim.nonce and row.decision is not Decision.SETTLED:
        raise links.LinkProblem("used")  # a settled row: the page says it is no longer needed
    return claim, row


@bp.route("/approvals/link/<token>", methods=["GET", "POST"])
def link(token: str):
    """GET shows what the link would do and changes nothing; the POST decides."""
    try:
        claim, row = _link_row(token)
    except links.LinkProblem as problem:
        return _link_problem(problem.kind)
    if request.method == "GET":
        form = DecisionForm(formdata=None, decision=claim.decision)
        return _decide_page(row, form=form, token=token, chosen=claim.decision)
    form = DecisionForm()
    if not form.validate():
        return _decide_page(row, 422, form=form, token=token, chosen=claim.decision)
    try:
        deciding.decide(
            current_user, row.id, form.approve, form.reason.data or "", nonce=claim.nonce
        )
    except links.LinkProblem as problem:
        return _link_problem(problem.kind)
    except Refused as refused:
        return _refused(row, form, refused, token)
    return _decided(row, form.approve)


@bp.route("/admin/approvals/reassign", methods=["GET", "POST"])
def reassign():
    if not is_admin(current_user):
        raise NotFound
    form = ReassignForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            change = form.change()
            moved = handing_on.reassign_all(current_user, change.absent, change.to)
        except Refused as refused:
            form[refused.field if refused.field in form._fields else "absent"].errors = [
                refused.message
            ]
            return render("approvals/reassign.html", status=422, form=form)
        flash(
            f"Moved {moved} approval{'s' if moved != 1 else ''} from {change.absent.name} "
            f"to {change.to.name}.",
            "ok",
        )
        return redirect(url_for("approvals.reassign"), code=303)
    return render("approvals/reassign.html", form=form)
