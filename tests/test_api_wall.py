"""The REST API's wall and scorecards (issue 19): a token reads the wall with its filters
and pages, thanks colleagues and teams through the wall's own rules, reacts and joins in
(idempotently), reads a scorecard; a post the person may not see is 404 as on the wall."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.accounts import api_tokens
from portal.extensions import db
from portal.models import Reaction, Recognition, TokenScope
from portal.recognition.services import posting
from tests.statements import count_statements

PROBLEM = "application/problem+json"


def token(user, scope=TokenScope.READ_WRITE) -> dict:
    _row, text = api_tokens.issue(user, api_tokens.NewToken("Bot", scope, 30))
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def wall(worlds):
    return worlds.wall()


def thank(client, headers, **body):
    return client.post("/api/v1/recognitions", json=body, headers=headers)


def posts() -> int:
    return db.session.scalar(select(func.count()).select_from(Recognition))


def test_a_token_thanks_a_colleague_and_a_team_and_reads_it_back(client, wall):
    erin = token(wall.erin)
    response = thank(client, erin, people=["ivan@example.com"], teams=["hr"],
                     value=wall.own_it.id, message="Thanks @iris for the **rollout**")
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert response.headers["Location"] == f"/api/v1/recognitions/{data['id']}"
    assert [p["email"] for p in data["people"]] == ["ivan@example.com"]
    assert data["teams"] == ["hr"] and data["value"] == "Own it"
    assert "<strong>rollout</strong>" in data["message_html"]
    read = client.get(response.headers["Location"], headers=token(wall.hugo))
    assert read.status_code == 200 and read.get_json()["id"] == data["id"]


def test_the_wall_pages_by_cursor_and_filters_like_the_page(client, wall):
    for n in range(25):
        posting.post_recognition(wall.erin, recipients="@ivan", value_id=wall.own_it.id,
                                 message=f"Thanks {n}", notify=False)
    posting.post_recognition(wall.ivan, recipients="@hugo", value_id=wall.together.id,
                             message="For HR", notify=False)
    headers = token(wall.iris)
    first = client.get("/api/v1/recognitions", headers=headers).get_json()
    assert first["recognitions"][0]["message"] == "For HR"
    assert first["next_cursor"] is not None
    rest = client.get(f"/api/v1/recognitions?cursor={first['next_cursor']}",
                      headers=headers).get_json()
    seen = [r["id"] for r in first["recognitions"] + rest["recognitions"]]
    assert len(seen) == len(set(seen)) == 26 and rest["next_cursor"] is None
    by_value = client.get(f"/api/v1/recognitions?value={wall.together.id}",
                          headers=headers).get_json()
    assert [r["message"] for r in by_value["recognitions"]] == ["For HR"]
    by_team = client.get("/api/v1/recognitions?department=hr", headers=headers).get_json()
    assert [r["message"] for r in by_team["recognitions"]] == ["For HR"]
    mine = client.get("/api/v1/recognitions?mentions=me", headers=token(wall.hugo)).get_json()
    assert mine["recognitions"] == []  # thanked, not mentioned


def test_a_department_only_thanks_is_404_for_everyone_outside_its_audience(client, wall):
    post = posting.post_recognition(wall.erin, recipients="@ivan", value_id=wall.own_it.id,
                                    message="Just for IT", visibility="department")
    outsider = token(wall.hugo)
    assert client.get(f"/api/v1/recognitions/{post.id}", headers=outsider).status_code == 404
    listed = client.get("/api/v1/recognitions", headers=outsider).get_json()["recognitions"]
    assert post.id not in [r["id"] for r in listed]
    answer = client.put(f"/api/v1/recognitions/{post.id}/reactions/clap", headers=outsider)
    assert answer.status_code == 404 and answer.mimetype == PROBLEM
    seen = client.get(f"/api/v1/recognitions/{post.id}", headers=token(wall.iris))
    assert seen.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"people": ["nobody@example.com"]}, "people"),  # no such colleague
        ({"people": ["gus@example.com"]}, "people"),  # left the company
        ({"people": ["erin@example.com"]}, "people"),  # thanking yourself
        ({"teams": ["atlantis"]}, "teams"),  # no such team
        ({"people": [], "teams": []}, "people"),  # nobody at all
        ({"value": 99999}, "value"),  # no such value
        ({"message": "   "}, "message"),  # nothing said
        ({"message": "x" * 10_001}, "message"),  # too long
        ({"visibility": "secret"}, "visibility"),
        ({"colour": "red"}, "colour"),  # an unknown field
        ({"people": ["ivan@example.com\u0000"]}, "people"),  # a NUL character
    ],
)
def test_a_thanks_that_needs_another_look_names_the_field_and_posts_nothing(
    client, wall, body, field
):
    full = {"people": ["ivan@example.com"], "value": wall.own_it.id, "message": "Thanks"}
    full.update(body)
    response = thank(client, token(wall.erin), **full)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    assert any(e["field"].split(".")[0] == field for e in response.get_json()["errors"])
    assert posts() == 0


def test_a_read_only_token_cannot_thank_or_react(client, wall):
    post = posting.post_recognition(wall.ivan, recipients="@hugo", value_id=wall.own_it.id,
                                    message="Thanks", notify=False)
    reader = token(wall.erin, TokenScope.READ)
    response = thank(client, reader, people=["ivan@example.com"], value=wall.own_it.id,
                     message="Thanks")
    assert response.status_code == 403
    assert client.put(f"/api/v1/recognitions/{post.id}/reactions/clap",
                      headers=reader).status_code == 403
    assert posts() == 1


def test_reactions_are_set_and_taken_back_idempotently(client, wall):
    post = posting.post_recognition(wall.ivan, recipients="@hugo", value_id=wall.own_it.id,
                                    message="Thanks", notify=False)
    erin = token(wall.erin)
    url = f"/api/v1/recognitions/{post.id}/reactions/heart"
    for _ in range(2):
        answer = client.put(url, headers=erin)
        assert answer.status_code == 200
        assert {"kind": "heart", "count": 1, "mine": True} in answer.get_json()["reactions"]
    for _ in range(2):
        answer = client.delete(url, headers=erin)
        assert answer.status_code == 200
        assert all(r["kind"] != "heart" or not r["mine"] for r in answer.get_json()["reactions"])
    assert db.session.scalar(select(func.count()).select_from(Reaction)) == 0
    assert client.put(f"/api/v1/recognitions/{post.id}/reactions/dislike",
                      headers=erin).status_code == 404


def test_joining_in_adds_words_and_refuses_too_many(client, wall):
    post = posting.post_recognition(wall.ivan, recipients="@hugo", value_id=wall.own_it.id,
                                    message="Thanks", notify=False)
    url = f"/api/v1/recognitions/{post.id}/addons"
    added = client.post(url, json={"message": "Seconded!"}, headers=token(wall.erin))
    assert added.status_code == 201 and added.get_json()["message"] == "Seconded!"
    long = client.post(url, json={"message": "y" * 500}, headers=token(wall.erin))
    assert long.status_code == 422
    assert [e["field"] for e in long.get_json()["errors"]] == ["message"]
    db.session.expire_all()
    assert db.session.get(Recognition, post.id).addon_count == 1


@pytest.mark.parametrize("query", ["cursor=-1", "cursor=99999999999999999999999", "value=0",
                                   "person=abc", "mentions=you"])
def test_wall_queries_out_of_range_are_named_problems(client, wall, query):
    response = client.get(f"/api/v1/recognitions?{query}", headers=token(wall.erin))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert response.get_json()["errors"]


def test_a_scorecard_reads_as_on_its_page_and_refuses_other_windows(client, wall):
    erin = token(wall.erin)
    card = client.get("/api/v1/departments/it/scorecard?days=90", headers=erin)
    assert card.status_code == 200, card.get_data(as_text=True)
    data = card.get_json()
    assert data["department"] == "it" and data["days"] == 90
    assert data["rows"][0]["priority"] is None  # all priorities together first
    assert data["rows"][0]["first_response"]["median_minutes"] is None  # below the sample
    assert "business minutes" in data["minutes_are"]
    assert client.get("/api/v1/departments/it/scorecard?days=7", headers=erin).status_code == 422
    assert client.get("/api/v1/departments/nowhere/scorecard", headers=erin).status_code == 404


@pytest.mark.parametrize("text", ["Thanks\x00", "Thanks\x1b[2J"])
def test_control_characters_in_words_are_refused(client, wall, text):
    post = posting.post_recognition(wall.ivan, recipients="@hugo", value_id=wall.own_it.id,
                                    message="Thanks", notify=False)
    for url, body in (("/api/v1/recognitions", {"people": ["ivan@example.com"],
                                                 "value": wall.own_it.id, "message": text}),
                      (f"/api/v1/recognitions/{post.id}/addons", {"message": text})):
        response = client.post(url, json=body, headers=token(wall.erin))
        assert response.status_code == 422
        assert [e["field"] for e in response.get_json()["errors"]] == ["message"]


def test_a_cursor_past_the_largest_id_is_a_named_problem_not_a_database_error(client, wall):
    response = client.get("/api/v1/recognitions?cursor=15529002518337", headers=token(wall.erin))
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["cursor"]


def test_a_page_of_the_wall_reads_its_authors_in_one_statement_however_many(client, wall):
    """Each card's author and recipients, e-mail included, come with the page's batch: the
    statements do not grow with the number of different authors (no read per person)."""
    def page_statements() -> int:
        headers = token(wall.iris, TokenScope.READ)
        db.session.expire_all()  # each page from the same start: nobody already read
        with count_statements() as statements:
            response = client.get("/api/v1/recognitions", headers=headers)
        assert response.status_code == 200
        return len(statements)

    posting.post_recognition(wall.erin, recipients="@ivan", value_id=wall.own_it.id,
                             message="Thanks for the laptop", notify=False)
    one_author = page_statements()
    for author, to in ((wall.ivan, "@hugo"), (wall.hugo, "@erin"), (wall.iris, "@ivan")):
        posting.post_recognition(author, recipients=to, value_id=wall.together.id,
                                 message="Thanks for the help", notify=False)
    data = client.get("/api/v1/recognitions", headers=token(wall.iris)).get_json()
    assert {p["author"]["email"] for p in data["recognitions"]} == {
        "erin@example.com", "ivan@example.com", "hugo@example.com", "iris@example.com"
    }
    assert page_statements() <= one_author  # 15 against 13 when each author was read alone
