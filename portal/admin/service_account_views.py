"""/admin/service-accounts: service accounts for integrations and their API tokens, for
portal admins (thin views over service_accounts.py; plain forms, POST then 303, 422 with the
message beside the field; a new token's text is shown on that one answer only)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.accounts import api_tokens
from portal.accounts.forms import TokenForm
from portal.admin import bp, service_accounts
from portal.admin.forms import ConfirmForm, ServiceAccountForm
from portal.core import clock
from portal.core.errors import Refused
from portal.directory.services import active_departments
from portal.extensions import db
from portal.htmx import render

LIST = "admin/service_accounts.html"
ONE = "admin/service_account.html"


def _account_form(formdata=None) -> ServiceAccountForm:
    form = ServiceAccountForm(formdata=formdata)
    departments = db.session.scalars(active_departments())
    form.department.choices = [SelectChoice(d.id, d.name) for d in departments]
    return form


def _list_page(form: ServiceAccountForm, status: int = 200):
    accounts = service_accounts.service_accounts(current_user)
    return render(
        LIST,
        status=status,
        form=form,
        accounts=accounts,
        roles={a.id: service_accounts.role_of(a) for a in accounts},
    )


@bp.get("/admin/service-accounts")
def service_accounts_page():
    return _list_page(_account_form())


@bp.post("/admin/service-accounts")
def create_service_account():
    form = _account_form(request.form)
    if form.validate():
        try:
            account = service_accounts.create(current_user, form.wanted())
        except Refused as exc:
            getattr(form, exc.field or "name").errors = [exc.message]
        else:
            flash(f"Made the service account “{account.name}”. Now make a token for it.")
            return redirect(url_for("admin.service_account", account_id=account.id), code=303)
    return _list_page(form, 422)


def _account_page(account, form: TokenForm, status: int = 200, **extra):
    tokens = service_accounts.tokens_of(current_user, account)
    now = clock.now()
    return render(
        ONE,
        status=status,
        account=account,
        role=service_accounts.role_of(account),
        form=form,
        tokens=tokens,
        states={token.id: api_tokens.state_of(token, now) for token in tokens},
        confirm=ConfirmForm(formdata=None),
        **extra,
    )


@bp.get("/admin/service-accounts/<int:account_id>")
def service_account(account_id: int):
    account = service_accounts.get(current_user, account_id)
    return _account_page(account, TokenForm(formdata=None))


@bp.post("/admin/service-accounts/<int:account_id>/tokens")
def make_service_token(account_id: int):
    account = service_accounts.get(current_user, account_id)
    form = TokenForm(formdata=request.form)
    if not form.validate():
        return _account_page(account, form, 422)
    try:
        token, text = service_accounts.issue_token(current_user, account, form.wanted())
    except Refused as exc:
        getattr(form, exc.field or "name").errors = [exc.message]
        return _account_page(account, form, 422)
    response = _account_page(account, TokenForm(formdata=None), made=token, token_text=text)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/admin/service-accounts/<int:account_id>/tokens/<int:token_id>/revoke")
def revoke_service_token(account_id: int, token_id: int):
    account = service_accounts.get(current_user, account_id)
    token = service_accounts.revoke_token(current_user, account, token_id)
    flash(f"The token “{token.name}” no longer works.")
    return redirect(url_for("admin.service_account", account_id=account.id), code=303)


@bp.post("/admin/service-accounts/<int:account_id>/active")
def switch_service_account(account_id: int):
    account = service_accounts.get(current_user, account_id)
    form = ConfirmForm(formdata=request.form)
    wanted = request.form.get("active")
    if not form.validate() or wanted not in ("yes", "no"):
        abort(400)
    on = wanted == "yes"
    if service_accounts.set_active(current_user, account, on):
        flash(
            f"“{account.name}” works again." if on else f"“{account.name}” and its tokens are off."
        )
    return redirect(url_for("admin.service_account", account_id=account.id), code=303)
