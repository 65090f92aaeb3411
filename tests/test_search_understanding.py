"""One search over services, departments, people and help articles (issue 14 item 2): who
finds which article, the index following publish / edit / archive, filler words, stems,
synonyms, typos, the cut-off, hostile input, and the statements one type-ahead costs."""
from __future__ import annotations

import pytest

from portal.directory import search
from portal.extensions import db
from portal.knowledge.services import writing
from portal.models import ArticleAudience, ArticleStatus, SearchSynonym
from tests.statements import count_statements

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(worlds):
    return worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))


def article(desk, status=ArticleStatus.PUBLISHED, **kw):
    values = {
        "title": "Printer not working? Try these first",
        "summary": "Paper jams, offline printers and empty toner.",
        "body": "Restart the printer, then check the queue.",
        "keywords": "toner, paper jam",
    }
    found = writing.create_article(desk.ivan, desk.it, writing.ArticleChange(**(values | kw)))
    return found if status is ArticleStatus.DRAFT else writing.set_status(desk.ivan, found, status)


def titles(results) -> list[str]:
    return [a.title for a in results.articles]


def test_a_published_article_is_found_with_its_address(app, desk, client, login):
    article(desk)
    results = search.search_directory("printer broken", viewer=desk.erin)
    assert results.hits[0].kind == "article"
    login(desk.erin)
    fragment = client.get("/search?q=printer+jammed&box=header-search", headers=HX).text
    assert "/d/it/help/printer-not-working-try-these-first" in fragment
    assert "Article" in fragment
    page = client.get("/search?q=printer").text
    assert "Help articles" in page and "/d/it/help/printer-not-working-try-these-first" in page


def test_drafts_and_archived_articles_are_never_found(app, desk):
    article(desk, status=ArticleStatus.DRAFT, title="Toner draft")
    gone = article(desk, title="Toner archived")
    assert titles(search.search_directory("toner", viewer=desk.iris)) == ["Toner archived"]
    writing.set_status(desk.ivan, gone, ArticleStatus.ARCHIVED)
    assert titles(search.search_directory("toner", viewer=desk.iris)) == []
    writing.set_status(desk.ivan, gone, ArticleStatus.PUBLISHED)
    assert titles(search.search_directory("toner", viewer=desk.iris)) == ["Toner archived"]


def test_an_edit_reaches_the_index(app, desk):
    found = article(desk)
    change = writing.ArticleChange(title="Scanner set-up", summary="", body="", base_version=1)
    writing.update_article(desk.ivan, found, change)
    assert titles(search.search_directory("scanner", viewer=desk.erin)) == ["Scanner set-up"]
    assert titles(search.search_directory("toner", viewer=desk.erin)) == []


def test_a_department_only_article_is_found_by_its_members_and_admins_only(app, desk):
    article(desk, title="Triage guide", keywords="triage", audience=ArticleAudience.DEPARTMENT)
    assert titles(search.search_directory("triage", viewer=desk.ivan)) == ["Triage guide"]
    assert titles(search.search_directory("triage", viewer=desk.erin)) == []
    assert titles(search.search_directory("triage", viewer=desk.hugo)) == []  # another dept
    assert titles(search.search_directory("triage")) == []  # nobody
    desk.erin.is_admin = True
    db.session.commit()
    assert titles(search.search_directory("triage", viewer=desk.erin)) == ["Triage guide"]


def test_the_type_ahead_cache_is_per_audience(app, desk, client, login, build_app):
    article(desk, title="Triage guide", keywords="triage", audience=ArticleAudience.DEPARTMENT)
    login(desk.ivan)
    assert "Triage guide" in client.get("/search?q=triage&box=header-search", headers=HX).text
    login(desk.erin)
    assert "Triage guide" not in client.get("/search?q=triage&box=header-search", headers=HX).text


