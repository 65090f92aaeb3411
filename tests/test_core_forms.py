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


class _LooksUp(Form):
    """A field whose own rule would take the text to the database (as a colleague picker
    does): NUL must never get that far (PostgreSQL refuses it with an error)."""

    colleague = StringField("Colleague")
    reached: list[str] = []

    def validate_colleague(self, field):
        _LooksUp.reached.append(field.data)


def test_a_control_character_is_refused_before_the_fields_own_rules(app):
    _LooksUp.reached.clear()
    with app.test_request_context(
        "/", method="POST", data={"colleague": "ivan\x00@example.com"}
    ):
        form = _LooksUp(meta={"csrf": False})
        assert not form.validate()
    assert form.colleague.errors == ["Remove the invisible control characters from this text."]
    assert _LooksUp.reached == []


def test_a_clean_field_still_runs_its_own_rules(app):
    _LooksUp.reached.clear()
    with app.test_request_context("/", method="POST", data={"colleague": "ivan@example.com"}):
        assert _LooksUp(meta={"csrf": False}).validate()
    assert _LooksUp.reached == ["ivan@example.com"]


def test_a_search_drops_control_characters_instead_of_refusing():
    from portal.core.text import without_control_characters

    assert without_control_characters("pat\x00 \x7fsmith") == "pat smith"
