"""Rendered directory fragments are cached briefly, and a change clears them (in
`cached_app`, tests/worlds.py: an app with its caches on)."""

from __future__ import annotations

from sqlalchemy import select

from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import SearchMiss


def signed_in_client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
    return client


def test_department_page_is_served_from_cache_until_the_directory_changes(
    cached_app, make_department, make_user
):
    department = make_department(slug="it", name="IT", mission="Before")
    client = signed_in_client(cached_app, make_user())
    assert "Before" in client.get("/d/it").get_data(as_text=True)
    department.mission = "After"
    db.session.commit()
    assert "Before" in client.get("/d/it").get_data(as_text=True)  # cached
    directory_changed()
    assert "After" in client.get("/d/it").get_data(as_text=True)


def test_cached_page_still_has_the_readers_own_header(cached_app, make_department, make_user):
    make_department(slug="it", name="IT")
    first = signed_in_client(cached_app, make_user(name="Erin Walsh"))
    second = signed_in_client(cached_app, make_user(name="Ivan Petrov"))
    assert "Erin" in first.get("/d/it").get_data(as_text=True)
    html = second.get("/d/it").get_data(as_text=True)
    assert "Ivan" in html and "Erin" not in html


def test_unknown_department_is_not_cached_as_a_page(cached_app, make_user, make_department):
    client = signed_in_client(cached_app, make_user())
    assert client.get("/d/later").status_code == 404
    make_department(slug="later")
    assert client.get("/d/later").status_code == 200


def test_a_cached_search_miss_is_still_counted_every_time(cached_app, make_user):
    client = signed_in_client(cached_app, make_user())
    for _ in range(3):
        response = client.get(
            "/search?q=Nothing+here&box=header-search", headers={"HX-Request": "true"}
        )
        assert response.status_code == 200 and b"<html" not in response.data
    miss = db.session.scalar(select(SearchMiss).where(SearchMiss.query == "nothing here"))
    assert miss is not None and miss.count == 3