def test_filler_words_stems_synonyms_and_typos(app, desk):
    article(desk, title="Leaving the company", keywords="", body="", summary="Your last weeks.")
    db.session.add(SearchSynonym(words="leaver leaving resigning"))
    search.reindex_all()
    db.session.commit()
    assert titles(search.search_directory("how do I resign from my job")) == [
        "Leaving the company"
    ]
    assert titles(search.search_directory("resigning")) == ["Leaving the company"]
    assert titles(search.search_directory("who handles a leaver")) == ["Leaving the company"]
    typo = search.search_directory("compnay")
    assert titles(typo) == ["Leaving the company"]
    assert typo.corrections == [("compnay", "company")]
    assert typo.corrected_query == "company"


def test_more_words_covered_outranks_one_word_and_weak_ones_are_cut(app, desk):
    article(desk, title="Printer not working", keywords="", summary="", body="")
    article(desk, title="Working from home", keywords="", summary="", body="")
    article(desk, title="Printer set-up", keywords="", summary="", body="")
    results = search.search_directory("printer not working")
    assert titles(results)[0] == "Printer not working"
    assert "Working from home" not in titles(results)[:2]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "how do I what is the",
        '" * OR NEAR( - : %',
        'NEAR("a" "b") AND NOT * ^ {name} : -',
        "🖨️🔥💻",
        "printer\x00\u202e\u200b\u2066",
        "\x00\u202e\u2066\u200f",
    ],
    ids=["10000-chars", "stop-words-only", "operators", "fts-syntax", "emoji", "nul-bidi-word",
         "only-controls"],
)
def test_hostile_queries_are_just_searches(app, desk, client, login, query):
    article(desk)
    results = search.search_directory(query, viewer=desk.erin, record=False)
    if query.startswith("printer"):
        assert results.hits and results.hits[0].kind == "article"
    elif not query.startswith("NEAR"):  # its words are words ("name", "near"): a search
        assert results.is_empty
    login(desk.erin)
    assert client.get("/search", query_string={"q": query}).status_code == 200
    fragment = client.get("/search", query_string={"q": query, "box": "header-search"},
                          headers=HX)
    assert fragment.status_code == 200


def test_a_type_ahead_costs_a_fixed_number_of_statements(app, desk, client, login):
    for n in range(8):
        article(desk, title=f"Printer guide {n}", slug=f"printer-guide-{n}")
    login(desk.erin)
    client.get("/search?q=printer&box=header-search", headers=HX)  # vocabulary read once
    with count_statements() as few:
        client.get("/search?q=printer+toner&box=header-search", headers=HX)
    for n in range(8, 20):
        article(desk, title=f"Printer guide {n}", slug=f"printer-guide-{n}")
    client.get("/search?q=printer&box=header-search", headers=HX)
    with count_statements() as many:
        client.get("/search?q=printer+toner&box=header-search", headers=HX)
    assert len(many) == len(few) <= 16  # no statement per hit


def test_only_what_is_shown_is_loaded(app, desk, monkeypatch):
    """Thirty articles match; the type-ahead shows six, so a few more than six are loaded,
    not thirty; and an article the index lists but a load drops is replaced by the next."""
    for n in range(30):
        article(desk, title=f"Printer guide {n}", slug=f"printer-guide-{n}")
    loaded: list[int] = []
    load = search._load_articles

    def counting(ids):
        loaded.append(len(ids))
        return load(ids)

    monkeypatch.setitem(search._LOADERS, "article", counting)
    results = search.search_directory("printer guide", limit=6, overall=6, viewer=desk.erin)
    assert len(results.hits) == 6 and loaded == [6 + search.SPARE]

    loaded.clear()
    monkeypatch.setitem(search._LOADERS, "article", lambda ids: dict(list(load(ids).items())[4:]))
    results = search.search_directory("printer guide", limit=6, overall=6, viewer=desk.erin)
    assert len(results.hits) == 6  # the spares, then everything, stood in for the dropped
