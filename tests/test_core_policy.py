"""The core policy's rules read directly (the areas call them; tests elsewhere go through pages)."""

from __future__ import annotations

from portal.core import policy
from portal.extensions import db
from tests import factories


def test_the_managers_of_a_department_are_its_active_managers_by_name(app):
    it = factories.make_department(slug="it", name="IT")
    hr = factories.make_department(slug="hr", name="HR")
    zoe = factories.make_user(name="Zoe Manager", roles={it: "manager"})
    amy = factories.make_user(name="Amy Manager", roles={it: "manager", hr: "agent"})
    gone = factories.make_user(name="Bea Left", roles={it: "manager"})
    factories.make_user(name="Ivan Agent", roles={it: "agent"})
    factories.make_user(name="Hugo Manager", roles={hr: "manager"})
    factories.make_user(name="Ada Admin", is_admin=True)  # may manage, manages nobody's team
    gone.active = False
    db.session.commit()

    assert policy.managers_of(it) == [amy, zoe]
    assert policy.managers_of(it.id) == [amy, zoe]  # a department or its id
    assert [m.name for m in policy.managers_of(hr)] == ["Hugo Manager"]
    assert policy.manages(factories.make_user(is_admin=True), it)  # …though admins may manage


def test_a_department_without_active_managers_has_none(app):
    it = factories.make_department(slug="it", name="IT")
    gone = factories.make_user(roles={it: "manager"})
    gone.active = False
    db.session.commit()
    assert policy.managers_of(it) == []
