"""The demo history reads like people (issue 14 item 7): request titles, descriptions and
replies written per service, so a conversation stays in its service; hundreds of
different titles and replies; a wall of thanks tied to the company values; the words
on their own seeded stream, so rewriting one never moves the history's shape; and the
whole demo loaded twice is the demo loaded once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.demo import content, request_history
from portal.demo.loader import load_demo_organisation
from portal.demo.recognition import VALUES
from portal.demo.request_texts import GENERIC_REPLIES, NOTES, TEXTS
from portal.demo.wall_messages import MESSAGES, NEWEST
from portal.extensions import db
from portal.models import (
    AddOn,
    BundleChild,
    CompanyValue,
    EventKind,
    Reaction,
    Recognition,
    RequestEvent,
    Service,
    ServiceRequest,
    User,
)
from portal.recognition import markup
from tests.test_demo_history import _forget_history, _organisation

DEMO_SERVICES = {spec[1] for specs in content.SERVICES.values() for spec in specs}


def test_every_demo_service_has_words_of_its_own():
    assert set(TEXTS) == DEMO_SERVICES
    titles = [title for texts in TEXTS.values() for title, _ in texts.requests]
    assert len(titles) == len(set(titles))  # a title names one service only
    for slug, texts in TEXTS.items():
        assert len(texts.requests) >= 5, slug
        assert texts.replies and texts.asks and texts.resolutions, slug
        assert all(0 < len(title) <= 200 and len(text) > 30 for title, text in texts.requests)


def test_the_wall_has_words_for_every_company_value():
    assert set(MESSAGES) == {name for name, *_ in VALUES}
    written = [m for messages in MESSAGES.values() for m in messages] + [NEWEST]
    assert len(set(written)) == len(written) >= 120
    # Posted as written: the wall's cleaning leaves each one as it is, and within its limit.
    assert all(markup.clean_text(m) == m and len(m) <= markup.MAX_MESSAGE for m in written)
    assert sum("**" in m or "_" in m for m in written) >= 10
    assert sum("\n- " in m or "\n1. " in m for m in written) >= 3


# The new starters' children (demo/bundles.py) speak the bundle's words, not the history's.
_HISTORY = ServiceRequest.id.not_in(select(BundleChild.request_id))


def _requests() -> list[tuple]:
    return db.session.execute(
        select(ServiceRequest.id, Service.slug, ServiceRequest.title, ServiceRequest.description)
        .join(Service, Service.id == ServiceRequest.service_id)
        .where(_HISTORY)
        .order_by(ServiceRequest.id)
    ).all()


def _replies() -> list[tuple]:
    """(service slug, written by the requester, body) of every reply in the history."""
    by_requester = RequestEvent.actor_id == ServiceRequest.requester_id
    return db.session.execute(
        select(Service.slug, by_requester, RequestEvent.body)
        .join(ServiceRequest, ServiceRequest.id == RequestEvent.request_id)
        .join(Service, Service.id == ServiceRequest.service_id)
        .where(RequestEvent.kind == EventKind.REPLY, _HISTORY)
    ).all()


def _counts() -> dict[str, int]:
    models = (ServiceRequest, RequestEvent, Recognition, Reaction, AddOn, CompanyValue, User)
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models
    }


@pytest.mark.slow  # the whole demo with its history, twice
def test_the_demo_history_speaks_per_service_and_loads_once(app):
    load_demo_organisation()
    requests = _requests()
    assert len(requests) == 548 + 6  # the history, and the requests that needed approval
    assert len({title for _, _, title, _ in requests}) >= 250
    for _, slug, title, description in requests:  # no printer on a payroll question
        assert (title, description) in TEXTS[slug].requests, (slug, title)

    replies = _replies()
    desk = [(slug, body) for slug, by_requester, body in replies if not by_requester]
    assert len({body for _, body in desk}) >= 150
    for slug, body in desk:
        texts = TEXTS[slug]
        said = texts.replies + [q for q, _ in texts.asks] + texts.resolutions
        assert body in said or body in GENERIC_REPLIES, (slug, body)
    answers = [(slug, body) for slug, by_requester, body in replies if by_requester]
    assert answers and all(body in [a for _, a in TEXTS[slug].asks] for slug, body in answers)
    notes = db.session.scalars(select(RequestEvent.body).where(RequestEvent.internal)).all()
    assert notes and set(notes) <= set(NOTES)

    values = dict(db.session.execute(select(CompanyValue.id, CompanyValue.name)).all())
    posts = db.session.execute(select(Recognition.value_id, Recognition.message)).all()
    assert len({message for _, message in posts}) >= 120
    for value_id, message in posts:  # each thanks fits the value it is given for
        assert message in MESSAGES[values[value_id]] or message == NEWEST, message

    before, words = _counts(), {(slug, title) for _, slug, title, _ in requests}
    assert "already there" in load_demo_organisation()
    assert _counts() == before
    assert {(slug, title) for _, slug, title, _ in _requests()} == words


@pytest.mark.slow  # two sample histories
def test_rewriting_the_words_never_moves_the_history(app, monkeypatch):
    monkeypatch.setattr(request_history, "PER_DEPARTMENT", 8)
    monkeypatch.setattr(request_history, "BUSY_DEPARTMENTS", {"it": 30})
    load_demo_organisation(with_history=False)
    now = datetime(2026, 12, 9, 14, 0, tzinfo=UTC)

    def history(words_seed: int) -> tuple[list, list]:
        monkeypatch.setattr("portal.demo.request_words.SEED", words_seed)
        request_history.load_request_history(*_organisation(), now=now)
        shape = db.session.execute(
            select(ServiceRequest.key, ServiceRequest.status, ServiceRequest.priority,
                   ServiceRequest.created_at, ServiceRequest.resolved_at)
            .order_by(ServiceRequest.key)
        ).all()
        titles = db.session.scalars(select(ServiceRequest.title).order_by(ServiceRequest.key))
        return shape, list(titles)

    first_shape, first_titles = history(23)
    _forget_history()
    second_shape, second_titles = history(24)
    assert second_shape == first_shape
    assert second_titles != first_titles  # other words, the same history
