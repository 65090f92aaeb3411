"""The article page keeps what every reader like you sees (issue 14, speed): the article,
its related list and "Still need help?" are rendered once per article for readers who
write the department's articles and once for those who do not, forgotten at once by a
change of the article; the reader's own answer is drawn for every request."""

from __future__ import annotations

import pytest

from portal.knowledge.services import helpfulness, writing
from portal.models import ArticleAudience, ArticleStatus
from tests.conftest import signed_in_client
from tests.statements import count_statements
from tests.test_knowledge import change, published


@pytest.fixture
def desk(worlds):
    return worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))


def page(client, article) -> str:
    response = client.get(f"/d/it/help/{article.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_edit_shows_at_once_though_the_page_is_kept(cached_app, desk):
    article = published(desk)
    reader = signed_in_client(cached_app, desk.erin)
    assert "Set up a printer" in page(reader, article)
    writing.update_article(desk.ivan, article, change(desk, title="Add a printer"))
    assert "Add a printer" in page(reader, article)
    writing.set_status(desk.ivan, article, ArticleStatus.ARCHIVED)
    assert reader.get(f"/d/it/help/{article.slug}").status_code == 404


def test_writers_and_readers_are_kept_apart(cached_app, desk):
    article = published(desk)
    published(desk, title="Printer console", keywords="toner", audience=ArticleAudience.DEPARTMENT)
    writer = signed_in_client(cached_app, desk.ivan)
    html = page(writer, article)  # the writers' version is kept first
    assert "Printer console" in html and "Edit this article" in html
    html = page(signed_in_client(cached_app, desk.erin), article)
    assert "Printer console" not in html and "Edit this article" not in html


def test_each_reader_sees_their_own_answer_on_the_kept_page(cached_app, desk):
    article = published(desk)
    helpfulness.vote(desk.hugo, "it", article.slug, helpfulness.VoteChange(False, "Steps for Macs"))
    erin = signed_in_client(cached_app, desk.erin)
    assert "You said this" not in page(erin, article)  # kept from here
    hugo = page(signed_in_client(cached_app, desk.hugo), article)
    assert "You said this did not help: “Steps for Macs”" in hugo
    assert "Still need help? Ask IT" in hugo


def test_a_kept_article_page_costs_the_reader_few_statements(cached_app, desk):
    """The reader's part is one read (department, their role in it, article, their answer);
    the other is the person with their departments for the page's header, as on every
    page. (The tests count each reading at once; a server adds them up every
    ARTICLE_VIEWS_FLUSH_SECONDS.)"""
    article = published(desk)
    reader = signed_in_client(cached_app, desk.erin)
    page(reader, article)
    with count_statements() as statements:
        page(reader, article)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 2, "\n".join(s[:90] for s in reads)
    assert sum("knowledge_article_service" in s for s in statements) == 0  # no related read


def test_kept_suggestions_are_the_readers_audience_read_with_them(cached_app, desk):
    """Type-ahead suggestions are kept per audience: IT's members find IT's members-only
    article, others never, and the audience comes with the person's sign-in (no statement
    of its own on department_membership)."""
    published(desk, title="Printer console", keywords="toner", audience=ArticleAudience.DEPARTMENT)
    url = "/search?q=toner&box=header-search"
    hx = {"HX-Request": "true"}
    ivan, erin = signed_in_client(cached_app, desk.ivan), signed_in_client(cached_app, desk.erin)
    assert "Printer console" not in erin.get(url, headers=hx).get_data(as_text=True)
    assert "Printer console" in ivan.get(url, headers=hx).get_data(as_text=True)
    with count_statements() as statements:
        kept = ivan.get(url, headers=hx)
    assert "Printer console" in kept.get_data(as_text=True) and "<html" not in kept.get_data(
        as_text=True
    )
    memberships = [s for s in statements if "department_membership" in s]
    assert len(memberships) == 1, memberships  # the person's own, with their sign-in
    assert "Printer console" not in erin.get(url, headers=hx).get_data(as_text=True)
