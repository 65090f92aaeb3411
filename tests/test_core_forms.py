"""The base Form (portal/core/forms.py): what every form of the portal gets."""

from __future__ import annotations

from wtforms import StringField

from portal.core.forms import Form


class _Example(Form):
    name = StringField("Name")


def test_two_forms_on_one_page_hold_no_duplicate_csrf_id(app):
    with app.test_request_context("/"):
        html = str(_Example().csrf_token) + str(_Example(prefix="other").csrf_token)
    assert 'name="csrf_token"' in html and 'name="other-csrf_token"' in html
    assert " id=" not in html
    assert 'type="hidden"' in html and "value=" in html
