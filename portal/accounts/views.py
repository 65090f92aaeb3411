from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from portal.accounts import bp, services
from portal.accounts.forms import SignInForm
from portal.extensions import limiter
from portal.htmx import render


def _failed_sign_in(response) -> bool:
    return response.status_code == 422


def _account_key() -> str:
    return "signin-account:" + services.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGNIN_ADDRESS_LIMIT"],
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
@limiter.limit(
    lambda: current_app.config["SIGNIN_ACCOUNT_LIMIT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(services.safe_next(request.args.get("next")) or url_for("directory.home"))
    form = SignInForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.next.data = services.safe_next(request.args.get("next")) or ""
        return render("accounts/login.html", form=form)
    if not form.validate():
        return render("accounts/login.html", "sign_in_form", form=form, status=422)
    user = services.authenticate(form.email.data, form.password.data)
    if user is None:
        form.email.errors = list(form.email.errors) + [
            "The e-mail address or password is not right. Check both and try again."
        ]
        form.password.data = ""
        return render("accounts/login.html", "sign_in_form", form=form, status=422)
    services.sign_in(user, remember=form.remember.data)
    return redirect(services.safe_next(form.next.data) or url_for("directory.home"), code=303)


@bp.post("/logout")
def logout():
    services.sign_out(current_user._get_current_object())
    flash("You have signed out.")
    return redirect(url_for("accounts.login"), code=303)


@bp.get("/people/<int:user_id>")
def profile(user_id: int):
    person = services.profile_for(user_id)
    if person is None:
        abort(404)
    return render(
        "accounts/profile.html",
        person=person,
        contact_roles=services.contact_roles_of(person),
        manager=services.reports_to(person),
    )


@bp.get("/me")
def me():
    return redirect(url_for("accounts.profile", user_id=current_user.id))
