"""Satisfaction after resolution: the request page, the e-mailed single-use link, and
every bad input the issue lists (token reused, expired or forged; 0, 6, "5.5", empty;
a second rating)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.feedback import ratings
from portal.models import OutboxMessage, Priority, RatingInvite, RequestStatus, SatisfactionRating
from portal.service_requests.services import lifecycle
from tests import factories, worlds

MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def desk(app):
    world = worlds.it_desk(
        standards={Priority.NORMAL: (240, 960)},
        laptop=("laptop", "Laptop"),
        people=("ivan", "erin"),
    )
    world.other = factories.make_user(name="Olga Other", email="olga@example.com")
    return world


def resolved_request(desk, now=MONDAY_10):
    sr = factories.make_request(desk["service"], desk["erin"], now=now)
    lifecycle.change_status(sr, desk["agent"], RequestStatus.RESOLVED, now=now + timedelta(hours=1))
    return sr


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def rating_mail_token() -> str:
    body = db.session.scalar(
        select(OutboxMessage.body).where(OutboxMessage.topic == "feedback.rating_asked")
    )
    assert body is not None, "no rating e-mail"
    match = re.search(r"/rate/([^?\s]+)\?score=4", body)
    assert match
    return match.group(1)


def test_resolving_asks_the_requester_by_email_with_one_link_per_score(desk):
    sr = resolved_request(desk)
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "feedback.rating_asked")
    ).one()
    assert mail.recipient == "erin@example.com"
    assert "how did IT do?" in mail.subject
    for score in range(1, 6):
        assert f"?score={score}" in mail.body
    assert count(RatingInvite) == 1
    assert ratings.check_token(rating_mail_token()).request.id == sr.id


def test_the_requester_rates_once_and_may_change_it_until_closed(desk):
    sr = resolved_request(desk)
    rating = ratings.rate(desk["erin"], sr, "4", "Quick and friendly")
    assert (rating.score, rating.comment) == (4, "Quick and friendly")
    with pytest.raises(Refused, match="already rated"):
        ratings.rate(desk["erin"], sr, "2")
    assert count(SatisfactionRating) == 1
    ratings.rate(desk["erin"], sr, "5", "Better than I said", change=True)
    assert db.session.scalar(select(SatisfactionRating.score)) == 5
    lifecycle.confirm(sr, desk["erin"])
    with pytest.raises(Refused, match="closed"):
        ratings.rate(desk["erin"], sr, "1", change=True)
    assert db.session.scalar(select(SatisfactionRating.score)) == 5


@pytest.mark.parametrize("score", ["0", "6", "5.5", "", "  ", "four", "-1"])
def test_a_score_outside_1_to_5_is_refused(desk, score):
    sr = resolved_request(desk)
    with pytest.raises(Refused) as refused:
        ratings.rate(desk["erin"], sr, score)
    assert refused.value.field == "score"
    assert count(SatisfactionRating) == 0


def test_only_the_requester_rates_and_only_after_resolution(desk):
    sr = factories.make_request(desk["service"], desk["erin"], now=MONDAY_10)
    with pytest.raises(Refused, match="once it is resolved"):
        ratings.rate(desk["erin"], sr, "4")
    lifecycle.change_status(sr, desk["agent"], RequestStatus.RESOLVED)
    with pytest.raises(NotFound):
        ratings.rate(desk["agent"], sr, "5")
    assert count(SatisfactionRating) == 0


def test_the_email_link_records_the_score_once(desk):
    sr = resolved_request(desk)
    token = rating_mail_token()
    ratings.rate_by_token(token, "4", "Good")
    with pytest.raises(Refused, match="already used"):
        ratings.rate_by_token(token, "5")
    rating = db.session.scalars(select(SatisfactionRating)).one()
    assert (rating.request_id, rating.score, rating.rater_id) == (sr.id, 4, desk["erin"].id)


def test_an_expired_or_forged_link_is_refused(desk, monkeypatch):
    resolved_request(desk)
    token = rating_mail_token()
    serializer = ratings._serializer()
    # The link read two weeks and a minute after it was signed.
    import itsdangerous.timed

    signed_at = itsdangerous.timed.time.time()
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner,
        "get_timestamp",
        lambda self: int(signed_at) + ratings.TOKEN_MAX_AGE + 60,
    )
    with pytest.raises(Refused, match="expired"):
        ratings.rate_by_token(token, "4")
    monkeypatch.undo()
    forged = URLSafeTimedSerializer("not-the-key", salt=ratings.TOKEN_SALT).dumps(
        serializer.loads(token)
    )
    with pytest.raises(Refused, match="not valid"):
        ratings.rate_by_token(forged, "4")
    with pytest.raises(Refused, match="not valid"):
        ratings.rate_by_token(token[:-2] + "xx", "4")
    assert count(SatisfactionRating) == 0


# Pages ------------------------------------------------------------------------------


def test_the_request_page_asks_the_requester_and_the_htmx_post_answers_with_the_panel(
    desk, client, login
):
    sr = resolved_request(desk)
    login(desk["erin"])
    page = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    assert "How did IT do?" in page
    token = factories_csrf(page)
    response = client.post(
        f"/requests/{sr.key}/rate",
        data={"score": "4", "comment": "Nice <b>work</b>", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body
    assert "requestRated" in response.headers["HX-Trigger"]
    assert "You rated it <strong>4 out of 5</strong>" in body
    assert "Nice &lt;b&gt;work&lt;/b&gt;" in body


@pytest.mark.parametrize("score", ["0", "6", "5.5", ""])
def test_a_bad_score_on_the_page_is_422_beside_the_field_with_the_comment_kept(
    desk, client, login, score
):
    sr = resolved_request(desk)
    login(desk["erin"])
    token = factories_csrf(client.get(f"/requests/{sr.key}").get_data(as_text=True))
    response = client.post(
        f"/requests/{sr.key}/rate",
        data={"score": score, "comment": "kept text", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="rating-score-error"' in body
    assert "kept text" in body
    assert count(SatisfactionRating) == 0


def test_a_second_rating_from_the_page_is_refused_and_without_js_redirects(desk, client, login):
    sr = resolved_request(desk)
    login(desk["erin"])
    token = factories_csrf(client.get(f"/requests/{sr.key}").get_data(as_text=True))
    first = client.post(f"/requests/{sr.key}/rate", data={"score": "3", "csrf_token": token})
    assert first.status_code == 303
    second = client.post(f"/requests/{sr.key}/rate", data={"score": "5", "csrf_token": token})
    assert second.status_code == 422
    assert "already rated" in second.get_data(as_text=True)
    assert db.session.scalar(select(SatisfactionRating.score)) == 3


def test_someone_else_gets_404_on_the_rating_page(desk, client, login):
    sr = resolved_request(desk)
    login(desk["other"])
    assert client.get(f"/requests/{sr.key}/rate").status_code == 404
    login(desk["agent"])
    assert client.get(f"/requests/{sr.key}/rate").status_code == 404


def test_the_link_page_works_signed_out_and_only_once(desk, client):
    resolved_request(desk)
    token = rating_mail_token()
    page = client.get(f"/rate/{token}?score=4")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="4" checked' in html
    csrf = factories_csrf(html)
    bad = client.post(f"/rate/{token}", data={"score": "5.5", "csrf_token": csrf})
    assert bad.status_code == 422
    done = client.post(f"/rate/{token}", data={"score": "4", "csrf_token": csrf})
    assert done.status_code == 200
    assert "Thank you" in done.get_data(as_text=True)
    again = client.post(f"/rate/{token}", data={"score": "4", "csrf_token": csrf})
    assert again.status_code == 410
    assert client.get(f"/rate/{token}?score=4").status_code == 410
    assert client.get("/rate/forged.token.here").status_code == 410
    assert count(SatisfactionRating) == 1


def factories_csrf(html: str) -> str:
    from tests.conftest import csrf_token_from

    return csrf_token_from(html)


def test_a_rating_post_without_the_csrf_token_is_refused(desk, client, login):
    sr = resolved_request(desk)
    login(desk["erin"])
    response = client.post(f"/requests/{sr.key}/rate", data={"score": "4"})
    assert response.status_code == 400
    token = rating_mail_token()
    assert client.post(f"/rate/{token}", data={"score": "4"}).status_code == 400
    assert count(SatisfactionRating) == 0


def test_the_link_after_a_rating_on_the_page_records_nothing_more(desk):
    sr = resolved_request(desk)
    token = rating_mail_token()
    ratings.rate(desk["erin"], sr, "2")
    with pytest.raises(Refused, match="already rated"):
        ratings.rate_by_token(token, "5")
    assert db.session.scalar(select(SatisfactionRating.score)) == 2
