"""The demo's help articles (issue 14 item 7): at least 40, across the departments, each
linked to its own department's services, some with history, some past review, with votes;
loading twice changes nothing; every article page answers for Erin."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.demo.articles import ARTICLES
from portal.demo.loader import load_demo_organisation
from portal.extensions import db
from portal.models import (
    Article,
    ArticleAudience,
    ArticleRevision,
    ArticleStatus,
    ArticleVote,
    User,
)

pytestmark = pytest.mark.slow  # loads the demo organisation


@pytest.fixture
def demo(app):
    load_demo_organisation(with_history=False)


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Article, ArticleRevision, ArticleVote)
    }


def test_forty_useful_articles_across_the_departments(demo):
    articles = db.session.scalars(select(Article)).all()
    assert len(articles) == len(ARTICLES) >= 40
    assert len({a.department_id for a in articles}) >= 8
    assert all(a.status is ArticleStatus.PUBLISHED and len(a.body) > 200 for a in articles)
    assert all(s.department_id == a.department_id for a in articles for s in a.services)
    assert sum(1 for a in articles if a.services) >= 40
    assert sum(1 for a in articles if a.version > 1) >= 5
    assert db.session.scalar(select(func.count()).select_from(ArticleVote)) >= 40
    titles = " ".join(a.title.lower() for a in articles)
    for topic in ("printer", "vpn", "holiday", "expenses", "parking", "phishing", "pension"):
        assert topic in titles


def test_loading_twice_changes_nothing(demo):
    before = counts()
    load_demo_organisation(with_history=False)
    assert counts() == before


def test_every_demo_article_reads_for_erin(demo, client, login):
    login(db.session.scalar(select(User).where(User.email == "erin@example.com")))
    for article in db.session.scalars(select(Article)):
        path = f"/d/{article.department.slug}/help/{article.slug}"
        expected = 404 if article.audience is ArticleAudience.DEPARTMENT else 200
        assert client.get(path).status_code == expected, path
    html = client.get("/d/it/help").get_data(as_text=True)
    assert "Set up an office printer" in html and "Service desk triage guide" not in html
    stale = client.get("/d/facilities/help/parking-rules").get_data(as_text=True)
    assert "may be out of date" in stale


def test_the_demo_has_questions_answered_by_articles_on_the_scorecards(demo, app):
    from portal.insights import help_figures
    from portal.models import Deflection, Department

    before = db.session.scalar(select(func.count()).select_from(Deflection))
    it = db.session.scalar(select(Department).where(Department.slug == "it"))
    figures = help_figures.department_help(it, None, (30, 90))
    assert before >= 20 and figures.deflections[90] > figures.deflections[30] > 0
    assert any(f.deflections for f in figures.articles) and figures.articles[0].reads > 0
    assert help_figures.portal_help().most_read
    load_demo_organisation(with_history=False)
    assert db.session.scalar(select(func.count()).select_from(Deflection)) == before
