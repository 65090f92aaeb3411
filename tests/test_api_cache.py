"""The API's cached answers (issue 19, speed): a department's JSON is the same for every
reader and kept a few seconds, forgotten at once by a change of the directory and never
kept past its "open now" change; "my requests" is kept per reader under the same list
stamps as the page's list, so a new or changed request shows at once."""

from __future__ import annotations

import pytest

from portal.accounts import api_tokens
from portal.directory.fragments import directory_changed
from portal.extensions import db
from portal.models import RequestStatus, TokenScope
from portal.service_requests.services import lifecycle
from tests import factories, worlds

REDIS = {"CACHE_TYPE": "RedisCache"}


def bearer(user) -> dict:
    _row, text = api_tokens.issue(user, api_tokens.NewToken("Bot", TokenScope.READ, 30))
    return {"Authorization": f"Bearer {text}"}


@pytest.mark.parametrize("cached_app", [{}, REDIS], indirect=True, ids=["process", "redis"])
def test_a_department_is_kept_until_the_directory_changes(cached_app):
    desk = worlds.it_desk()
    client, headers = cached_app.test_client(), bearer(desk.erin)
    first = client.get("/api/v1/departments/it", headers=headers).get_json()
    desk.it.name = "IT Service Desk"
    db.session.commit()
    assert client.get("/api/v1/departments/it", headers=headers).get_json() == first  # kept
    directory_changed()
    again = client.get("/api/v1/departments/it", headers=headers).get_json()
    assert again["name"] == "IT Service Desk"
    assert again["open_now"] == first["open_now"]


@pytest.mark.parametrize("cached_app", [{}, REDIS], indirect=True, ids=["process", "redis"])
def test_my_requests_show_a_new_and_a_changed_request_at_once(cached_app):
    desk = worlds.it_desk()
    client, headers = cached_app.test_client(), bearer(desk.erin)
    assert client.get("/api/v1/requests?mine", headers=headers).get_json()["requests"] == []
    sr = factories.make_request(desk.laptop, desk.erin)
    [row] = client.get("/api/v1/requests?mine", headers=headers).get_json()["requests"]
    assert (row["key"], row["status"]) == (sr.key, "new")
    lifecycle.change_status(sr, desk.ivan, RequestStatus.IN_PROGRESS)
    [row] = client.get("/api/v1/requests?mine", headers=headers).get_json()["requests"]
    assert row["status"] == "in_progress"
    other = client.get("/api/v1/requests?mine", headers=bearer(desk.iris)).get_json()
    assert other["requests"] == []  # kept per reader: Iris's list is her own
