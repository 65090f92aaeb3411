"""/admin/synonyms: the portal's synonym list (issue 14 item 2): admins only, audited,
CSRF, 422 with the message beside the field and the input kept; search uses it at once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.directory import search
from portal.extensions import db
from portal.models import AuditEntry, SearchSynonym
from tests.conftest import csrf_token_from


@pytest.fixture
def admin(make_user, login):
    return login(make_user(name="Ada Admin", is_admin=True))


def _post(client, url, data):
    token = csrf_token_from(client.get("/admin/synonyms").text)
    return client.post(url, data={"csrf_token": token, **data})


def test_an_admin_adds_changes_and_removes_a_group_audited(app, client, admin, make_department,
                                                            make_service):
    it = make_department(name="IT", slug="it")
    make_service(it, name="Printer help", slug="printer-help")
    assert search.search_directory("photocopier", record=False).is_empty
    response = _post(client, "/admin/synonyms", {"words": "Printer, photocopier  printer"})
    assert response.status_code == 303
    group = db.session.scalar(select(SearchSynonym).where(
        SearchSynonym.words.contains("photocopier")))
    assert group.words == "printer photocopier"
    assert search.search_directory("photocopier", record=False).services  # at once
    edited = _post(client, f"/admin/synonyms/{group.id}", {"words": "printer copier"})
    assert edited.status_code == 303
    assert _post(client, f"/admin/synonyms/{group.id}/delete", {}).status_code == 303
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.startswith("synonym")).order_by(AuditEntry.id)).all()
    assert actions == ["synonym.create", "synonym.update", "synonym.delete"]


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("", "Enter two or more words."),
        ("printer", "at least two words"),
        ("e-mail email", "Use single words"),
        ("x " * 200, "at most 300 characters"),
    ],
)
def test_bad_groups_are_refused_beside_the_field(app, client, admin, words, message):
    response = _post(client, "/admin/synonyms", {"words": words})
    assert response.status_code == 422
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    if words.strip():
        assert f'value="{words.strip()[:20]}' in response.text or words[:10] in response.text
    assert db.session.scalar(select(SearchSynonym).where(SearchSynonym.words.contains(
        "printer "))) is None


def test_a_post_without_the_csrf_token_is_refused(app, client, admin):
    response = client.post("/admin/synonyms", data={"words": "a b"})
    assert response.status_code == 400
    assert db.session.scalar(select(SearchSynonym).where(SearchSynonym.words == "a b")) is None


def test_only_admins_see_or_change_the_list(app, client, make_user, login):
    login(make_user(name="Erin Employee"))
    assert client.get("/admin/synonyms").status_code == 404
    assert client.post("/admin/synonyms", data={"words": "a b"}).status_code in (400, 404)
