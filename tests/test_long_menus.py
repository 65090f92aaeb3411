"""Long menus (300 departments, 600 time zones, every service) are drawn by the field
macro's own loop (`options=`), not by WTForms' widget, whose work per option cost 5 ms for
300 departments: the same markup, the same option chosen, on every page that has one."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from portal.core.forms import Form
from portal.extensions import db
from portal.models import Department

MACRO = '{% from "_macros/forms.html" import field %}'


class _Menu(Form):
    choice = SelectField("Choose one", validate_choice=False)


CHOICES = {
    "select choices": [
        SelectChoice("", "Choose…"),
        SelectChoice("12", "Sales & <Marketing>"),
        SelectChoice("Europe/Berlin", "Europe/Berlin"),
        SelectChoice("x", "“Quoted”"),
    ],
    "pairs": [("", "Choose…"), ("12", "Sales & <Marketing>"), ("it", "IT (stays here)")],
}


@pytest.mark.parametrize("kind", list(CHOICES))
@pytest.mark.parametrize("sent", [None, "", "12", "Europe/Berlin", "it", "not-offered"])
@pytest.mark.parametrize("hint", [None, "A hint"])
def test_the_loop_draws_what_the_widget_draws(app, kind, sent, hint):
    formdata = None if sent is None else {"choice": sent}
    with app.test_request_context("/", method="POST", data=formdata or {}):
        form = _Menu(formdata=None) if formdata is None else _Menu()
        form.choice.choices = CHOICES[kind]
        form.validate()
        if sent == "not-offered":
            form.choice.errors = ["Choose one of the departments."]
        widget = render_template_string(
            MACRO + "{{ field(f, hint=hint) }}", f=form.choice, hint=hint
        )
        loop = render_template_string(
            MACRO + "{{ field(f, hint=hint, options=f.choices) }}", f=form.choice, hint=hint
        )
    assert loop == widget
    assert "&lt;Marketing&gt;" in loop and "<Marketing>" not in loop
    offered = [tuple(choice)[0] for choice in CHOICES[kind]]
    chosen = re.findall(r'<option selected value="([^"]*)"', loop)
    assert chosen == [value for value in offered if value == form.choice.data]
    if sent in offered:
        assert chosen == [sent]


def test_the_manage_page_draws_its_time_zone_and_country_menus_with_the_choice_kept(
    app, make_department, make_user, login, client
):
    it = make_department(slug="it", name="IT")
    it.timezone, it.holiday_country = "Europe/Berlin", "DE"
    db.session.commit()
    login(make_user(roles={it: "manager"}))
    html = client.get("/manage/it?edit=calendar").get_data(as_text=True)
    assert '<option selected value="Europe/Berlin">Europe/Berlin</option>' in html
    assert re.search(r'<option selected value="DE">Germany \(DE\)</option>', html)
    assert html.count('<option selected value="') >= 2


def test_the_service_accounts_menu_keeps_the_department_chosen(
    app, make_department, make_user, login, client, csrf
):
    make_department(slug="it", name="IT")
    sales = make_department(slug="sales", name="Sales")
    login(make_user(is_admin=True))
    page = client.get("/admin/service-accounts")
    assert page.status_code == 200
    sent = client.post(
        "/admin/service-accounts",
        data={"csrf_token": csrf("/admin/service-accounts"), "name": "",
              "department": str(sales.id), "role": "agent"},
    )
    assert sent.status_code == 422
    html = sent.get_data(as_text=True)
    assert f'<option selected value="{sales.id}">Sales</option>' in html
    assert db.session.query(Department).count() == 2


def test_the_merge_menu_keeps_the_department_chosen_when_the_box_is_not_ticked(
    app, make_department, make_user, login, client, csrf
):
    it = make_department(slug="it", name="IT")
    hr = make_department(slug="hr", name="HR")
    login(make_user(is_admin=True))
    page = client.get(f"/admin/departments/{it.id}")
    assert '<option value="0">Choose a department</option>' in page.get_data(as_text=True)
    sent = client.post(
        f"/admin/departments/{it.id}/merge",
        data={"csrf_token": csrf(f"/admin/departments/{it.id}"), "target": str(hr.id)},
    )
    assert sent.status_code == 422
    html = sent.get_data(as_text=True)
    assert f'<option selected value="{hr.id}">HR</option>' in html
    assert "Tick the box to confirm the merge." in html
    assert db.session.get(Department, it.id).active
