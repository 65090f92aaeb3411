"""Issue 12 on the manage pages: ids that are not ids (items 7 and 8) and control characters
(item 9) answer 404 or 422, never 500, and store nothing."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from portal.extensions import db
from portal.manage.services.form_builder import FieldChange, add_field
from portal.models import Contact, Department, RequestField
from tests import factories

HX = {"HX-Request": "true"}
TWENTY_DIGITS = "9" * 20
HOSTILE_IDS = ["²", "-1", "0", TWENTY_DIGITS, "99999999999", "1e3", "%00"]


@pytest.fixture
def world(app):
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    iris = factories.make_user(name="Iris Novak", email="iris@example.com", roles={it: "manager"})
    laptop = factories.make_service(it, name="New laptop", slug="new-laptop")
    field = add_field(iris, it, laptop, FieldChange(label="Which?", kind="choice", options="A\nB"))
    return dict(it=it, iris=iris, laptop=laptop, field=field)


def every_manage_route_with(app, value: str) -> list[tuple[str, str]]:
    """Every manage route that takes an id, with `value` in place of each id."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            ids = [a for a in rule.arguments if a.endswith("_id")]
            if not rule.endpoint.startswith("manage.") or not ids:
                continue
            url = url_for(rule.endpoint, dept="it", **{a: 1 for a in ids})
            url = re.sub(r"/1(?=/|$)", f"/{value}", url)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, url))
    return found


@pytest.mark.parametrize("value", [TWENTY_DIGITS, "2147483648", "0", "-1"])
def test_ids_past_the_column_in_manage_paths_are_404(app, client, login, csrf, world, value):
    login(world["iris"])
    token = csrf("/manage/it")
    routes = every_manage_route_with(app, value)
    assert ("POST", f"/manage/it/services/{value}/details") in routes
    for method, url in routes:
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 404, (method, url)


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_a_hostile_field_parameter_is_ignored(client, login, csrf, world, value):
    login(world["iris"])
    url = f"/manage/it/services/{world['laptop'].id}"
    assert client.get(url, query_string={"field": value}).status_code == 200
    response = client.post(
        f"{url}/fields/preview",
        query_string={"field": value},
        data={"csrf_token": csrf(url), "field-label": "Desk", "field-kind": "short_text"},
        headers=HX,
    )
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_a_contact_for_a_hostile_service_id_is_refused(client, login, csrf, world, value):
    login(world["iris"])
    response = client.post(
        "/manage/it/contacts",
        data={
            "csrf_token": csrf("/manage/it"),
            "label": "Desk",
            "mailbox": "it@example.com",
            "service_id": value,
        },
        headers=HX,
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/manage/it/details", {"mission": "Fix\x00it"}, "mission"),
        ("/manage/it/details", {"location": "Floor\x1b2"}, "location"),
        ("/manage/it/contacts", {"label": "De\x00sk", "mailbox": "it@example.com"}, "label"),
    ],
)
def test_control_characters_in_manage_text_are_422_beside_the_field(
    client, login, csrf, world, path, data, field
):
    login(world["iris"])
    response = client.post(path, data={"csrf_token": csrf("/manage/it"), **data}, headers=HX)
    assert response.status_code == 422
    assert "control characters" in response.get_data(as_text=True)
    db.session.expire_all()
    it = db.session.get(Department, world["it"].id)
    assert "\x00" not in (it.mission or "") and "\x1b" not in (it.location or "")
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0


def test_a_question_with_a_nul_is_refused(client, login, csrf, world):
    login(world["iris"])
    url = f"/manage/it/services/{world['laptop'].id}"
    response = client.post(
        f"{url}/fields",
        data={"csrf_token": csrf(url), "field-label": "Wh\x00ich", "field-kind": "short_text"},
        headers=HX,
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(RequestField)) == 1
