from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.accounts import api_tokens, bp, oidc, oidc_sign_in, services, throttle
from portal.accounts.forms import SignInForm, TokenForm
from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.core.guest_access import guests_allowed
from portal.extensions import limiter
from portal.htmx import render

# Session keys of an OpenID Connect sign-in: the ID token (for sign-out at the provider)
# and where to go after the provider's answer.
_OIDC_ID_TOKEN = "oidc_id_token"  # noqa: S105  (a key's name, not a secret)
_OIDC_NEXT = "oidc_next"


def _failed_sign_in(response) -> bool:
    return response.status_code == 422


def _account_key() -> str:
    return "signin-account:" + services.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/login", methods=["GET", "POST"])
@guests_allowed
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
    # HEAD is a GET without the body (werkzeug answers it from the GET view).
    if request.method != "POST":
        target = services.safe_next(request.args.get("next"))
        if current_user.is_authenticated:
            return redirect(target or url_for("directory.home"))
        form = SignInForm(formdata=None)
        form.next.data = target or ""
        return render("accounts/login.html", form=form, oidc_on=oidc.is_on())
    form = SignInForm(formdata=request.form)
    if not form.validate():
        return render("accounts/login.html", "sign_in_form", form=form, status=422)
    email, address = services.normalise_email(form.email.data), request.remote_addr
    wait = throttle.wait_seconds(email, address)
    if wait:
        return _refused(form, _wait_message(wait), status=429, headers={"Retry-After": str(wait)})
    user = services.authenticate(form.email.data, form.password.data)
    if user is None:
        throttle.record_failure(email, address)
        return _refused(
            form, "The e-mail address or password is not right. Check both and try again."
        )
    throttle.record_success(email, address)
    services.sign_in(user, remember=form.remember.data)
    return redirect(services.safe_next(form.next.data) or url_for("directory.home"), code=303)


def _wait_message(seconds: int) -> str:
    wait = f"{seconds} seconds" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
    return f"Too many attempts from here: wait {wait}, then try again."


def _refused(form: SignInForm, message: str, status: int = 422, headers=None):
    form.email.errors = [*form.email.errors, message]
    form.password.data = ""
    response = render("accounts/login.html", "sign_in_form", form=form, status=status)
    response.headers.update(headers or {})
    return response


@bp.post("/logout")
@guests_allowed
def logout():
    id_token = session.get(_OIDC_ID_TOKEN)
    services.sign_out(current_user._get_current_object())
    session.clear()
    flash("You have signed out.")
    after = url_for("accounts.login", _external=True)
    # Signed in through the provider: sign out there too (RP-initiated logout).
    provider = oidc.end_session_url(id_token, after) if id_token and oidc.is_on() else None
    return redirect(provider or after, code=303)


# OpenID Connect sign-in (portal/accounts/oidc.py: the protocol; oidc_sign_in.py: who) ------

def _oidc_refused(reason: str):
    title, detail = oidc_sign_in.REFUSALS[reason]
    status = 503 if reason == "unavailable" else 403
    page = render_template("accounts/oidc_refused.html", status=status, title=title, detail=detail)
    return page, status


@bp.get("/login/oidc")
def oidc_start():
    if not oidc.is_on():
        raise NotFound
    if current_user.is_authenticated:
        return redirect(url_for("directory.home"))
    session[_OIDC_NEXT] = services.safe_next(request.args.get("next")) or ""
    try:
        return oidc.authorization_redirect(url_for("accounts.oidc_callback", _external=True))
    except oidc.ProviderUnavailable as exc:
        oidc_sign_in.refuse("unavailable", note=str(exc))
        return _oidc_refused("unavailable")


@bp.get("/login/oidc/callback")
def oidc_callback():
    if not oidc.is_on():
        raise NotFound
    try:
        claims, id_token = oidc.finish_callback()
    except oidc.ProviderUnavailable as exc:
        oidc_sign_in.refuse("unavailable", note=str(exc))
        return _oidc_refused("unavailable")
    except oidc.CallbackFailed as exc:
        oidc_sign_in.refuse("failed", note=exc.reason)
        return _oidc_refused("failed")
    outcome = oidc_sign_in.person_for(claims)
    if outcome.user is None:
        return _oidc_refused(outcome.refusal)
    target = services.safe_next(session.get(_OIDC_NEXT)) or url_for("directory.home")
    session.clear()  # a new session for the signed-in person (nothing carried over)
    services.sign_in(outcome.user, remember=False)
    session[_OIDC_ID_TOKEN] = id_token
    return redirect(target, code=303)


@bp.get("/people/<int:user_id>")
def profile(user_id: int):
    person = services.profile_for(user_id)
    if person is None:
        raise NotFound
    return render(
        "accounts/profile.html",
        person=person,
        contact_roles=services.contact_roles_of(person),
        manager=services.reports_to(person),
    )


@bp.get("/me")
def me():
    return redirect(url_for("accounts.profile", user_id=current_user.id))


# Personal access tokens (the REST API's credentials) ----------------------------------------


def _tokens_page(form: TokenForm, status: int = 200, **extra):
    tokens = api_tokens.tokens_of(current_user)
    now = clock.now()
    return render(
        "accounts/tokens.html",
        form=form,
        tokens=tokens,
        states={token.id: api_tokens.state_of(token, now) for token in tokens},
        status=status,
        **extra,
    )


@bp.get("/me/tokens")
def tokens():
    return _tokens_page(TokenForm(formdata=None))


@bp.post("/me/tokens")
def make_token():
    form = TokenForm(formdata=request.form)
    if not form.validate():
        return _tokens_page(form, status=422)
    try:
        token, text = api_tokens.issue(current_user, form.wanted())
    except Refused as exc:
        getattr(form, exc.field or "name").errors = [exc.message]
        return _tokens_page(form, status=422)
    # Shown on this answer only: it is never stored, so it cannot be shown again.
    response = _tokens_page(TokenForm(formdata=None), made=token, token_text=text)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/me/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    token = api_tokens.revoke(current_user, token_id)
    flash(f"The token “{token.name}” no longer works.")
    return redirect(url_for("accounts.tokens"), code=303)
