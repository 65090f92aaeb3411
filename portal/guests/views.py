"""Guests' pages: a guest's own home and department pages, the invitation link, the
sponsor's list (/manage/<dept>/guests), the admins' list (/admin/guests) and their CSV
upload (/admin/guests/import: check, then invite; the file kept between the two steps like
the org import's)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_login import current_user

from portal import errors
from portal.accounts.services import sign_in
from portal.admin import org_import
from portal.core.errors import Refused
from portal.core.guest_access import guests_allowed
from portal.core.policy import is_admin
from portal.guests import bp
from portal.guests.forms import (
    AcceptForm,
    EndForm,
    ExtendForm,
    GuestImportApplyForm,
    GuestImportForm,
    InviteForm,
)
from portal.guests.services import (
    acceptance,
    access_end,
    importing,
    invitations,
    listing,
    partner_pages,
    partners,
    sponsorship,
)
from portal.htmx import render
from portal.manage.services.access import managed_department


@bp.app_template_global("partner_of")
def partner_of(person) -> str | None:
    """The organisation a guest represents (None for employees), by user or user id; read
    once per request and person."""
    if person is None:
        return None
    if not isinstance(person, int):
        if not getattr(person, "is_guest", False):
            return None
        person = person.id
    known = g.setdefault("partner_organisations", {})
    if person not in known:
        known.update(dict.fromkeys([person]) | partners.organisations_of([person]))
    return known[person]


@bp.app_template_filter("last_day_of_access")
def last_day_of_access(guest, department=None) -> str:
    """The last day of a guest's access as their sponsor chose it, "5 April 2027" (pages and
    e-mails; `department` for a guest not yet stored, whose sponsor is not loaded)."""
    day = access_end.last_day(guest.expires_at, department or guest.sponsor_department)
    return access_end.in_words(day)


@bp.get("/partners")
@guests_allowed
def home():
    return render("guests/home.html", pages=partner_pages.partner_pages(current_user))


@bp.get("/partners/<slug>")
@guests_allowed
def department(slug: str):
    page = partner_pages.partner_page(current_user, slug)
    return render("guests/department.html", page=page)


@bp.route("/guests/accept/<token>", methods=["GET", "POST"])
@guests_allowed
def accept(token: str):
    guest = invitations.read_token(token)  # NotFound: forged, expired or used
    if request.method != "POST":
        form = AcceptForm(formdata=None)
        return render("guests/accept.html", form=form, guest=guest, token=token)
    form = AcceptForm(formdata=request.form)
    if not form.validate():
        return render("guests/accept.html", form=form, guest=guest, token=token, status=422)
    user = acceptance.accept(token, form.password.data)
    sign_in(user, remember=False)
    flash(f"Welcome, {user.first_name}. This is what {guest.sponsor_department.name} offers you.")
    return redirect(url_for("guests.home"), code=303)


def _sponsor_page(department, invite_form=None, status: int = 200, **extra):
    return render(
        "guests/sponsored.html",
        department=department,
        guests=sponsorship.guests_of(department),
        invite_form=invite_form or InviteForm(formdata=None),
        status=status,
        **extra,
    )


@bp.get("/manage/<dept>/guests")
def sponsored(dept: str):
    return _sponsor_page(managed_department(current_user, dept))


@bp.post("/manage/<dept>/guests")
def invite(dept: str):
    department = managed_department(current_user, dept)
    form = InviteForm(formdata=request.form)
    if not form.validate():
        return _sponsor_page(department, form, status=422)
    try:
        guest = invitations.invite(current_user, department, form.invitation())
    except Refused as exc:
        getattr(form, exc.field or "email").errors = [exc.message]
        return _sponsor_page(department, form, status=422)
    flash(f"Invitation sent to {guest.user.email}.")
    return redirect(url_for("guests.sponsored", dept=department.slug), code=303)


@bp.post("/manage/<dept>/guests/<int:guest_id>/extend")
def extend(dept: str, guest_id: int):
    department = managed_department(current_user, dept)
    form = ExtendForm(formdata=request.form)
    guest = sponsorship.sponsored_guest(current_user, department, guest_id)
    if not form.validate():
        return _sponsor_page(department, status=422, problem=(guest.id, form.expires_on.errors[0]))
    until = form.expires_on.data
    try:
        sponsorship.extend(current_user, department, guest_id, until)
    except Refused as exc:
        return _sponsor_page(department, status=422, problem=(guest.id, exc.message))
    flash(f"{guest.user.name}’s access now lasts until {access_end.in_words(until)}.")
    return redirect(url_for("guests.sponsored", dept=department.slug), code=303)


@bp.post("/manage/<dept>/guests/<int:guest_id>/end")
def end(dept: str, guest_id: int):
    department = managed_department(current_user, dept)
    EndForm(formdata=request.form).validate()  # CSRF is checked app-wide
    guest = sponsorship.end(current_user, department, guest_id)
    flash(f"{guest.user.name}’s access has ended; they are signed out everywhere.")
    return redirect(url_for("guests.sponsored", dept=department.slug), code=303)


@bp.get("/admin/guests")
def admin_list():
    filters = listing.GuestFilters.from_args(request.args)
    return render(
        "guests/admin_list.html",
        result=listing.admin_guests(current_user, filters),
        filters=filters,
    )


# The admins' CSV upload -------------------------------------------------------------------

IMPORT = "guests/import.html"


def _import_form(form: GuestImportForm) -> GuestImportForm:
    form.department.choices = [("", "Choose a department"), *importing.sponsor_choices()]
    return form


def _import_page(form: GuestImportForm, status: int = 200, **extra):
    return render(
        IMPORT,
        form=_import_form(form),
        max_size=org_import.size_words(org_import.max_bytes()),
        columns=importing.COLUMNS,
        example_day=importing.example_expiry(),
        status=status,
        **{"result": None, **extra},
    )


def _refused(form: GuestImportForm, exc: Refused, status: int = 422):
    getattr(form, exc.field or "file").errors = [exc.message]
    return _import_page(form, status)


@bp.get("/admin/guests/import")
def import_page():
    importing.sponsoring_allowed(current_user)
    return _import_page(GuestImportForm(formdata=None))


@bp.errorhandler(413)
def _import_too_large(error):
    return errors.oversize_upload(
        "guests.import_check",
        lambda: _refused(GuestImportForm(formdata=None), Refused(importing.too_large()), 413),
        may_see=lambda: is_admin(current_user),
    )


@bp.post("/admin/guests/import")
def import_check():
    importing.sponsoring_allowed(current_user)
    form = GuestImportForm()
    if not form.validate():
        return _import_page(form, 422)
    upload = form.file.data
    data = upload.stream.read(org_import.max_bytes() + 1)
    filename = (upload.filename or "")[:200]
    try:
        department, sponsor = importing.sponsoring(
            current_user, form.department.data, form.sponsor.data
        )
        if len(data) > org_import.max_bytes():
            return _refused(form, Refused(importing.too_large()), 413)
        result = importing.read(data)
    except Refused as exc:
        return _refused(form, exc)
    token = None if result.errors else org_import.keep_upload(current_user, data, filename)
    return _import_page(
        form, 422 if result.errors else 200, result=result, filename=filename, token=token,
        department=department, sponsor=sponsor, apply_form=GuestImportApplyForm(formdata=None),
    )


@bp.post("/admin/guests/import/apply")
def import_apply():
    importing.sponsoring_allowed(current_user)
    form = GuestImportApplyForm()
    if not form.validate():
        abort(400)
    page = _import_form(GuestImportForm(formdata=None))
    page.department.data, page.sponsor.data = form.department.data, form.sponsor.data
    try:
        department, sponsor = importing.sponsoring(
            current_user, form.department.data, form.sponsor.data
        )
        upload = org_import.take_upload(current_user, form.token.data)
        result = importing.read(upload.content)
    except Refused as exc:
        return _refused(page, exc)
    if result.errors or not result.rows:  # changed since the check: nothing is imported
        return _import_page(
            page, 422, result=result, filename=upload.filename, token=None,
            department=department, sponsor=sponsor,
        )
    invited = importing.apply(current_user, department, sponsor, result, upload.filename)
    org_import.forget_upload(upload)
    flash(
        f"{invited} guest{'' if invited == 1 else 's'} of {department.name} invited from "
        f"{upload.filename or 'the file'}; each has their own link by e-mail."
    )
    return redirect(url_for("guests.admin_list", department=department.id), code=303)
