"""/admin/synonyms: the portal's synonym list, for portal admins (thin views over
synonyms.py; plain forms, POST then 303, 422 with the message beside the field)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.admin import bp, synonyms
from portal.admin.forms import SynonymForm
from portal.core.errors import Refused
from portal.htmx import render

PAGE = "admin/synonyms.html"


def _page(form: SynonymForm, status: int = 200, editing: int | None = None, edit_form=None):
    return render(
        PAGE,
        status=status,
        form=form,
        groups=synonyms.all_synonyms(current_user),
        editing=editing,
        edit_form=edit_form,
    )


@bp.get("/admin/synonyms")
def synonyms_page():
    return _page(SynonymForm(formdata=None))


@bp.post("/admin/synonyms")
def add_synonyms():
    form = SynonymForm(formdata=request.form)
    if form.validate():
        try:
            group = synonyms.add_synonyms(current_user, form.words.data)
        except Refused as exc:
            form.words.errors = [exc.message]
        else:
            flash(f"Added: {group.words}.")
            return redirect(url_for("admin.synonyms_page"), code=303)
    return _page(form, 422)


@bp.post("/admin/synonyms/<int:synonym_id>")
def change_synonyms(synonym_id: int):
    form = SynonymForm(formdata=request.form)
    if form.validate():
        try:
            group = synonyms.change_synonyms(current_user, synonym_id, form.words.data)
        except Refused as exc:
            form.words.errors = [exc.message]
        else:
            flash(f"Saved: {group.words}.")
            return redirect(url_for("admin.synonyms_page"), code=303)
    return _page(SynonymForm(formdata=None), 422, editing=synonym_id, edit_form=form)


@bp.post("/admin/synonyms/<int:synonym_id>/delete")
def remove_synonyms(synonym_id: int):
    synonyms.remove_synonyms(current_user, synonym_id)
    flash("Removed.")
    return redirect(url_for("admin.synonyms_page"), code=303)
